/**
 * `npm run bench`: the platform measured as ratios beside its limits, in one run (issue 13).
 *
 * Every lane runs for a fixed time (`--seconds`, default 8) on N connections (`--connections`,
 * default 8), after a short warm-up, and prints requests per second and p50/p99; the ratios come
 * last with the issue's targets and whether each is met. Numbers move between runs on a shared
 * machine; the ratios within one run are what count. Nothing here is asserted by a test.
 *
 * Lanes (pick some with `--only coldstart,bare,live,me,query,start,inbox,open`):
 *   coldstart  `npm start` of a fresh clone (npm ci, build, a new PostgreSQL cluster, the Temporal
 *          CLI built from the warm Go module cache, migrations) to a ready API, first (cold-start.ts)
 *   bare   a bare Node `http` server answering a fixed JSON, in a process of its own (the limit)
 *   live   GET /health/live
 *   me     GET /accounts/me (one session lookup and one row)
 *   query  the raw @temporalio/client `handle.query('state')` beside
 *          GET /verifications/enterprise/deposit/{id} (the same query through the API)
 *   start  the raw client `workflow.start` of a deposit verification (a row seeded like the API
 *          writes it, the same options) beside POST /verifications/enterprise/deposit
 *   inbox  GET /staff/review-tasks (first page, unassigned in the review queue, sorted by due
 *          date) at `--tasks` (100,000) tasks beside the raw indexed SQL select that answers it
 *   open   the worker's resident memory holding `--open` (10,000) open verifications, and the time
 *          from a payoutLanded signal to the state that shows it, with 10 open and with all open
 * and always: the cold start of the API (process start to /health/live and /health/ready) and of
 * the worker (to polling), on the run's PostgreSQL and Temporal.
 *
 *   npm run bench                                   every lane, 8 s each
 *   npm run bench -- --seconds 2 --only me,query    a quick look while developing
 *   npm run bench -- --cpu-prof                     also writes a CPU profile of the API to .data/bench/
 *
 * The API and the worker run as separate processes from dist/, configured only through
 * environment variables, on a fresh migrated database on the run's embedded PostgreSQL and a
 * per-run Temporal dev server. The bench seeds what a lane needs in bulk with SQL (accounts and
 * sessions, deposit verification rows, review tasks): a bench may, the tests may not. Payouts
 * never land during the run (the sandbox bank's landing delay is a day), so verifications stay open.
 */
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MikroORM } from '@mikro-orm/core';
import { Client, Connection } from '@temporalio/client';
import { Pool } from 'pg';
import { createStaffMember } from '../../apps/api/src/staff/staff-provisioning';
import { decodeKey32, parseConfig } from '../../libs/config/src/config';
import { OPEN_TASK_STATUSES } from '../../libs/domain/src/review';
import { SecretBox } from '../../libs/domain/src/secret-box';
import { SystemClock } from '../../libs/domain/src/clock';
import { createOrmOptions } from '../../libs/persistence/src/orm-options';
import {
  CASE_TYPES,
  depositQueries,
  depositSignals,
  searchAttributes,
  WORKFLOW_TYPES,
  workflowIds,
} from '../../libs/temporal/src/contract';
import { nodePid, shardOwners, stopCluster, type ClusterState } from '../cluster/cluster-state';
import { startCluster } from '../cluster/global-setup';
import globalSetup from '../support/global-setup';
import globalTeardown from '../support/global-teardown';
import { createEmptyDatabase, type EmptyDatabase } from '../support/databases';
import { bankAccountNumber, licenceNumber, signUpAndSignIn } from '../support/factories';
import { HttpClient } from '../support/http';
import { REPO_ROOT } from '../support/paths';
import { testState } from '../support/platform';
import { freePort } from '../support/ports';
import { codeFor } from '../support/security';
import { TEST_REQUEST_LIMITS } from '../support/test-env';
import {
  API_MAIN,
  childEnvironment,
  isAlive,
  MIGRATE_MAIN,
  runToCompletion,
  spawnChild,
  spawnNode,
  stopChild,
  stopChildrenWithProcess,
  waitForWorker,
  WORKER_MAIN,
} from '../support/processes';
import { TEST_DATA_CONVERTER } from '../support/codec';
import { coldNpmStart } from './cold-start';
import { printProfileSummary } from './profile-summary';

const BENCH_DIR = join(REPO_ROOT, '.data/bench');
const LANES = ['coldstart', 'bare', 'live', 'me', 'query', 'start', 'inbox', 'open'] as const;
const CLUSTER_NODES = ['frontend', 'matching', 'worker', 'history-1', 'history-2'];
type LaneKey = (typeof LANES)[number];
const DEPOSIT = '/verifications/enterprise/deposit';
/** Seeded accounts have IDs from here on (16 digits, as ACC-1's). */
const SEEDED_ACCOUNT_BASE = 8_100_000_000_000_000;
/** The one bank account number of seeded verifications (passes the Luhn check; never lands). */
const SEEDED_BANK_ACCOUNT = bankAccountNumber(true);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- measuring

interface Row {
  lane: string;
  requests: number;
  errors: number;
  'req/s': number;
  'p50 ms': number;
  'p99 ms': number;
  /**
   * Lanes whose work goes on after the answer (a start's workflow runs its first activities):
   * requests per second over the lane and the time it took that work to finish, the rate the
   * machine sustains. Empty for the others.
   */
  'settled/s': number | '';
  /** CPU milliseconds each process spent per request (2 cores in all, shared). */
  'CPU ms/req api': number;
  worker: number;
  temporal: number;
  postgres: number;
  'load gen': number;
  /** All of them: what one request costs the machine. */
  all: number;
}

interface Pids {
  api: number;
  worker: number;
  temporal: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** CPU time (user + system) a live process has used, in ms (/proc/<pid>/stat, USER_HZ = 100). */
function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU time of the run's PostgreSQL, in ms: the postmaster started by this process (the embedded
 * server of the run's setup), its live backends, and the backends it has reaped.
 */
function postgresCpuMs(): number {
  const stats = new Map<number, { comm: string; ppid: number; fields: string[] }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), { comm, ppid: Number(fields[1]), fields });
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  for (const p of stats.values()) {
    if (p.comm !== 'postgres') continue;
    const parent = stats.get(p.ppid);
    const isPostmaster = p.ppid === process.pid;
    const isBackend = parent?.comm === 'postgres' && parent.ppid === process.pid;
    if (!isPostmaster && !isBackend) continue;
    total += Number(p.fields[11]) + Number(p.fields[12]);
    if (isPostmaster) total += Number(p.fields[13]) + Number(p.fields[14]);
  }
  return total * 10;
}

