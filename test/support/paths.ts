import { join } from 'node:path';

// From test/support (jest) or dist/test/support (the compiled benchmark) alike.
export const REPO_ROOT = join(__dirname, __dirname.includes(join('dist', 'test')) ? '../../..' : '../..');
export const TEST_STATE_DIR = join(REPO_ROOT, '.data/test');
/** Written by global-setup: the dev server's address and the prebuilt workflow bundle. */
export const TEST_STATE_FILE = join(TEST_STATE_DIR, 'state.json');
export const WORKFLOW_BUNDLE_FILE = join(TEST_STATE_DIR, 'workflow-bundle.js');

export interface TestState {
  temporalAddress: string;
  temporalPid: number;
  postgresAdminUrl: string;
  workflowBundlePath: string;
}
