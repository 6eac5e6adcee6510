/**
 * `npm run chaos`: a crash run of deposit verification (RN-8). Verifications are in flight while
 * the API and the worker (separate processes from dist/, as in production) are killed with
 * SIGKILL and restarted, and the Temporal dev server, keeping its state in a SQLite file, is killed
 * and restarted once. Clients retry as a sensible client does: a submission again with the same
 * details, an amount entry again with the same Idempotency-Key, after network errors, timeouts,
 * 5xx and "try again shortly" 409s. Then it checks, prints, and exits non-zero unless all are 0:
 * double payouts, lost payouts, attempts spent twice, stuck workflows (and any other surprise).
 *   npm run chaos -- --verifications 24 --api-kills 5 --worker-kills 4 --timeout 300
 *   npm run chaos -- --cluster   (on a Temporal cluster, scripts/temporal-cluster.sh: instead of the
 *                                 dev server, one of its two history nodes is SIGKILLed mid-run and
 *                                 its shards move to the other)
 * Bounded: every count is fixed and the whole run gives up after --timeout seconds. Traffic goes to
 * 127.0.0.1 only: an embedded PostgreSQL, a private dev server, the API and the worker.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { depositUpdates, SEARCH_ATTRIBUTE_REGISTRY } from '../../libs/temporal/src/contract';
import { nodePid, shardOwners, stopCluster, type ClusterState } from '../cluster/cluster-state';
import { startCluster } from '../cluster/global-setup';
import { TEST_DATA_CONVERTER } from '../support/codec';
import { createEmptyDatabase, type EmptyDatabase } from '../support/databases';
import { bankAccountNumber, licenceNumber, signUpAndSignIn, type TestAccount } from '../support/factories';
import { HttpClient, type HttpResponse } from '../support/http';
import { REPO_ROOT } from '../support/paths';
import { freePorts } from '../support/ports';
import { startTestPostgres, stopTestPostgres } from '../support/postgres-setup';
import { TEST_REQUEST_LIMITS } from '../support/test-env';
import {
  API_MAIN,
  childEnvironment,
  children,
  isAlive,
  waitForTemporal,
  MIGRATE_MAIN,
  runToCompletion,
  spawnChild,
  spawnNode,
  stopChild,
  waitForHealth,
  waitForWorker,
  WORKER_MAIN,
  stopChildrenWithProcess,
} from '../support/processes';

const BASE = '/verifications/enterprise/deposit';
const CHAOS_DIR = join(REPO_ROOT, '.data/chaos');
/** How long a client waits for one answer before it gives up on that request and retries. */
const CLIENT_TIMEOUT_MS = 20_000;
/** Seconds between two crashes, roughly; clients are spread over the crash window. */
const CRASH_EVERY_MS = 3_000;

type Plan = 'right-first' | 'wrong-then-right' | 'wrong-twice';
const PLANS: Plan[] = ['right-first', 'wrong-then-right', 'wrong-twice'];
/** What a plan must end in: a correct run spends exactly as many attempts as entries it sent. */
const EXPECTED: Record<Plan, { status: string; outcomes: string[]; attemptsLeft: number[] }> = {
  'right-first': { status: 'verified', outcomes: ['verified'], attemptsLeft: [1] },
  'wrong-then-right': { status: 'verified', outcomes: ['wrong_amount', 'verified'], attemptsLeft: [1, 0] },
  'wrong-twice': { status: 'failed', outcomes: ['wrong_amount', 'failed'], attemptsLeft: [1, 0] },
};

interface Entry {
  key: string;
  amountFen: number;
  answers: Array<{ outcome: string; attemptsLeft: number }>;
}