/** Resident memory of a live process in MiB (VmRSS of /proc/<pid>/status). */
function residentMiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Math.round(Number(m[1]) / 1024);
}

/**
 * A process's resident memory once it has settled after a burst of work: V8 hands the heap it
 * grew while busy back over tens of seconds of quiet (its memory reducer), so RSS sampled right
 * after the burst is the burst's high-water mark, not what holding the work costs. Samples every
 * 5 s until RSS has not fallen by more than 2 MiB over 45 s (at most `maxSeconds`), and answers
 * the peak it saw and the settled value.
 */
async function settledResidentMiB(pid: number, maxSeconds = 240): Promise<{ peak: number; settled: number }> {
  const samples = [residentMiB(pid)];
  const until = Date.now() + maxSeconds * 1000;
  // The reducer works in steps about 30 s apart: settled = no step for 45 s.
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 5000));
    samples.push(residentMiB(pid));
    const n = samples.length;
    if (n >= 10 && samples[n - 10] - samples[n - 1] <= 2) break;
  }
  return { peak: Math.max(...samples), settled: samples[samples.length - 1] };
}

/**
 * Runs `op` on `connections` concurrent loops for `seconds` (after a warm-up that is not
 * counted). `op` answers whether the request succeeded; a lane with errors says so.
 */
async function lane(
  name: string,
  opts: {
    seconds: number;
    connections: number;
    pids: Pids;
    warmupSeconds?: number;
    /** Waits until the work the lane's requests set going has finished (counted in CPU and settled/s). */
    drain?: () => Promise<void>;
  },
  op: (i: number) => Promise<boolean>,
): Promise<Row> {
  let i = 0;
  let errors = 0;
  let firstError: unknown;
  const run = async (untilMs: number, times: number[] | undefined) => {
    await Promise.all(
      Array.from({ length: opts.connections }, async () => {
        while (performance.now() < untilMs) {
          const n = i++;
          const t0 = performance.now();
          let ok = false;
          try {
            ok = await op(n);
          } catch (err) {
            firstError ??= err;
          }
          if (!times) continue;
          if (ok) times.push(performance.now() - t0);
          else errors += 1;
        }
      }),
    );
  };
  await run(performance.now() + 1000 * (opts.warmupSeconds ?? Math.min(1, opts.seconds / 4)), undefined);
  errors = 0;
  firstError = undefined;
  const times: number[] = [];
  const cpu0 = {
    api: cpuMs(opts.pids.api),
    worker: cpuMs(opts.pids.worker),
    temporal: cpuMs(opts.pids.temporal),
    postgres: postgresCpuMs(),
  };
  const self0 = process.cpuUsage();
  const started = performance.now();
  await run(started + opts.seconds * 1000, times);
  const seconds = (performance.now() - started) / 1000;
  if (opts.drain) await opts.drain();
  const settledSeconds = (performance.now() - started) / 1000;
  const self = process.cpuUsage(self0);
  times.sort((a, b) => a - b);
  const n = Math.max(1, times.length);
  const per = (ms: number) => +(ms / n).toFixed(2);
  const spent = {
    api: cpuMs(opts.pids.api) - cpu0.api,
    worker: cpuMs(opts.pids.worker) - cpu0.worker,
    temporal: cpuMs(opts.pids.temporal) - cpu0.temporal,
    postgres: postgresCpuMs() - cpu0.postgres,
    loadGen: (self.user + self.system) / 1000,
  };
  const row: Row = {
    lane: name,
    requests: times.length,
    errors,
    'req/s': Math.round(times.length / seconds),
    'p50 ms': +percentile(times, 50).toFixed(1),
    'p99 ms': +percentile(times, 99).toFixed(1),
    'settled/s': opts.drain ? Math.round(times.length / settledSeconds) : '',
    'CPU ms/req api': per(spent.api),
    worker: per(spent.worker),
    temporal: per(spent.temporal),
    postgres: per(spent.postgres),
    'load gen': per(spent.loadGen),
    all: per(Object.values(spent).reduce((x, y) => x + y, 0)),
  };
  const err =
    firstError === undefined
      ? ''
      : ` (first error: ${firstError instanceof Error ? firstError.message : JSON.stringify(firstError)})`;
  console.log(
    `  ${name}: ${row['req/s']} req/s, p50 ${row['p50 ms']} ms, p99 ${row['p99 ms']} ms` +
      (opts.drain ? `, ${row['settled/s']}/s with the work they set going` : '') +
      `, ${row.all} ms CPU/req in all` +
      (errors ? `, ${errors} errors${err}` : ''),
  );
  return row;
}

