import { join } from 'node:path';

// From test/support (jest) or dist/test/support (the compiled benchmark) alike.
export const REPO_ROOT = join(__dirname, __dirname.includes(join('dist', 'test')) ? '../../..' : '../..');
export const TEST_STATE_DIR = join(REPO_ROOT, '.data/test');
/**
 * Each test run (one jest process and its workers) has a folder of its own, written by
 * global-setup: the dev server's address and the prebuilt workflow bundle. Runs side by side in
 * one checkout therefore never read or stop each other's server. global-setup passes the
 * folder to the workers in this environment variable.
 */
export const TEST_RUN_DIR_ENV = 'ACCOUNT_CENTER_TEST_RUN_DIR';
export const stateFile = (runDir: string): string => join(runDir, 'state.json');
export const workflowBundleFile = (runDir: string): string => join(runDir, 'workflow-bundle.js');

export interface TestState {
  temporalAddress: string;
  temporalPid: number;
  postgresAdminUrl: string;
  workflowBundlePath: string;
}
