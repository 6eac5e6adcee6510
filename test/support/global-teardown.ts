import { readFileSync, rmSync } from 'node:fs';
import { readEnvironment } from '../../libs/config/src/config';
import { TEST_RUN_DIR_ENV, stateFile, type TestState } from './paths';
import { stopTestPostgres } from './postgres-setup';

export default async function globalTeardown(): Promise<void> {
  await stopTestPostgres();
  const runDir = readEnvironment()[TEST_RUN_DIR_ENV];
  if (!runDir) return;
  const state = JSON.parse(readFileSync(stateFile(runDir), 'utf8')) as TestState;
  try {
    process.kill(state.temporalPid, 'SIGTERM');
  } catch {
    // already gone
  }
  rmSync(runDir, { recursive: true, force: true });
}