/** A keep-alive HTTP client with one socket per connection: the load generator of every HTTP lane. */
function httpLoad(port: number, connections: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  return (
    method: string,
    path: string,
    token?: string,
    body?: unknown,
  ): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const headers: Record<string, string> = {};
      if (token) headers['authorization'] = `Bearer ${token}`;
      if (payload !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = String(Buffer.byteLength(payload));
      }
      const req = request({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
}

/** The limit: a bare Node `http` server answering a fixed JSON, as a process of its own. */
const BARE_SERVER = `
const { createServer } = require('node:http');
const body = JSON.stringify({ status: 'ok' });
createServer((req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}).listen(Number(process.argv[1]), '127.0.0.1', () => console.log('listening'));
`;

async function waitForStatus(url: string, path: string, until: number, alive: () => boolean): Promise<void> {
  const http = new HttpClient(url);
  while (Date.now() < until) {
    if (!alive()) throw new Error(`the process behind ${url} exited`);
    try {
      if ((await http.get(path)).status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(20);
  }
  throw new Error(`${url}${path} did not answer 200 in time`);
}

// ---------------------------------------------------------------- seeding (bench only)

const ident = (c: string) => `"${c.replace(/"/g, '""')}"`;

/**
 * Copies one row of `table` (`where`) `count` times, generate_series `g` from `from`, with
 * columns given as SQL expressions of `g` in `set`; every other column is the template's.
 */
async function cloneRows(
  pg: Pool,
  table: string,
  where: string,
  whereParams: unknown[],
  from: number,
  count: number,
  set: Record<string, string>,
): Promise<void> {
  const cols = (
    await pg.query<{ column_name: string }>(
      `select column_name from information_schema.columns where table_schema = current_schema() and table_name = $1 order by ordinal_position`,
      [table],
    )
  ).rows.map((r) => r.column_name);
  for (const c of Object.keys(set)) if (!cols.includes(c)) throw new Error(`${table} has no column ${c}`);
  const select = cols.map((c) => set[c] ?? `t.${ident(c)}`).join(', ');
  const n = whereParams.length;
  await pg.query(
    `insert into ${ident(table)} (${cols.map(ident).join(', ')}) select ${select} from ${ident(table)} t, ` +
      `generate_series($${n + 1}::bigint, $${n + 2}::bigint) g where ${where}`,
    [...whereParams, from, from + count - 1],
  );
}

/**
 * `count` accounts like `template` (own IDs and emails), each with a session whose token is
 * `acs_bench_<g>`, from `from` on. Returns the tokens by index.
 */
async function seedAccounts(
  pg: Pool,
  template: { accountId: number; sessionId: string },
  from: number,
  count: number,
): Promise<{ accountId: (i: number) => number; token: (i: number) => string }> {
  await cloneRows(pg, 'accounts', 't.id = $1', [template.accountId], from, count, {
    id: `${SEEDED_ACCOUNT_BASE}::bigint + g`,
    email: `'bench-' || g || '@bench.invalid'`,
  });
  await cloneRows(pg, 'sessions', 't.id = $1', [template.sessionId], from, count, {
    id: `'BENCHSESSION' || lpad(g::text, 14, '0')`,
    account_id: `${SEEDED_ACCOUNT_BASE}::bigint + g`,
    token_hash: `encode(sha256(convert_to('acs_bench_' || g, 'UTF8')), 'hex')`,
  });
  // The sign-in's proof of recent authentication (MFA-3: a submission needs one), renewed.
  await cloneRows(pg, 'step_up_proofs', 't.session_id = $1', [template.sessionId], from, count, {
    id: `'BENCHPROOF' || lpad(g::text, 16, '0')`,
    session_id: `'BENCHSESSION' || lpad(g::text, 14, '0')`,
    created_at: 'now()',
    expires_at: `now() + interval '5 minutes'`,
  });
  return {
    accountId: (i) => SEEDED_ACCOUNT_BASE + from + i,
    token: (i) => `acs_bench_${from + i}`,
  };
}

/**
 * Deposit verification rows for seeded accounts `from`..`from+count-1`, as the API writes them
 * before it starts the run (the bank account number unsealed, as older rows hold it).
 */
async function seedVerifications(pg: Pool, templateId: string, from: number, count: number): Promise<void> {
  await cloneRows(pg, 'deposit_verifications', 't.id = $1', [templateId], from, count, {
    id: `'BENCHV' || lpad(g::text, 20, '0')`,
    account_id: `${SEEDED_ACCOUNT_BASE}::bigint + g`,
    bank_account_number: `'${SEEDED_BANK_ACCOUNT}'`,
    workflow_id: `'deposit-verification:' || (${SEEDED_ACCOUNT_BASE}::bigint + g)`,
    run_id: 'null',
    status: `'payout_pending'`,
    payout_requested_at: 'null',
    appeal_available_from: 'null',
    landed_at: 'null',
    deadline: 'null',
    closed_at: 'null',
    attempts_left: '2',
  });
}

const seededVerificationId = (g: number) => `BENCHV${String(g).padStart(20, '0')}`;

/** `count` review tasks over every kind, queue, status, priority and due date. */
async function seedReviewTasks(pg: Pool, count: number, staffId: string): Promise<void> {
  const kinds = (
    await pg.query<{ def: string }>(
      `select pg_get_constraintdef(oid) as def from pg_constraint where conname = 'review_tasks_kind_check'`,
    )
  ).rows[0].def.match(/'([a-z-]+)'/g)!;
  const kindArray = `array[${kinds.join(', ')}]`;
  for (let from = 1; from <= count; from += 50_000) {
    const to = Math.min(count, from + 49_999);
    await pg.query(
      `insert into review_tasks (id, case_id, workflow_id, run_id, kind, queue, status, account_id, priority,
         assignee_id, escalated, created_at, due_at, closed_at, state, version)
       select 'BENCHTASK' || lpad(g::text, 16, '0'), 'BENCHCASE' || lpad(g::text, 17, '0'),
         'bench-task:' || g, 'bench-run', (${kindArray})[1 + g % ${kinds.length}],
         case when g % 3 = 0 then 'senior-review' else 'review' end,
         case when g % 10 < 5 then 'completed' when g % 10 = 5 then 'cancelled'
              when g % 10 = 6 then 'information_requested' when g % 10 = 7 then 'awaiting_second_approval'
              else 'open' end,
         ${SEEDED_ACCOUNT_BASE}::bigint + g, (g % 3)::smallint,
         case when g % 4 = 0 then $3 else null end, g % 17 = 0,
         now() - (g || ' minutes')::interval, now() + ((g * 7919) % 20000 || ' minutes')::interval,
         case when g % 10 < 6 then now() else null end, '{}'::jsonb, 0
       from generate_series($1::int, $2::int) g`,
      [from, to, staffId],
    );
  }
  await pg.query('analyze review_tasks');
}

// ---------------------------------------------------------------- the run

interface Args {
  seconds: number;
  connections: number;
  open: number;
  tasks: number;
  cpuProf: boolean;
  /** The cluster lanes too: `--cluster`, or in a full run whenever the cluster is built in .tools/. */
  cluster: boolean;
  clusterOpen: number;
  only: Set<LaneKey>;
}

function args(): Args {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '8' },
      connections: { type: 'string', default: '8' },
      open: { type: 'string', default: '10000' },
      tasks: { type: 'string', default: '100000' },
      only: { type: 'string', default: LANES.join(',') },
      'cpu-prof': { type: 'boolean', default: false },
      cluster: { type: 'boolean', default: false },
      'cluster-open': { type: 'string' },
    },
  });
  const only = new Set(values.only.split(',').map((s) => s.trim()) as LaneKey[]);
  for (const l of only)
    if (!LANES.includes(l)) throw new Error(`--only: unknown lane ${l} (${LANES.join(', ')})`);
  const a: Args = {
    seconds: Number(values.seconds),
    connections: Number(values.connections),
    open: Number(values.open),
    tasks: Number(values.tasks),
    cpuProf: values['cpu-prof'],
    // A full run (no --only) includes the cluster whenever it is built.
    cluster:
      values.cluster ||
      (!process.argv.some((x) => x.startsWith('--only')) &&
        existsSync(join(REPO_ROOT, '.tools/temporal-server/bin/temporal-server'))),
    clusterOpen: Number(values['cluster-open'] ?? values.open),
    only,
  };
  for (const k of ['seconds', 'connections', 'open', 'tasks', 'clusterOpen'] as const) {
    if (!(a[k] > 0) || !Number.isFinite(a[k])) throw new Error(`--${k} must be a positive number`);
  }
  if (a.open < 20) throw new Error('--open must be at least 20');
  return a;
}

