/**
 * Recorded histories of finished verifications (test/fixtures/histories/*.json) must replay
 * against the current workflow code: a change that would break running workflows fails here.
 * Recorded histories are never re-recorded: they stand for runs already in production. After an
 * intentional change behind `patched()`, record one new history of the new behaviour, running
 * only the test that records it (the others would overwrite theirs):
 *   RECORD_HISTORIES=1 npx jest --selectProjects workflows test/workflows/deposit-verification.test.ts -t '<that test>'
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { TEST_DATA_CONVERTER } from '../support/codec';
import { REPO_ROOT } from '../support/paths';

const DIR = join(REPO_ROOT, 'test/fixtures/histories');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

describe('replay of recorded histories', () => {
  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  it.each(files)('%s replays against the current workflow code', async (file) => {
    const history: unknown = JSON.parse(readFileSync(join(DIR, file), 'utf8'));
    await expect(
      Worker.runReplayHistory(
        { workflowsPath: require.resolve('../../workflows'), dataConverter: TEST_DATA_CONVERTER },
        history,
        `replay-${file}`,
      ),
    ).resolves.toBeUndefined();
  });
});
