/**
 * `npm run bench`: measures the API on a real platform run as in production and prints latency
 * percentiles, throughput and memory. Targets are checked here, never in tests.
 *   npm run bench -- --requests 400 --concurrency 8
 *   npm run bench -- --cpu-prof   (writes a CPU profile of the API process to .data/bench/)
 * The API and the worker run as separate processes from dist/ (`node dist/apps/api/src/main.js`,
 * `node dist/apps/worker/src/main.js`), configured only through environment variables, on a fresh
 * migrated database on the run's embedded PostgreSQL and the per-run Temporal dev server; this
 * process only generates load.
 * Targets (on this project's 2-core machines): GET /accounts/me p95 < 50 ms; a deposit
 * submission p95 < 250 ms; sign-up to enterprise-verified (payout landing immediately) < 3 s;
 * API resident memory < 400 MiB after the run.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import globalSetup from '../support/global-setup';
import globalTeardown from '../support/global-teardown';
import { createEmptyDatabase, type EmptyDatabase } from '../support/databases';
import { bankAccountNumber, licenceNumber, signUpAndSignIn } from '../support/factories';
import { HttpClient } from '../support/http';
import { REPO_ROOT } from '../support/paths';
import { testState } from '../support/platform';
import { TEST_REQUEST_LIMITS } from '../support/test-env';
import { freePort } from '../support/ports';
import {
  API_MAIN,
  childEnvironment,
  MIGRATE_MAIN,
  runToCompletion,
  spawnNode,
  stopChild,
  waitForHealth,
  waitForWorker,
  WORKER_MAIN,
  stopChildrenWithProcess,
} from '../support/processes';

const BENCH_DIR = join(REPO_ROOT, '.data/bench');

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(
  name: string,
  total: number,
  concurrency: number,
  op: (i: number) => Promise<void>,
  pids: { api: number; worker: number; temporal: number },
) {
  const times: number[] = [];
  const cpu0 = { api: cpuMs(pids.api), worker: cpuMs(pids.worker), temporal: cpuMs(pids.temporal) };
  const bench0 = process.cpuUsage();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        await op(i);
        times.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const benchCpu = process.cpuUsage(bench0);
  times.sort((a, b) => a - b);
  const row = {
    name,
    requests: total,
    concurrency,
    'req/s': Math.round(total / seconds),
    'p50 ms': +percentile(times, 50).toFixed(1),
    'p95 ms': +percentile(times, 95).toFixed(1),
    'p99 ms': +percentile(times, 99).toFixed(1),
    // CPU each process spent per request, whatever else runs on the machine (2 cores in all).
    'CPU ms/req API': +((cpuMs(pids.api) - cpu0.api) / total).toFixed(1),
    worker: +((cpuMs(pids.worker) - cpu0.worker) / total).toFixed(1),
    temporal: +((cpuMs(pids.temporal) - cpu0.temporal) / total).toFixed(1),
    'load gen': +((benchCpu.user + benchCpu.system) / 1000 / total).toFixed(1),
  };
  return row;
}

/** Resident memory of a live process in MiB (VmRSS of /proc/<pid>/status). */
function residentMiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Math.round(Number(m[1]) / 1024);
}

