import { readFileSync } from 'node:fs';
import { TEST_STATE_FILE, type TestState } from './paths';

export default async function globalTeardown(): Promise<void> {
  const state = JSON.parse(readFileSync(TEST_STATE_FILE, 'utf8')) as TestState;
  try {
    process.kill(state.temporalPid, 'SIGTERM');
  } catch {
    // already gone
  }
}
