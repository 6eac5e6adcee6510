import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { readEnvironment } from '../../libs/config/src/config';
import { REPO_ROOT } from './paths';

/** Where recorded histories live; test/workflows/replay.test.ts replays every one of them. */
export const HISTORY_DIR = join(REPO_ROOT, 'test/fixtures/histories');

/**
 * With RECORD_HISTORIES=1, saves the run's history as `<name>.json` for the replay test. Record
 * only new files: histories already there stand for runs in production (docs/contributing.md).
 */
export async function maybeRecordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (readEnvironment()['RECORD_HISTORIES'] !== '1') return;
  const history = await handle.fetchHistory();
  mkdirSync(HISTORY_DIR, { recursive: true });
  writeFileSync(join(HISTORY_DIR, `${name}.json`), historyToJSON(history));
}