interface RawTarget {
  client: Client;
  taskQueue: string;
  from: number;
  count: number;
  next: number;
  /** Seeded indexes (g) whose run the raw client started. */
  started: number[];
}

interface Measured {
  rows: Map<string, Row>;
  /** Cluster lanes: CPU ms per request of each node. */
  nodeRows: Array<Record<string, number | string>>;
  facts: Map<string, number>;
}

async function main(): Promise<void> {
  const a = args();
  const runStartedAt = Date.now();
  const has = (l: LaneKey) => a.only.has(l);
  const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
  mkdirSync(BENCH_DIR, { recursive: true });
  const log = (name: string) => join(BENCH_DIR, `${name}-${suffix}.log`);
  const m: Measured = { rows: new Map(), facts: new Map(), nodeRows: [] };
  const fact = (name: string, value: number) => {
    m.facts.set(name, value);
    console.log(`  ${name}: ${value}`);
  };
  const loadBefore = loadavg()[0];

  if (has('coldstart')) {
    // First, on a quiet machine: nothing of the bench runs yet.
    console.log('bench: cold `npm start` of a fresh clone (the Go module cache warm)');
    const cold = await coldNpmStart(log('cold-start'));
    for (const step of cold.steps) console.log(`    ${step.step}: at ${step.atMs} ms`);
    fact('cold npm start of a fresh clone, to /health/ready (ms)', cold.totalMs);
    rmSync(log('cold-start'), { force: true });
  }
  console.log('bench: starting PostgreSQL and the Temporal dev server');
  let t = performance.now();
  await globalSetup();
  fact('platform start: PostgreSQL + dev server + workflow bundle (ms)', Math.round(performance.now() - t));
  let db: EmptyDatabase | undefined;
  let pg: Pool | undefined;
  let temporalConnection: Connection | undefined;
  let clusterConnection: Connection | undefined;
  try {
    const state = testState();
    temporalPid = state.temporalPid;
    db = await createEmptyDatabase('ac_bench');
    const [apiPort, barePort] = await Promise.all([freePort(), freePort()]);
    const url = `http://127.0.0.1:${apiPort}`;
    const taskQueue = `bench-${suffix}`;
    const env = childEnvironment({
      ...db.env,
      LOG_LEVEL: 'warn',
      API_HOST: '127.0.0.1',
      API_PORT: String(apiPort),
      PUBLIC_API_URL: url,
      TEMPORAL_ADDRESS: state.temporalAddress,
      TEMPORAL_TASK_QUEUE: taskQueue,
      // The worker loads the prebuilt bundle, as in production (the run's setup wrote it).
      WORKFLOW_BUNDLE_PATH: state.workflowBundlePath,
      SANDBOX_ROUTES: 'true',
      // The load comes from one address: the per-address limits are not what is measured.
      ...TEST_REQUEST_LIMITS,
      // Payouts never land during the run: every verification stays open.
      BANK_SANDBOX_LANDING_DELAY_MS: String(24 * 3600 * 1000),
      BANK_SANDBOX_POLL_INTERVAL_MS: '1000',
      BANK_SANDBOX_LATENCY_MS: '0-0',
    });
    t = performance.now();
    await runToCompletion('migrate', MIGRATE_MAIN, env, log('migrate'));
    fact('migrations on an empty database (ms)', Math.round(performance.now() - t));

    // Cold starts: the process spawned to its health answers.
    let apiArgs: string[] = [];
    if (a.cpuProf) {
      // --cpu-prof writes its profile on a normal exit only; SIGUSR2 asks for one.
      const preload = join(BENCH_DIR, 'exit-on-sigusr2.js');
      writeFileSync(preload, "process.on('SIGUSR2', () => process.exit(0));\n");
      apiArgs = ['--cpu-prof', '--cpu-prof-dir', BENCH_DIR, '--require', preload];
    }
    t = performance.now();
    const worker = spawnNode('worker', WORKER_MAIN, env, log('worker'));
    const workerReady = waitForWorker(state.temporalAddress, taskQueue, worker, log('worker')).then(() =>
      Math.round(performance.now() - t),
    );
    const api = spawnNode('api', API_MAIN, env, log('api'), apiArgs);
    const apiAlive = () => isAlive(api);
    await waitForStatus(url, '/health/live', Date.now() + 120_000, apiAlive);
    const liveMs = Math.round(performance.now() - t);
    await waitForStatus(url, '/health/ready', Date.now() + 120_000, apiAlive);
    fact('cold start: API process to /health/live (ms)', liveMs);
    fact('cold start: API process to /health/ready (ms)', Math.round(performance.now() - t));
    fact('cold start: worker process to polling (prebuilt bundle) (ms)', await workerReady);

    const pids: Pids = { api: api.pid!, worker: worker.pid!, temporal: state.temporalPid };
    const opts = { seconds: a.seconds, connections: a.connections, pids };
    const http = new HttpClient(url);
    const call = httpLoad(apiPort, a.connections);
    pg = new Pool({ connectionString: db.env.DATABASE_URL, max: a.connections });
    temporalConnection = await Connection.connect({ address: state.temporalAddress });
    // The codec the API and the worker use: the raw lanes pay the same sealing the API pays.
    const temporal = new Client({ connection: temporalConnection, dataConverter: TEST_DATA_CONVERTER });

    // The template owner: signed up through the API, with an open verification (never lands).
    const owner = await signUpAndSignIn(http);
    const submitted = await http.post(
      DEPOSIT,
      {
        enterpriseName: 'Template Ltd',
        licenceNumber: licenceNumber(),
        bankAccount: { holder: 'Template Ltd', bankName: 'ICBC', accountNumber: bankAccountNumber(true) },
      },
      owner.token,
    );
    if (submitted.status !== 201)
      throw new Error(`submission: ${submitted.status} ${JSON.stringify(submitted.body)}`);
    const templateVerification = submitted.body.verificationId as string;
    const templateSession = (
      await pg.query<{ id: string }>('select id from sessions where account_id = $1 limit 1', [
        owner.accountId,
      ])
    ).rows[0].id;
    const template = { accountId: owner.accountId, sessionId: templateSession };

    console.log(`bench: lanes of ${a.seconds} s on ${a.connections} connections`);
    if (has('bare')) {
      const bare = spawnChild('bare', ['-e', BARE_SERVER, String(barePort)], env, log('bare'));
      await waitForStatus(`http://127.0.0.1:${barePort}`, '/', Date.now() + 10_000, () => isAlive(bare));
      const callBare = httpLoad(barePort, a.connections);
      m.rows.set(
        'bare',
        await lane(
          'bare Node http server, fixed JSON (the limit)',
          { ...opts, pids: { ...pids, api: bare.pid! } },
          async () => (await callBare('GET', '/')).status === 200,
        ),
      );
      await stopChild('bare');
    }
    if (has('live')) {
      m.rows.set(
        'live',
        await lane('GET /health/live', opts, async () => (await call('GET', '/health/live')).status === 200),
      );
    }
    if (has('me')) {
      m.rows.set(
        'me',
        await lane(
          'GET /accounts/me',
          opts,
          async () => (await call('GET', '/accounts/me', owner.token)).status === 200,
        ),
      );
    }
    if (has('query')) {
      const handle = temporal.workflow.getHandle(workflowIds.depositVerification(owner.accountId));
      m.rows.set(
        'rawQuery',
        await lane("raw client handle.query('state')", opts, async () => {
          const s = await handle.query(depositQueries.state);
          return s.verificationId === templateVerification;
        }),
      );
      m.rows.set(
        'apiQuery',
        await lane(`GET ${DEPOSIT}/{id}`, opts, async () => {
          const r = await call('GET', `${DEPOSIT}/${templateVerification}`, owner.token);
          return r.status === 200;
        }),
      );
    }

    // Seeded accounts: a pool for the API's submissions, and accounts with verification rows
    // whose runs the raw client starts (the start lane, then the open lane up to --open).
    let nextSeed = 1;
    const seedAccountsNow = async (count: number) => {
      const from = nextSeed;
      nextSeed += count;
      t = performance.now();
      const s = await seedAccounts(pg!, template, from, count);
      return { from, ...s, ms: performance.now() - t };
    };
    /** Seeded verification rows whose runs the raw client starts on one Temporal (dev server or cluster). */
    const rawTarget = async (client: Client, queue: string, count: number): Promise<RawTarget> => {
      const seeded = await seedAccountsNow(count);
      await seedVerifications(pg!, templateVerification, seeded.from, count);
      console.log(
        `  (seeded ${count} accounts and verification rows in ${Math.round(performance.now() - t)} ms)`,
      );
      return { client, taskQueue: queue, from: seeded.from, count, next: 0, started: [] };
    };
    const startRawOn = async (target: RawTarget): Promise<boolean> => {
      if (target.next >= target.count) return false;
      const g = target.from + target.next++;
      const accountId = SEEDED_ACCOUNT_BASE + g;
      await target.client.workflow.start(WORKFLOW_TYPES.depositVerification, {
        workflowId: workflowIds.depositVerification(accountId),
        taskQueue: target.taskQueue,
        args: [{ verificationId: seededVerificationId(g), accountId, maskedAccountNumber: '**** 1235' }],
        memo: { verificationId: seededVerificationId(g) },
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        typedSearchAttributes: [
          { key: searchAttributes.accountId, value: String(accountId) },
          { key: searchAttributes.caseType, value: CASE_TYPES.depositVerification },
          { key: searchAttributes.caseStatus, value: 'payout_pending' },
        ],
      });
      target.started.push(g);
      return true;
    };
    /** Open verifications whose payout was requested: all of them, or those of one target's rows. */
    const openNow = async (target?: RawTarget) =>
      Number(
        (
          await pg!.query<{ n: string }>(
            `select count(*) as n from deposit_verifications where closed_at is null and payout_requested_at is not null` +
              (target ? ` and account_id >= $1 and account_id < $2` : ''),
            target
              ? [SEEDED_ACCOUNT_BASE + target.from, SEEDED_ACCOUNT_BASE + target.from + target.count]
              : [],
          )
        ).rows[0].n,
      );
    /** Waits until every started run has requested its payout (the worker has caught up). */
    const settle = async (expected: number, target?: RawTarget) => {
      const until = Date.now() + 30 * 60_000;
      let told = Date.now();
      for (;;) {
        const n = await openNow(target);
        if (n >= expected) return;
        if (Date.now() > until)
          throw new Error(`only ${n} of ${expected} verifications requested their payout`);
        if (Date.now() - told > 15_000) {
          console.log(`  ... ${n} of ${expected} open`);
          told = Date.now();
        }
        await sleep(500);
      }
    };
    /** payoutLanded to a payout_pending run, to the query that shows it handled. */
    const signalTimes = async (target: RawTarget, gs: number[]) => {
      const times: number[] = [];
      for (const g of gs) {
        const handle = target.client.workflow.getHandle(
          workflowIds.depositVerification(SEEDED_ACCOUNT_BASE + g),
        );
        const t0 = performance.now();
        await handle.signal(depositSignals.payoutLanded, {
          landedAt: new Date().toISOString(),
          bankReference: `bench-${g}`,
        });
        for (;;) {
          if ((await handle.query(depositQueries.state)).status === 'awaiting_amount') break;
          if (performance.now() - t0 > 60_000) throw new Error(`signal to ${g} not handled in 60 s`);
        }
        times.push(performance.now() - t0);
      }
      times.sort((x, y) => x - y);
      return +percentile(times, 50).toFixed(1);
    };
    const signalSamples = 7;

    let expectedOpen = 1; // the template owner's
    const dev =
      has('open') || has('start')
        ? await rawTarget(temporal, taskQueue, a.open + a.seconds * 600 + 100)
        : undefined;
    const startRaw = () => startRawOn(dev!);
    if (has('open')) {
      // With 10 open: 9 more runs next to the template's; the signals go to 7 of them.
      for (let k = 0; k < 9; k += 1) await startRaw();
      expectedOpen += 9;
      await settle(expectedOpen);
      fact('worker RSS with 10 open verifications (MiB)', (await settledResidentMiB(worker.pid!)).settled);
      fact(
        'signal handled, 10 open, median of 7 (ms)',
        await signalTimes(dev!, dev!.started.slice(0, signalSamples)),
      );
    }
    if (has('start')) {
      // Both start lanes count until their workflows have run their first steps (payout
      // requested): a start answers before its work is done, and the work left behind would be
      // billed to whatever runs next.
      m.rows.set(
        'rawStart',
        await lane(
          'raw client workflow.start (deposit verification)',
          { ...opts, drain: () => settle(1 + dev!.started.length) },
          startRaw,
        ),
      );
      expectedOpen = 1 + dev!.started.length;
      // Owners without a verification, one per submission the API can take in the lane.
      const poolSize = a.seconds * 400 + 200;
      const owners = await seedAccountsNow(poolSize);
      console.log(`  (seeded ${poolSize} accounts with sessions in ${Math.round(owners.ms)} ms)`);
      let nextOwner = 0;
      let submittedByApi = 0;
      await settle(expectedOpen);
      m.rows.set(
        'apiStart',
        await lane(
          `POST ${DEPOSIT}`,
          { ...opts, drain: () => settle(expectedOpen + submittedByApi) },
          async () => {
            const i = nextOwner++;
            if (i >= poolSize) return false;
            const r = await call('POST', DEPOSIT, owners.token(i), {
              enterpriseName: `Bench ${i} Ltd`,
              licenceNumber: licenceNumber(),
              bankAccount: {
                holder: `Bench ${i} Ltd`,
                bankName: 'ICBC',
                accountNumber: bankAccountNumber(true),
              },
            });
            if (r.status !== 201) throw new Error(`${r.status} ${r.text.slice(0, 300)}`);
            submittedByApi += 1;
            return true;
          },
        ),
      );
      expectedOpen += submittedByApi;
      await settle(expectedOpen);
    }
    if (has('inbox')) {
      const orm = await MikroORM.init(createOrmOptions({ url: db.env.DATABASE_URL, debug: false }));
      const config = parseConfig({});
      const staff = await createStaffMember(orm, new SecretBox(decodeKey32(config.mfa.encryptionKey)!), {
        email: `bench.reviewer.${suffix}@example.com`,
        role: 'reviewer',
        now: new Date(),
        issuer: 'bench',
      });
      await orm.close(true);
      t = performance.now();
      await seedReviewTasks(pg, a.tasks, staff.staffId);
      console.log(`  (seeded ${a.tasks} review tasks in ${Math.round(performance.now() - t)} ms)`);
      const session = await http.post('/staff/sessions', {
        email: staff.email,
        password: staff.password,
        code: codeFor(staff.totpSecret, new SystemClock()),
      });
      if (session.status !== 200 && session.status !== 201)
        throw new Error(`staff sign-in: ${session.status} ${JSON.stringify(session.body)}`);
      const staffToken = session.body.token as string;
      const limit = 25;
      const sql =
        `select id, case_id, kind, queue, status, account_id, priority, assignee_id, escalated, created_at, due_at, closed_at ` +
        `from review_tasks where status in (${OPEN_TASK_STATUSES.map((_, k) => `$${k + 1}`).join(', ')}) ` +
        `and queue = $${OPEN_TASK_STATUSES.length + 1} and assignee_id is null order by due_at asc, id asc limit ${limit + 1}`;
      const plan = (
        await pg.query<{ 'QUERY PLAN': string }>(`explain ${sql}`, [...OPEN_TASK_STATUSES, 'review'])
      ).rows
        .map((r) => r['QUERY PLAN'])
        .join('\n    ');
      console.log(`  raw select's plan:\n    ${plan}`);
      m.rows.set(
        'rawInbox',
        await lane('raw indexed SQL select of the first page', opts, async () => {
          const r = await pg!.query(sql, [...OPEN_TASK_STATUSES, 'review']);
          return r.rowCount === limit + 1;
        }),
      );
      m.rows.set(
        'apiInbox',
        await lane('GET /staff/review-tasks?queue=review&assigned=unassigned&sort=due', opts, async () => {
          const r = await call(
            'GET',
            '/staff/review-tasks?queue=review&assigned=unassigned&sort=due',
            staffToken,
          );
          return r.status === 200;
        }),
      );
    }
    if (has('open')) {
      const toStart = Math.max(0, a.open - expectedOpen);
      console.log(`bench: starting ${toStart} more verifications to hold ${a.open} open on the worker`);
      t = performance.now();
      let remaining = toStart;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (remaining > 0) {
            remaining -= 1;
            if (!(await startRaw())) throw new Error('the pool of seeded verifications ran out');
          }
        }),
      );
      expectedOpen += toStart;
      await settle(expectedOpen);
      fact(
        `${a.open} verifications opened and settled on the worker (s)`,
        Math.round((performance.now() - t) / 1000),
      );
      const rss = await settledResidentMiB(worker.pid!);
      fact(`worker RSS while opening them, peak (MiB)`, rss.peak);
      fact(`worker RSS with ${await openNow()} open verifications, settled (MiB)`, rss.settled);
      m.facts.set('rssOpen', rss.settled);
      // Runs that have not had a signal yet, spread over all of them.
      const pending = dev!.started.slice(signalSamples);
      const step = Math.floor(pending.length / signalSamples);
      const picks = Array.from({ length: signalSamples }, (_, k) => pending[k * step + Math.floor(step / 2)]);
      fact(`signal handled, ${a.open} open, median of 7 (ms)`, await signalTimes(dev!, picks));
    }
    fact('API RSS at the end (MiB)', residentMiB(api.pid!));

    if (a.cpuProf) {
      await stopChild('api', 'SIGUSR2');
      const profile = readdirSync(BENCH_DIR)
        .filter((f) => f.startsWith('CPU.') && f.endsWith('.cpuprofile'))
        .map((f) => join(BENCH_DIR, f))
        .filter((f) => statSync(f).mtimeMs >= runStartedAt)
        .sort((x, y) => statSync(y).mtimeMs - statSync(x).mtimeMs)[0];
      if (profile) printProfileSummary(profile);
      else console.log(`no CPU profile of the API found in ${BENCH_DIR}`);
    }
    if (a.cluster) {
      // The dev server's API and worker step aside: the two cores go to the cluster's lanes.
      await stopChild('api');
      await stopChild('worker');
      console.log(
        'bench: the Temporal cluster (frontend, matching, worker, 2 history nodes; 8 shards on PostgreSQL)',
      );
      t = performance.now();
      const clusterRun = join(BENCH_DIR, `cluster-${suffix}`);
      mkdirSync(clusterRun, { recursive: true });
      const cluster = await startCluster(clusterRun, state.postgresAdminUrl, 1);
      clusterPid = cluster.pid;
      fact(
        'cluster start: schema, 5 nodes, registration, shards owned (ms)',
        Math.round(performance.now() - t),
      );
      const nodes = Object.fromEntries(
        CLUSTER_NODES.map((n) => [n, nodePid({ clusterDir: cluster.dir } as ClusterState, n)]),
      );
      const address = `127.0.0.1:${cluster.port}`;
      const clusterQueue = `bench-cluster-${suffix}`;
      const clusterWorker = spawnNode(
        'cluster-worker',
        WORKER_MAIN,
        { ...env, TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: clusterQueue },
        log('cluster-worker'),
      );
      await waitForWorker(address, clusterQueue, clusterWorker, log('cluster-worker'));
      clusterConnection = await Connection.connect({ address });
      const onCluster = await rawTarget(
        new Client({ connection: clusterConnection, dataConverter: TEST_DATA_CONVERTER }),
        clusterQueue,
        a.clusterOpen + a.seconds * 600 + 100,
      );
      const cpids: Pids = {
        api: nodes['frontend'],
        worker: clusterWorker.pid!,
        temporal: nodes['history-1'],
      };
      const copts = { ...opts, pids: cpids };
      // Per node: CPU milliseconds per request of every cluster process during a lane.
      const perNode = async (name: string, key: string, fn: () => Promise<Row>) => {
        const before = Object.fromEntries(Object.entries(nodes).map(([n, pid]) => [n, cpuMs(pid)]));
        const row = await fn();
        m.rows.set(key, row);
        const n = Math.max(1, row.requests);
        m.nodeRows.push({
          lane: name,
          'req/s': row['req/s'],
          ...Object.fromEntries(
            Object.entries(nodes).map(([node, pid]) => [node, +((cpuMs(pid) - before[node]) / n).toFixed(2)]),
          ),
          'app worker': row.worker,
        });
      };
      for (let k = 0; k < 10; k += 1) await startRawOn(onCluster);
      await settle(10, onCluster);
      const queried = onCluster.client.workflow.getHandle(
        workflowIds.depositVerification(SEEDED_ACCOUNT_BASE + onCluster.started[0]),
      );
      fact(
        'cluster worker RSS with 10 open verifications (MiB)',
        (await settledResidentMiB(clusterWorker.pid!)).settled,
      );
      fact(
        'cluster: signal handled, 10 open, median of 7 (ms)',
        await signalTimes(onCluster, onCluster.started.slice(1, 1 + signalSamples)),
      );
      await perNode('cluster: raw client workflow.start', 'clusterStart', () =>
        lane(
          'cluster: raw client workflow.start (deposit verification)',
          { ...copts, drain: () => settle(onCluster.started.length, onCluster) },
          () => startRawOn(onCluster),
        ),
      );
      await settle(onCluster.started.length, onCluster);
      await perNode('cluster: raw client query', 'clusterQuery', () =>
        lane("cluster: raw client handle.query('state')", copts, async () => {
          const st = await queried.query(depositQueries.state);
          return st.verificationId === seededVerificationId(onCluster.started[0]);
        }),
      );
      const toStart = Math.max(0, a.clusterOpen - onCluster.started.length);
      console.log(
        `bench: starting ${toStart} more verifications to hold ${a.clusterOpen} open on the cluster`,
      );
      t = performance.now();
      let remaining = toStart;
      const before = Object.fromEntries(Object.entries(nodes).map(([n, pid]) => [n, cpuMs(pid)]));
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (remaining > 0) {
            remaining -= 1;
            if (!(await startRawOn(onCluster))) throw new Error('the pool of seeded verifications ran out');
          }
        }),
      );
      await settle(onCluster.started.length, onCluster);
      const seconds = (performance.now() - t) / 1000;
      fact(`cluster: ${a.clusterOpen} verifications opened and settled (s)`, Math.round(seconds));
      fact(`cluster: open verifications settled per second`, Math.round(toStart / seconds));
      m.nodeRows.push({
        lane: `cluster: ${toStart} opened and settled (CPU ms per verification)`,
        'req/s': Math.round(toStart / seconds),
        ...Object.fromEntries(
          Object.entries(nodes).map(([node, pid]) => [
            node,
            +((cpuMs(pid) - before[node]) / Math.max(1, toStart)).toFixed(2),
          ]),
        ),
      });
      const rss = await settledResidentMiB(clusterWorker.pid!);
      fact('cluster worker RSS while opening them, peak (MiB)', rss.peak);
      fact(`cluster worker RSS with ${a.clusterOpen} open verifications, settled (MiB)`, rss.settled);
      m.facts.set('clusterRssOpen', rss.settled);
      fact(
        'cluster: RSS of each node (MiB)',
        Object.values(nodes).reduce((sum, pid) => sum + residentMiB(pid), 0),
      );
      for (const [node, pid] of Object.entries(nodes)) console.log(`    ${node}: ${residentMiB(pid)} MiB`);
      const pending = onCluster.started.slice(1 + signalSamples);
      const step = Math.floor(pending.length / signalSamples);
      const picks = Array.from({ length: signalSamples }, (_, k) => pending[k * step + Math.floor(step / 2)]);
      fact(
        `cluster: signal handled, ${a.clusterOpen} open, median of 7 (ms)`,
        await signalTimes(onCluster, picks),
      );
      console.log('  shards per history node:');
      for (const [node, shards] of Object.entries(
        await shardOwners({ clusterPort: cluster.port } as ClusterState),
      )) {
        console.log(`    ${node}: ${shards}`);
      }
      await stopChild('cluster-worker');
    }
    report(m, a, loadBefore);
    for (const f of ['api', 'worker', 'migrate', 'bare']) rmSync(log(f), { force: true });
  } finally {
    await clusterConnection?.close();
    await stopChild('cluster-worker');
    if (clusterPid !== undefined) await stopCluster(clusterPid);
    clusterPid = undefined;
    await temporalConnection?.close();
    await pg?.end();
    await stopChild('api');
    await stopChild('worker');
    await stopChild('bare');
    await db?.drop();
    await globalTeardown();
    temporalPid = undefined;
  }
}

