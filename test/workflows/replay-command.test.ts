/**
 * Issue 12 §5: `npm run replay -- <history.json>` replays a downloaded history against the
 * current workflow code (the runbook's "download a history and replay it"). The command is run as
 * a real process from its entry point; a history the code no longer produces fails it, naming
 * the file and the mismatch.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEnvironment } from '../../libs/config/src/config';
import { REPO_ROOT } from '../support/paths';

const FIXTURE = join(REPO_ROOT, 'test/fixtures/histories/deposit-verified-first-try.json');

function replay(...files: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '-r',
        join(REPO_ROOT, 'test/support/ts-register.js'),
        join(REPO_ROOT, 'apps/worker/src/replay.ts'),
        ...files,
      ],
      { cwd: REPO_ROOT, env: { PATH: readEnvironment()['PATH'] ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, out }));
  });
}

describe('npm run replay', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ac-replay-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('replays every recorded history against the current code, interceptors included, and says so', async () => {
    const dir = join(REPO_ROOT, 'test/fixtures/histories');
    const all = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => join(dir, f));
    const { code, out } = await replay(...all);
    for (const file of all) expect(out).toContain(`ok      ${file}`);
    expect(out).toContain(`${all.length} replayed, 0 failed`);
    expect(code).toBe(0);
  }, 90_000);

  it('fails, naming the file and the mismatch, on a history the current code would not produce', async () => {
    // The same run, as if an older version had scheduled another activity where the payout is.
    const history = JSON.parse(readFileSync(FIXTURE, 'utf8')) as {
      events: Array<{ activityTaskScheduledEventAttributes?: { activityType: { name: string } } }>;
    };
    const payout = history.events.find(
      (e) => e.activityTaskScheduledEventAttributes?.activityType.name === 'requestDepositPayout',
    );
    payout!.activityTaskScheduledEventAttributes!.activityType.name = 'requestDepositPayoutV0';
    const changed = join(dir, 'changed.json');
    writeFileSync(changed, JSON.stringify(history));

    const { code, out } = await replay(FIXTURE, changed);
    expect(out).toContain(`ok      ${FIXTURE}`);
    expect(out).toContain(`FAILED  ${changed}`);
    expect(out).toMatch(/DeterminismViolationError|[Nn]ondetermin/);
    expect(out).toContain('requestDepositPayoutV0');
    expect(out).toContain('1 replayed, 1 failed');
    expect(code).toBe(1);
  }, 60_000);

  it('asks for a file when given none', async () => {
    const { code, out } = await replay();
    expect(out).toContain('usage: npm run replay -- <history.json>');
    expect(code).toBe(2);
  }, 60_000);
});