/** CPU time (user + system) a live process has used, in ms (/proc/<pid>/stat, USER_HZ = 100). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '300' },
      concurrency: { type: 'string', default: '8' },
      'cpu-prof': { type: 'boolean', default: false },
    },
  });
  const requests = Number(values.requests);
  const concurrency = Number(values.concurrency);
  const cpuProf = values['cpu-prof'];

  const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
  mkdirSync(BENCH_DIR, { recursive: true });
  const apiLog = join(BENCH_DIR, `api-${suffix}.log`);
  const workerLog = join(BENCH_DIR, `worker-${suffix}.log`);
  const migrateLog = join(BENCH_DIR, `migrate-${suffix}.log`);

  await globalSetup();
  let db: EmptyDatabase | undefined;
  try {
    const state = testState();
    temporalPid = state.temporalPid;
    db = await createEmptyDatabase('ac_bench');
    const apiPort = await freePort();
    const url = `http://127.0.0.1:${apiPort}`;
    const env = childEnvironment({
      ...db.env,
      LOG_LEVEL: 'warn',
      API_HOST: '127.0.0.1',
      API_PORT: String(apiPort),
      PUBLIC_API_URL: url,
      TEMPORAL_ADDRESS: state.temporalAddress,
      TEMPORAL_TASK_QUEUE: `bench-${suffix}`,
      // Sign-up reads its email code from the sandbox outbox; the sandbox bank lands at once.
      SANDBOX_ROUTES: 'true',
      // The load comes from one address: the per-address limits are not what is measured.
      ...TEST_REQUEST_LIMITS,
      BANK_SANDBOX_LANDING_DELAY_MS: '0',
      BANK_SANDBOX_POLL_INTERVAL_MS: '50',
      BANK_SANDBOX_LATENCY_MS: '0-0',
    });

    await runToCompletion('migrate', MIGRATE_MAIN, env, migrateLog);
    const worker = spawnNode('worker', WORKER_MAIN, env, workerLog);
    let apiArgs: string[] = [];
    if (cpuProf) {
      // --cpu-prof writes its profile on a normal exit only; SIGUSR2 asks for one.
      const preload = join(BENCH_DIR, 'exit-on-sigusr2.js');
      writeFileSync(preload, "process.on('SIGUSR2', () => process.exit(0));\n");
      apiArgs = ['--cpu-prof', '--cpu-prof-dir', BENCH_DIR, '--require', preload];
    }
    const api = spawnNode('api', API_MAIN, env, apiLog, apiArgs);
    const http = new HttpClient(url);
    await Promise.all([
      waitForHealth(http, api, apiLog),
      waitForWorker(state.temporalAddress, env.TEMPORAL_TASK_QUEUE!, worker, workerLog),
    ]);
    const loadBefore = loadavg()[0];

    // Sign-up to verified, end to end, on an idle platform (the sandbox bank lands at once here).
    const t0 = performance.now();
    const who = await signUpAndSignIn(http);
    const tSignedUp = performance.now();
    const number = bankAccountNumber(true);
    const v = await http.post(
      '/verifications/enterprise/deposit',
      {
        enterpriseName: 'Flow Ltd',
        licenceNumber: licenceNumber(),
        bankAccount: { holder: 'Flow Ltd', bankName: 'ICBC', accountNumber: number },
      },
      who.token,
    );
    if (v.status !== 201) throw new Error(`submission failed: ${v.status} ${JSON.stringify(v.body)}`);
    const tSubmitted = performance.now();
    let amount: number | undefined;
    const landDeadline = Date.now() + 30_000;
    while (amount === undefined) {
      if (Date.now() > landDeadline) throw new Error(`the payout did not land in 30 s; see ${workerLog}`);
      const st = await http.get(`/sandbox/bank/statement?accountNumber=${number}`);
      const s = await http.get(`/verifications/enterprise/deposit/${v.body.verificationId}`, who.token);
      if (st.body.length && s.body.status === 'awaiting_amount') amount = st.body[0].amountFen;
      else await new Promise((r) => setTimeout(r, 20));
    }
    const tLanded = performance.now();
    const entered = await http.post(
      `/verifications/enterprise/deposit/${v.body.verificationId}/amount`,
      { amountFen: amount },
      who.token,
    );
    if (entered.status >= 300) throw new Error(`amount entry failed: ${entered.status}`);
    const flowMs = performance.now() - t0;
    const steps: Record<string, number> = {
      'sign-up + sign-in': tSignedUp - t0,
      submit: tSubmitted - tSignedUp,
      'payout lands (bank poll + webhook + signal)': tLanded - tSubmitted,
      'enter amount → verified': performance.now() - tLanded,
    };

    const owner = await signUpAndSignIn(http);
    const pids = { api: api.pid!, worker: worker.pid!, temporal: state.temporalPid };
    const rows = [];
    rows.push(
      await measure(
        'GET /accounts/me',
        requests,
        concurrency,
        async () => {
          const r = await http.get('/accounts/me', owner.token);
          if (r.status !== 200) throw new Error(`status ${r.status}`);
        },
        pids,
      ),
    );
    const owners = await Promise.all(
      Array.from({ length: Math.min(requests, 100) }, () => signUpAndSignIn(http)),
    );
    rows.push(
      await measure(
        'POST deposit verification',
        owners.length,
        concurrency,
        async (i) => {
          const r = await http.post(
            '/verifications/enterprise/deposit',
            {
              enterpriseName: `Bench ${i} Ltd`,
              licenceNumber: `91110000MA${String(i).padStart(8, '0')}`,
              bankAccount: {
                holder: `Bench ${i} Ltd`,
                bankName: 'ICBC',
                accountNumber: bankAccountNumber(true),
              },
            },
            owners[i].token,
          );
          if (r.status !== 201) throw new Error(`status ${r.status}: ${JSON.stringify(r.body)}`);
        },
        pids,
      ),
    );

    const apiMiB = residentMiB(api.pid!);
    const workerMiB = residentMiB(worker.pid!);
    console.table(rows);
    console.log(`sign-up → enterprise-verified: ${flowMs.toFixed(0)} ms`);
    for (const [step, ms] of Object.entries(steps)) console.log(`  ${step}: ${ms.toFixed(0)} ms`);
    console.log(`resident memory after the run: API ${apiMiB} MiB, worker ${workerMiB} MiB`);
    // Other work on this machine skews the numbers: say how busy it was.
    console.log(`1-min load average: ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after`);
    const me = rows[0];
    const dep = rows[1];
    const verdict = [
      [`GET /accounts/me p95 < 50 ms`, me['p95 ms'] < 50],
      [`deposit submission p95 < 250 ms`, dep['p95 ms'] < 250],
      [`sign-up → verified < 3000 ms`, flowMs < 3000],
      [`API resident memory < 400 MiB`, apiMiB < 400],
    ] as const;
    for (const [what, ok] of verdict) console.log(`${ok ? 'MET ' : 'MISSED'}  ${what}`);

    if (cpuProf) {
      await stopChild('api', 'SIGUSR2');
      console.log(`CPU profile of the API written to ${BENCH_DIR} (CPU.*.cpuprofile)`);
    }
    for (const f of [apiLog, workerLog, migrateLog]) rmSync(f, { force: true });
  } finally {
    await stopChild('api');
    await stopChild('worker');
    await db?.drop();
    await globalTeardown();
    temporalPid = undefined;
  }
}

// Whatever happens, the children this run spawned (and its Temporal dev server) do not outlive it.
let temporalPid: number | undefined;
stopChildrenWithProcess(() => {
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
