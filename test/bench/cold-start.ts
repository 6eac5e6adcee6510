/**
 * Issue 13: the cold `npm start` of a fresh clone, the Go module cache warm. The bench's `coldstart`
 * lane clones this repository's HEAD into a temporary folder and runs `npm start` there, as a new
 * developer would (npm ci, build, embedded PostgreSQL with a new cluster, the Temporal CLI built
 * into the clone's .tools/ from the warm module cache, migrations, worker, API), on free ports,
 * until `GET /health/ready` answers 200. Then it stops it (SIGTERM to its process group, as Ctrl-C)
 * and removes the clone. The time of each step comes from `npm start`'s own log lines.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEnvironment } from '../../libs/config/src/config';
import { REPO_ROOT } from '../support/paths';
import { freePorts } from '../support/ports';

/** `npm start`'s step lines (scripts/dev.sh), in order: the time each first appears is printed. */
const STEPS: Array<[marker: string, step: string]> = [
  ['[dev] npm ci', 'npm ci'],
  ['[dev] building', 'build'],
  ['[dev] waiting for Temporal', 'Temporal CLI built, dev server starting'],
  ['[dev] waiting for PostgreSQL', 'Temporal up'],
  ['[dev] API http', 'migrated; worker and API starting'],
];

function ready(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/health/ready', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

export interface ColdStart {
  /** From `npm start` to the first 200 of /health/ready. */
  totalMs: number;
  /** Each step's line, in ms from `npm start`. */
  steps: Array<{ step: string; atMs: number }>;
}

export async function coldNpmStart(logFile: string, deadlineMs = 20 * 60_000): Promise<ColdStart> {
  const dir = mkdtempSync(join(tmpdir(), 'ac-cold-start-'));
  // As root, the embedded PostgreSQL runs as its own user, which must reach the clone's .data/.
  chmodSync(dir, 0o755);
  execFileSync('git', ['clone', '--quiet', REPO_ROOT, dir]);
  const [apiPort, pgPort, temporalPort, uiPort, metricsPort] = await freePorts(5);
  const out = openSync(logFile, 'w');
  const started = performance.now();
  const child = spawn('npm', ['start'], {
    cwd: dir,
    env: {
      ...readEnvironment(),
      API_PORT: String(apiPort),
      PUBLIC_API_URL: `http://127.0.0.1:${apiPort}`,
      DATABASE_URL: `postgres://account_center:account_center@127.0.0.1:${pgPort}/account_center`,
      TEMPORAL_PORT: String(temporalPort),
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
      TEMPORAL_UI_PORT: String(uiPort),
      WORKER_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`,
    },
    stdio: ['ignore', out, out],
    detached: true,
  });
  closeSync(out);
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
  });
  const seen = new Map<string, number>();
  try {
    for (;;) {
      const text = readFileSync(logFile, 'utf8');
      for (const [marker, step] of STEPS) {
        if (!seen.has(step) && text.includes(marker)) seen.set(step, performance.now() - started);
      }
      if (await ready(apiPort)) break;
      if (exited !== undefined) throw new Error(`npm start exited with ${exited}; see ${logFile}`);
      if (performance.now() - started > deadlineMs)
        throw new Error(`npm start not ready in time; see ${logFile}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    return {
      totalMs: Math.round(performance.now() - started),
      steps: [...seen].map(([step, atMs]) => ({ step, atMs: Math.round(atMs) })),
    };
  } finally {
    // Ctrl-C: npm start stops what it started itself (API and worker first, PostgreSQL last). npm
    // exits at once; its script goes on stopping the rest, so wait until its process group is
    // empty before anything is forced (a SIGKILL would cut that short and leave them running).
    if (child.pid !== undefined) {
      const group = -child.pid;
      const alive = () => {
        try {
          process.kill(group, 0);
          return true;
        } catch {
          return false;
        }
      };
      if (alive()) process.kill(group, 'SIGTERM');
      const until = Date.now() + 120_000;
      while (alive() && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
      if (alive()) process.kill(group, 'SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