interface Run {
  i: number;
  plan: Plan;
  owner: TestAccount;
  accountNumber: string;
  licence: string;
  verificationIds: Set<string>;
  entries: Entry[];
  retries: number;
  finished: boolean;
  problem?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const jitter = (min: number, max: number) => min + Math.floor(Math.random() * (max - min));

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      verifications: { type: 'string', default: '24' },
      'api-kills': { type: 'string', default: '5' },
      'worker-kills': { type: 'string', default: '4' },
      timeout: { type: 'string', default: '300' },
      cluster: { type: 'boolean', default: false },
    },
  });
  const onCluster = values.cluster;
  const count = Number(values.verifications);
  const apiKills = Number(values['api-kills']);
  const workerKills = Number(values['worker-kills']);
  const timeoutMs = Number(values.timeout) * 1000;
  for (const [name, v] of Object.entries({ count, apiKills, workerKills, timeoutMs })) {
    if (!Number.isInteger(v) || v < 0 || (name !== 'apiKills' && name !== 'workerKills' && v < 1)) {
      throw new Error(`--${name} must be a whole number`);
    }
  }
  const deadline = Date.now() + timeoutMs;
  const watchdog = setTimeout(() => {
    console.error(`chaos: gave up after ${timeoutMs / 1000} s (--timeout)`);
    process.exit(2);
  }, timeoutMs + 60_000);
  watchdog.unref();

  const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const runDir = join(CHAOS_DIR, `run-${suffix}`);
  mkdirSync(runDir, { recursive: true });
  const log = (name: string) => join(runDir, `${name}.log`);

  const { adminUrl } = await startTestPostgres();
  let db: EmptyDatabase | undefined;
  let temporalChild: ChildProcess | undefined;
  let stopSupervisor = () => undefined as void;
  try {
    db = await createEmptyDatabase('ac_chaos');

    const [temporalPort, uiPort, httpPort, metricsPort, apiPort] = await freePorts(5);
    let address = `127.0.0.1:${temporalPort}`;
    let startTemporal: () => Promise<void>;
    /** The Temporal crash: the dev server killed and restarted, or one cluster history node killed. */
    let crashTemporal: () => Promise<string>;
    if (onCluster) {
      // scripts/temporal-cluster.sh: frontend, matching, worker and two history nodes sharing 8
      // shards on this run's PostgreSQL. The crash kills history-2 for good: its shards must move.
      const cluster = await startCluster(join(runDir, 'cluster'), adminUrl, 1);
      clusterPid = cluster.pid;
      address = `127.0.0.1:${cluster.port}`;
      const state = { clusterDir: cluster.dir, clusterPort: cluster.port } as ClusterState;
      console.log(`chaos: cluster up, shards ${JSON.stringify(await shardOwners(state))}`);
      startTemporal = () => Promise.resolve();
      crashTemporal = async () => {
        process.kill(nodePid(state, 'history-2'), 'SIGKILL');
        const t0 = Date.now();
        for (;;) {
          const owners = await shardOwners(state);
          if (owners['history-1'] === 8 && !owners['history-2']) break;
          if (Date.now() - t0 > 120_000) throw new Error(`shards did not move: ${JSON.stringify(owners)}`);
          await sleep(250);
        }
        return `history-2 SIGKILLed; its shards moved to history-1 in ${Date.now() - t0} ms`;
      };
    } else {
      // The dev server keeps its state in a SQLite file, so it can be killed and started again.
      const cli = execFileSync('bash', [join(REPO_ROOT, 'scripts/temporal-cli.sh')], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      }).trim();
      const temporalArgs = [
        'server',
        'start-dev',
        '--ip',
        '127.0.0.1',
        '--port',
        String(temporalPort),
        '--ui-port',
        String(uiPort),
        '--http-port',
        String(httpPort),
        '--metrics-port',
        String(metricsPort),
        '--db-filename',
        join(runDir, 'temporal.sqlite'),
        '--headless',
        '--log-level',
        'warn',
        ...SEARCH_ATTRIBUTE_REGISTRY.flatMap((a) => ['--search-attribute', `${a.name}=${a.type}`]),
      ];
      startTemporal = async () => {
        temporalChild = spawnChild('temporal', temporalArgs, childEnvironment({}), log('temporal'), cli);
        await waitForTemporal(address, Date.now() + 60_000, () => !isAlive(temporalChild));
      };
      crashTemporal = async () => {
        temporalChild?.kill('SIGKILL');
        await sleep(1_500);
        await startTemporal();
        return 'dev server killed and restarted';
      };
    }
    await startTemporal();

    const url = `http://127.0.0.1:${apiPort}`;
    const taskQueue = `chaos-${suffix}`;
    const env = childEnvironment({
      ...db.env,
      LOG_LEVEL: 'warn',
      API_HOST: '127.0.0.1',
      API_PORT: String(apiPort),
      PUBLIC_API_URL: url,
      TEMPORAL_ADDRESS: address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      SANDBOX_ROUTES: 'true',
      // Every client of the run is 127.0.0.1: the per-address limits are not what is tested.
      ...TEST_REQUEST_LIMITS,
      BANK_SANDBOX_LANDING_DELAY_MS: '0',
      BANK_SANDBOX_POLL_INTERVAL_MS: '100',
      BANK_SANDBOX_LATENCY_MS: '0-0',
    });
    await runToCompletion('migrate', MIGRATE_MAIN, env, log('migrate'));

    // The API and the worker are kept running: one that dies (killed here, or unable to reach a
    // Temporal that is restarting) is started again after `downUntil`.
    const mains = { api: API_MAIN, worker: WORKER_MAIN } as const;
    type Name = keyof typeof mains;
    const downUntil: Record<Name, number> = { api: 0, worker: 0 };
    const starts: Record<Name, number> = { api: 0, worker: 0 };
    const start = (name: Name) => {
      starts[name] += 1;
      return spawnNode(name, mains[name], env, log(name));
    };
    const http = new HttpClient(url);
    const api = start('api');
    const worker = start('worker');
    await Promise.all([
      waitForHealth(http, api, log('api')),
      waitForWorker(address, taskQueue, worker, log('worker')),
    ]);
    const supervisor = setInterval(() => {
      for (const name of Object.keys(mains) as Name[]) {
        if (!isAlive(children.get(name)) && Date.now() >= downUntil[name]) start(name);
      }
    }, 200);
    stopSupervisor = () => clearInterval(supervisor);

    // Accounts first: the crash run is about verifications, not sign-up.
    const runs: Run[] = [];
    for (let i = 0; i < count; i += 1) {
      runs.push({
        i,
        plan: PLANS[i % PLANS.length],
        owner: await signUpAndSignIn(http),
        accountNumber: bankAccountNumber(true),
        licence: licenceNumber(),
        verificationIds: new Set(),
        entries: [],
        retries: 0,
        finished: false,
      });
    }

    const crashes = [
      ...Array.from({ length: apiKills }, () => 'api' as const),
      ...Array.from({ length: workerKills }, () => 'worker' as const),
    ].sort(() => Math.random() - 0.5);
    // The dev server goes down once, in the middle.
    crashes.splice(Math.floor(crashes.length / 2), 0, 'temporal' as never);
    const window = crashes.length * CRASH_EVERY_MS;
    const done = { api: 0, worker: 0, temporal: 0 };

    const chaos = (async () => {
      for (const target of crashes as Array<Name | 'temporal'>) {
        await sleep(jitter(CRASH_EVERY_MS / 2, (CRASH_EVERY_MS * 3) / 2));
        if (target === 'temporal') {
          console.log(`chaos: ${await crashTemporal()}`);
        } else {
          downUntil[target] = Date.now() + jitter(100, 1_500);
          const child = children.get(target);
          if (isAlive(child)) child.kill('SIGKILL');
        }
        done[target] += 1;
        console.log(`chaos: ${target} killed (${done[target]})`);
      }
    })();

    const clients = Promise.all(runs.map((r) => client(r, http, deadline, jitter(0, window))));
    await Promise.all([chaos, clients]);
    console.log('chaos: crashes over; clients finished; settling');

    // Everything up again, then every workflow must close on its own.
    for (const name of Object.keys(mains) as Name[]) downUntil[name] = 0;
    await waitForHealth(http, children.get('api') ?? start('api'), log('api'), 60_000).catch(() => undefined);

    const results = await check(runs, db, address, deadline);
    const retries = runs.reduce((n, r) => n + r.retries, 0);
    console.log(
      `chaos: ${count} verifications; API killed ${done.api}×, worker killed ${done.worker}×, ` +
        `${onCluster ? 'cluster history node killed' : 'Temporal dev server restarted'} ${done.temporal}×; processes started: API ${starts.api}, ` +
        `worker ${starts.worker}; client retries: ${retries}`,
    );
    console.log(`double payouts: ${results.doublePayouts}`);
    console.log(`lost payouts: ${results.lostPayouts}`);
    console.log(`attempts spent twice: ${results.attemptsSpentTwice}`);
    console.log(`stuck workflows: ${results.stuck}`);
    console.log(`other problems: ${results.other.length}`);
    for (const p of results.problems) console.log(`  - ${p}`);
    const ok =
      results.doublePayouts + results.lostPayouts + results.attemptsSpentTwice + results.stuck === 0 &&
      results.other.length === 0;
    console.log(ok ? 'chaos: PASSED' : `chaos: FAILED (logs in ${runDir})`);
    process.exitCode = ok ? 0 : 1;
    if (ok) rmSync(runDir, { recursive: true, force: true });
  } finally {
    stopSupervisor();
    await stopChild('api');
    await stopChild('worker');
    await stopChild('temporal');
    if (clusterPid !== undefined) await stopCluster(clusterPid);
    clusterPid = undefined;
    await db?.drop().catch(() => undefined);
    await stopTestPostgres();
    clearTimeout(watchdog);
  }
}

