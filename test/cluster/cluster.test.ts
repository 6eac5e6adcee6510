/**
 * The platform on a real Temporal cluster (test/cluster/global-setup.ts: frontend, matching,
 * worker and two history nodes sharing 8 shards, PostgreSQL persistence, SQL visibility), over
 * real HTTP with a real worker: the deposit verification end to end, found through its search
 * attributes; then one history node SIGKILLed while verifications are in flight: its shards move
 * to the other node and every verification completes, each paid exactly once.
 * Runs only with `--selectProjects cluster` (jest.config.js).
 */
import { CASE_TYPES } from '../../libs/temporal/src/contract';
import { awaitDepositStatus, payoutAmount } from '../support/deposit-fixtures';
import { bankAccountNumber, eventually, licenceNumber, signUpAndSignIn } from '../support/factories';
import { startPlatform, type Platform } from '../support/platform';
import { clusterState, nodePid, shardOwners } from './cluster-state';

const BASE = '/verifications/enterprise/deposit';
const submission = (accountNumber: string) => ({
  enterpriseName: 'Acme Cloud Ltd',
  licenceNumber: licenceNumber(),
  bankAccount: { holder: 'Acme Cloud Ltd', bankName: 'ICBC Beijing', accountNumber },
});

/** Workflow IDs that a visibility query lists (SQL visibility on the cluster's PostgreSQL). */
async function listed(p: Platform, query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const wf of p.temporal.workflow.list({ query })) ids.push(wf.workflowId);
  return ids;
}

describe('the platform on a multi-node Temporal cluster', () => {
  const state = clusterState();
  let p: Platform;
  beforeAll(async () => {
    // Payouts land 3 s after they are sent, so that a node can die while they are in flight.
    p = await startPlatform({ worker: true, env: { BANK_SANDBOX_LANDING_DELAY_MS: '3000' } });
  }, 120_000);
  afterAll(async () => {
    await p?.close();
  });

  it('runs on 8 shards shared by two history nodes', async () => {
    const info = await p.temporal.workflowService.getClusterInfo({});
    expect(info.historyShardCount).toBe(8);
    expect(info.persistenceStore).toBe('postgres12');
    expect(info.visibilityStore).toBe('postgres12');
    const owners = await shardOwners(state);
    expect(Object.values(owners).reduce((a, b) => a + b, 0)).toBe(8);
    expect(owners['history-1']).toBeGreaterThan(0);
    expect(owners['history-2']).toBeGreaterThan(0);
  });

  it('verifies an enterprise by deposit end to end, listed by AccountId and CaseType', async () => {
    const owner = await signUpAndSignIn(p.http);
    const number = bankAccountNumber(true);
    const created = await p.http.post(BASE, submission(number), owner.token);
    expect(created.status).toBe(201);
    const id = created.body.verificationId as string;
    await awaitDepositStatus(p.http, owner.token, id, 'awaiting_amount');
    const amount = await payoutAmount(p.http, number, { exactlyOne: true });
    const right = await p.http.post(`${BASE}/${id}/amount`, { amountFen: amount }, owner.token);
    expect(right.body).toMatchObject({ outcome: 'verified' });
    await awaitDepositStatus(p.http, owner.token, id, 'verified');
    const me = await p.http.get('/accounts/me', owner.token);
    expect(me.body).toMatchObject({ realNameStatus: 'enterprise' });

    const workflowId = `deposit-verification:${owner.accountId}`;
    const query = `AccountId = "${owner.accountId}" AND CaseType = "${CASE_TYPES.depositVerification}"`;
    await eventually(async () => ((await listed(p, query)).includes(workflowId) ? true : undefined));
    await eventually(async () =>
      (await listed(p, `${query} AND CaseStatus = "verified"`)).length === 1 ? true : undefined,
    );
  }, 60_000);

  it('loses nothing and pays nothing twice when a history node is SIGKILLed mid-flight', async () => {
    const count = 6;
    const owners = await Promise.all(Array.from({ length: count }, () => signUpAndSignIn(p.http)));
    const numbers = owners.map(() => bankAccountNumber(true));
    const created = await Promise.all(
      owners.map((o, i) => p.http.post(BASE, submission(numbers[i]), o.token)),
    );
    for (const c of created) expect(c.status).toBe(201);
    const ids = created.map((c) => c.body.verificationId as string);

    // Payouts are on their way (landing after 3 s): kill the node that owns part of the shards.
    process.kill(nodePid(state, 'history-2'), 'SIGKILL');
    await eventually(
      async () => ((await shardOwners(state))['history-1'] === 8 ? true : undefined),
      60_000,
      'history-1 to own all 8 shards',
    );

    await Promise.all(
      owners.map((o, i) =>
        eventually(
          async () => {
            const r = await p.http.get(`${BASE}/${ids[i]}`, o.token);
            return r.body.status === 'awaiting_amount' ? true : undefined;
          },
          90_000,
          `verification ${ids[i]} to be awaiting_amount after the kill`,
        ),
      ),
    );
    for (const [i, o] of owners.entries()) {
      const amount = await payoutAmount(p.http, numbers[i], { exactlyOne: true });
      const right = await p.http.post(`${BASE}/${ids[i]}/amount`, { amountFen: amount }, o.token);
      expect(right.body).toMatchObject({ outcome: 'verified' });
    }
    await Promise.all(owners.map((o, i) => awaitDepositStatus(p.http, o.token, ids[i], 'verified')));
    // Still exactly one payout each once everything has settled.
    for (const n of numbers) await payoutAmount(p.http, n, { exactlyOne: true });
    const verified = await listed(
      p,
      `CaseType = "${CASE_TYPES.depositVerification}" AND CaseStatus = "verified"`,
    );
    for (const o of owners) expect(verified).toContain(`deposit-verification:${o.accountId}`);
  }, 240_000);
});
