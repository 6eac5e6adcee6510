import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '../..');
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