/**
 * One owner, as a sensible client: submits the bank details, waits for the payout, reads the
 * amount on the statement and enters it per its plan; every request is repeated unchanged (the
 * same Idempotency-Key for an entry) until it gets a definite answer.
 */
async function client(run: Run, http: HttpClient, deadline: number, startAfterMs: number): Promise<void> {
  const send = async (what: string, fn: (signal: AbortSignal) => Promise<HttpResponse>) => {
    for (;;) {
      if (Date.now() > deadline) throw new Error(`gave up on ${what}`);
      try {
        const r = await fn(AbortSignal.timeout(CLIENT_TIMEOUT_MS));
        const code = (r.body as { error?: { code?: string } } | undefined)?.error?.code;
        const again =
          r.status >= 500 ||
          (r.status === 409 && (code === 'verification_in_progress' || code === 'verification_closing'));
        if (!again) return r;
        const retryAfter = Number(r.headers.get('retry-after') ?? '0');
        await sleep(Math.min(Math.max(retryAfter * 1000, 200), 2_000));
      } catch {
        // The API is down, or the request took too long: try again, unchanged.
        await sleep(jitter(200, 600));
      }
      run.retries += 1;
    }
  };
  const get = (path: string) =>
    send(`GET ${path}`, (signal) => http.request('GET', path, { token: run.owner.token, signal }));

  try {
    await sleep(startAfterMs);
    const body = {
      enterpriseName: `Chaos ${run.i} Ltd`,
      licenceNumber: run.licence,
      bankAccount: { holder: `Chaos ${run.i} Ltd`, bankName: 'ICBC', accountNumber: run.accountNumber },
    };
    const submitted = await send('submission', (signal) =>
      http.request('POST', BASE, { body, token: run.owner.token, signal }),
    );
    if (submitted.status !== 201 && submitted.status !== 200) {
      throw new Error(`submission answered ${submitted.status} ${JSON.stringify(submitted.body)}`);
    }
    const id = submitted.body.verificationId as string;
    run.verificationIds.add(id);

    let amount: number | undefined;
    while (amount === undefined) {
      if (Date.now() > deadline) throw new Error('the payout never landed');
      const v = await get(`${BASE}/${id}`);
      if (v.body?.status === 'awaiting_amount') {
        const st = await get(`/sandbox/bank/statement?accountNumber=${run.accountNumber}`);
        amount = (st.body as Array<{ amountFen: number }>)[0]?.amountFen;
      }
      if (amount === undefined) await sleep(250);
    }
    const wrong = [(amount % 99) + 1, ((amount + 1) % 99) + 1];
    const amounts =
      run.plan === 'right-first' ? [amount] : run.plan === 'wrong-then-right' ? [wrong[0], amount] : wrong;

    for (const [n, amountFen] of amounts.entries()) {
      await sleep(jitter(0, 1_500));
      const entry: Entry = { key: randomUUID(), amountFen, answers: [] };
      run.entries.push(entry);
      const enter = () =>
        send(`entry ${n + 1}`, (signal) =>
          http.request('POST', `${BASE}/${id}/amount`, {
            body: { amountFen },
            token: run.owner.token,
            headers: { 'Idempotency-Key': entry.key },
            signal,
          }),
        );
      // Every other owner double-clicks its first entry.
      const copies = n === 0 && run.i % 2 === 0 ? await Promise.all([enter(), enter()]) : [await enter()];
      for (const r of copies) {
        if (r.status !== 200)
          throw new Error(`entry ${n + 1} answered ${r.status} ${JSON.stringify(r.body)}`);
        entry.answers.push({
          outcome: r.body.outcome as string,
          attemptsLeft: r.body.attemptsLeft as number,
        });
      }
    }
    run.finished = true;
  } catch (err) {
    run.problem = err instanceof Error ? err.message : String(err);
  }
}

