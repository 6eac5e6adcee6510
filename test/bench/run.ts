/**
 * `npm run bench`: measures the API on a real platform (dev server, worker, database) and prints
 * latency percentiles, throughput and memory. Targets are checked here, never in tests.
 *   npm run bench -- --driver postgresql --requests 400 --concurrency 8
 * Targets (on this project's 2-core machines): GET /accounts/me p95 < 50 ms; a deposit
 * submission p95 < 250 ms; sign-up to enterprise-verified (payout landing immediately) < 3 s;
 * API resident memory < 400 MiB after the run.
 */
import { parseArgs } from 'node:util';
import globalSetup from '../support/global-setup';
import globalTeardown from '../support/global-teardown';
import type { Driver } from '../support/databases';
import { bankAccountNumber, signUpAndSignIn } from '../support/factories';
import { startPlatform } from '../support/platform';

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(name: string, total: number, concurrency: number, op: (i: number) => Promise<void>) {
  const times: number[] = [];
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
  times.sort((a, b) => a - b);
  const row = {
    name,
    requests: total,
    concurrency,
    'req/s': Math.round(total / seconds),
    'p50 ms': +percentile(times, 50).toFixed(1),
    'p95 ms': +percentile(times, 95).toFixed(1),
    'p99 ms': +percentile(times, 99).toFixed(1),
  };
  return row;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      driver: { type: 'string', default: 'sqlite' },
      requests: { type: 'string', default: '300' },
      concurrency: { type: 'string', default: '8' },
    },
  });
  const driver = values.driver as Driver;
  const requests = Number(values.requests);
  const concurrency = Number(values.concurrency);

  await globalSetup();
  const p = await startPlatform({ driver, worker: true });
  try {
    // Sign-up to verified, end to end, on an idle platform (the sandbox bank lands at once here).
    const t0 = performance.now();
    const who = await signUpAndSignIn(p.http);
    const tSignedUp = performance.now();
    const number = bankAccountNumber(true);
    const v = await p.http.post(
      '/verifications/enterprise/deposit',
      {
        enterpriseName: 'Flow Ltd',
        licenceNumber: '91110000MA99999999',
        bankAccount: { holder: 'Flow Ltd', bankName: 'ICBC', accountNumber: number },
      },
      who.token,
    );
    const tSubmitted = performance.now();
    let amount: number | undefined;
    while (amount === undefined) {
      const st = await p.http.get(`/sandbox/bank/statement?accountNumber=${number}`);
      const s = await p.http.get(`/verifications/enterprise/deposit/${v.body.verificationId}`, who.token);
      if (st.body.length && s.body.status === 'awaiting_amount') amount = st.body[0].amountFen;
      else await new Promise((r) => setTimeout(r, 20));
    }
    const tLanded = performance.now();
    await p.http.post(
      `/verifications/enterprise/deposit/${v.body.verificationId}/amount`,
      { amountFen: amount },
      who.token,
    );
    const flowMs = performance.now() - t0;
    const steps: Record<string, number> = {
      'sign-up + sign-in': tSignedUp - t0,
      submit: tSubmitted - tSignedUp,
      'payout lands (bank poll + webhook + signal)': tLanded - tSubmitted,
      'enter amount → verified': performance.now() - tLanded,
    };

    const owner = await signUpAndSignIn(p.http);
    const rows = [];
    rows.push(
      await measure('GET /accounts/me', requests, concurrency, async () => {
        const r = await p.http.get('/accounts/me', owner.token);
        if (r.status !== 200) throw new Error(`status ${r.status}`);
      }),
    );
    const owners = await Promise.all(
      Array.from({ length: Math.min(requests, 100) }, () => signUpAndSignIn(p.http)),
    );
    rows.push(
      await measure('POST deposit verification', owners.length, concurrency, async (i) => {
        const r = await p.http.post(
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
      }),
    );

    console.table(rows);
    const rssMiB = Math.round(process.memoryUsage().rss / 1024 / 1024);
    console.log(`driver=${driver} sign-up → enterprise-verified: ${flowMs.toFixed(0)} ms`);
    for (const [step, ms] of Object.entries(steps)) console.log(`  ${step}: ${ms.toFixed(0)} ms`);
    console.log(`resident memory of this process (API + worker in one process): ${rssMiB} MiB`);
    const me = rows[0];
    const dep = rows[1];
    const verdict = [
      [`GET /accounts/me p95 < 50 ms`, me['p95 ms'] < 50],
      [`deposit submission p95 < 250 ms`, dep['p95 ms'] < 250],
      [`sign-up → verified < 3000 ms`, flowMs < 3000],
      [`resident memory < 400 MiB`, rssMiB < 400],
    ] as const;
    for (const [what, ok] of verdict) console.log(`${ok ? 'MET ' : 'MISSED'}  ${what}`);
  } finally {
    await p.close();
    await globalTeardown();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