/** The lanes side by side, then the ratios with the issue's targets. */
function report(m: Measured, a: Args, loadBefore: number): void {
  console.log('');
  console.table([...m.rows.values()]);
  if (m.nodeRows.length) {
    console.log('cluster: CPU ms per request (or per verification) of each node');
    console.table(m.nodeRows);
  }
  console.log('');
  const row = (k: string) => m.rows.get(k);
  const ratios: Array<{ ratio: string; value: string; target: string; met: string }> = [];
  const add = (ratio: string, value: number | undefined, target: string, ok: (v: number) => boolean) => {
    if (value === undefined || Number.isNaN(value)) return;
    ratios.push({ ratio, value: value.toFixed(3), target, met: ok(value) ? 'MET' : 'NOT MET' });
  };
  const div = (x?: number, y?: number) => (x === undefined || y === undefined ? undefined : x / y);
  add(
    'GET /health/live ÷ bare (throughput)',
    div(row('live')?.['req/s'], row('bare')?.['req/s']),
    'informational',
    () => true,
  );
  add(
    'GET /accounts/me ÷ bare (throughput)',
    div(row('me')?.['req/s'], row('bare')?.['req/s']),
    '≥ 0.25',
    (v) => v >= 0.25,
  );
  add(
    'API state read ÷ raw query (throughput)',
    div(row('apiQuery')?.['req/s'], row('rawQuery')?.['req/s']),
    '≥ 0.95',
    (v) => v >= 0.95,
  );
  add(
    'API state read ÷ raw query (p99)',
    div(row('apiQuery')?.['p99 ms'], row('rawQuery')?.['p99 ms']),
    '≤ 1.1',
    (v) => v <= 1.1,
  );
  const settledRate = (r: Row | undefined) =>
    typeof r?.['settled/s'] === 'number' ? r['settled/s'] : undefined;
  add(
    'API submission ÷ raw start (throughput, their first steps done)',
    div(settledRate(row('apiStart')), settledRate(row('rawStart'))),
    '≥ 0.8',
    (v) => v >= 0.8,
  );
  add(
    'API submission ÷ raw start (answers per second)',
    div(row('apiStart')?.['req/s'], row('rawStart')?.['req/s']),
    'informational',
    () => true,
  );
  add(
    'inbox first page ÷ raw select (p99)',
    div(row('apiInbox')?.['p99 ms'], row('rawInbox')?.['p99 ms']),
    '≤ 2',
    (v) => v <= 2,
  );
  add(`worker RSS with ${a.open} open (MiB)`, m.facts.get('rssOpen'), '≤ 300', (v) => v <= 300);
  const s10 = m.facts.get('signal handled, 10 open, median of 7 (ms)');
  const sN = m.facts.get(`signal handled, ${a.open} open, median of 7 (ms)`);
  add(`signal handled, ${a.open} open ÷ 10 open`, div(sN, s10), '≤ 2', (v) => v <= 2);
  const c10 = m.facts.get('cluster: signal handled, 10 open, median of 7 (ms)');
  const cN = m.facts.get(`cluster: signal handled, ${a.clusterOpen} open, median of 7 (ms)`);
  add(`cluster: signal handled, ${a.clusterOpen} open ÷ 10 open`, div(cN, c10), '≤ 2', (v) => v <= 2);
  add(
    `cluster: app worker RSS with ${a.clusterOpen} open (MiB)`,
    m.facts.get('clusterRssOpen'),
    '≤ 300',
    (v) => v <= 300,
  );
  add(
    'cluster ÷ dev server: workflow starts per second (first steps done)',
    div(settledRate(row('clusterStart')), settledRate(row('rawStart'))),
    'informational',
    () => true,
  );
  add(
    'cluster ÷ dev server: queries per second',
    div(row('clusterQuery')?.['req/s'], row('rawQuery')?.['req/s']),
    'informational',
    () => true,
  );
  add(
    'cold npm start of a fresh clone, to /health/ready (ms)',
    m.facts.get('cold npm start of a fresh clone, to /health/ready (ms)'),
    'measured',
    () => true,
  );
  add(
    'cold start: API to /health/ready (ms)',
    m.facts.get('cold start: API process to /health/ready (ms)'),
    'measured',
    () => true,
  );
  console.table(ratios);
  console.log(
    `1-min load average: ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after (2 cores)`,
  );
}

// Whatever happens, the children this run spawned (and its Temporal dev server) do not outlive it.
let temporalPid: number | undefined;
let clusterPid: number | undefined;
stopChildrenWithProcess(() => {
  if (clusterPid !== undefined) {
    try {
      process.kill(-clusterPid, 'SIGKILL');
    } catch {
      // already stopped
    }
  }
  if (temporalPid === undefined) return;
  try {
    process.kill(temporalPid, 'SIGTERM');
  } catch {
    // already stopped by the teardown
  }
});

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