interface Results {
  doublePayouts: number;
  lostPayouts: number;
  attemptsSpentTwice: number;
  stuck: number;
  other: string[];
  problems: string[];
}

/** The checks, from the database, the sandbox bank's ledger and Temporal, after the crashes. */
async function check(runs: Run[], db: EmptyDatabase, address: string, deadline: number): Promise<Results> {
  const r: Results = {
    doublePayouts: 0,
    lostPayouts: 0,
    attemptsSpentTwice: 0,
    stuck: 0,
    other: [],
    problems: [],
  };
  const pg = new PgClient({ connectionString: db.env.DATABASE_URL });
  await pg.connect();
  const connection = await Connection.connect({ address });
  const temporal = new Client({ connection, dataConverter: TEST_DATA_CONVERTER });
  // Workflows get a minute to close on their own once everything is up again.
  const settleUntil = Math.min(deadline, Date.now()) + 60_000;
  try {
    for (const run of runs) {
      const who = `#${run.i} (${run.plan}, account ${run.owner.accountId})`;
      const rows = (
        await pg.query<{
          id: string;
          status: string;
          attempts_left: number;
          run_id: string | null;
          workflow_id: string;
        }>(
          'select id, status, attempts_left, run_id, workflow_id from deposit_verifications where account_id = $1',
          [run.owner.accountId],
        )
      ).rows;
      const transfers = (
        await pg.query<{ idempotency_key: string; status: string; webhook_delivered_at: Date | null }>(
          `select t.idempotency_key, t.status, t.webhook_delivered_at from sandbox_bank_transfers t
           join bank_payouts p on p.idempotency_key = t.idempotency_key
           join deposit_verifications v on v.id = p.verification_id where v.account_id = $1`,
          [run.owner.accountId],
        )
      ).rows;

      // One submission, repeated as often as it took: one verification, one payout.
      if (transfers.length > 1 || rows.length > 1 || run.verificationIds.size > 1) {
        r.doublePayouts += 1;
        r.problems.push(`${who}: ${rows.length} verifications, ${transfers.length} payouts`);
      }
      const row = rows[0];
      if (!row || transfers.length === 0 || transfers.some((t) => t.status !== 'landed')) {
        r.lostPayouts += 1;
        r.problems.push(`${who}: payout ${transfers[0]?.status ?? 'never sent'}`);
        continue;
      }

      // Closed on its own, with its run recorded.
      let closed = false;
      if (row.run_id) {
        const handle = temporal.workflow.getHandle(row.workflow_id, row.run_id);
        for (;;) {
          closed = (await handle.describe()).status.name !== 'RUNNING';
          if (closed || Date.now() > settleUntil) break;
          await sleep(500);
        }
      }
      const final = (
        await pg.query<{ status: string; attempts_left: number }>(
          'select status, attempts_left from deposit_verifications where id = $1',
          [row.id],
        )
      ).rows[0];
      if (!row.run_id || !closed || final.status === 'payout_pending' || final.status === 'awaiting_amount') {
        r.stuck += 1;
        r.problems.push(`${who}: ${row.run_id ? 'still running' : 'no run ID'}, status ${final.status}`);
        continue;
      }

      // Each entry spent one attempt, however often it was sent: the run applied no more entries
      // than the client made, and no answer shows fewer attempts left than the plan allows.
      const applied = await appliedEntries(temporal, row.workflow_id, row.run_id);
      const expected = EXPECTED[run.plan];
      const spentTwice =
        applied > run.entries.length ||
        final.attempts_left < expected.attemptsLeft.at(-1)! ||
        run.entries.some((e, n) => e.answers.some((a) => a.attemptsLeft < expected.attemptsLeft[n]));
      if (spentTwice) {
        r.attemptsSpentTwice += 1;
        r.problems.push(
          `${who}: ${applied} entries applied for ${run.entries.length} sent; ended ${final.status} with ${final.attempts_left} left; answers ${JSON.stringify(run.entries.map((e) => e.answers))}`,
        );
        continue;
      }
      const outcomes = run.entries.map((e) => e.answers[0]?.outcome);
      const agree = run.entries.every((e) => e.answers.every((a) => a.outcome === e.answers[0]?.outcome));
      if (
        !run.finished ||
        !agree ||
        final.status !== expected.status ||
        JSON.stringify(outcomes) !== JSON.stringify(expected.outcomes)
      ) {
        r.other.push(who);
        r.problems.push(
          `${who}: ${run.problem ?? 'finished'}; ended ${final.status}; answers ${JSON.stringify(run.entries.map((e) => e.answers))}`,
        );
      }
    }
  } finally {
    await connection.close();
    await pg.end();
  }
  return r;
}

/** Amount entries the run carried out (update completed with a result), from its history. */
async function appliedEntries(temporal: Client, workflowId: string, runId: string): Promise<number> {
  const history = await temporal.workflow.getHandle(workflowId, runId).fetchHistory();
  const amountUpdates = new Set<string>();
  let applied = 0;
  for (const e of history.events ?? []) {
    const accepted = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest;
    if (accepted?.input?.name === depositUpdates.submitAmount.name && accepted.meta?.updateId) {
      amountUpdates.add(accepted.meta.updateId);
    }
    const completed = e.workflowExecutionUpdateCompletedEventAttributes;
    if (
      completed?.meta?.updateId &&
      amountUpdates.has(completed.meta.updateId) &&
      completed.outcome?.success
    ) {
      applied += 1;
    }
  }
  return applied;
}

// Whatever happens, the cluster this run started (its own process group) does not outlive it.
let clusterPid: number | undefined;
stopChildrenWithProcess(() => {
  if (clusterPid === undefined) return;
  try {
    process.kill(-clusterPid, 'SIGKILL');
  } catch {
    // already stopped
  }
});

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
