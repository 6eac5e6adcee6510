/**
 * The platform on a real Temporal cluster (test/cluster/global-setup.ts: frontend, matching,
 * worker and two history nodes sharing 8 shards, PostgreSQL persistence, SQL visibility), over
 * real HTTP with a real worker: the deposit verification end to end, found through its search
 * attributes; a human task (an appeal claimed and decided) found by `CaseType`, `Assignee` and
 * `DueAt`; then one history node SIGKILLed while verifications are in flight: its shards move
 * to the other node and every verification completes, each paid exactly once.
 * Runs only with `--selectProjects cluster` (jest.config.js).
 */
import { CASE_TYPES } from '../../libs/temporal/src/contract';
import { awaitDepositStatus, payoutAmount } from '../support/deposit-fixtures';
import { createStaffMember } from '../../apps/api/src/staff/staff-provisioning';
import { decodeKey32 } from '../../libs/config/src/config';
import { SecretBox } from '../../libs/domain/src/secret-box';
import {
  bankAccountNumber,
  eventually,
  latestCode,
  licenceNumber,
  signUpAndSignIn,
  uniqueEmail,
} from '../support/factories';
import { codeFor } from '../support/security';
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

  it('runs a human task: an appeal is claimed and decided, and found by CaseType, Assignee and DueAt', async () => {
    const applicant = await signUpAndSignIn(p.http);
    const contact = uniqueEmail('cluster-appeal');
    expect(
      (await p.http.post('/appeals/codes', { account: String(applicant.accountId), contact })).status,
    ).toBe(202);
    const created = await p.http.post('/appeals/sessionless', {
      kind: 'sign-in-appeal',
      account: String(applicant.accountId),
      contact,
      code: await latestCode(p.http, contact),
      newEmail: contact,
      basicInfo: {},
    });
    expect(created.status).toBe(201);
    const caseId = created.body.caseId as string;
    const caseToken = { 'x-case-token': created.body.caseToken as string };
    expect((await p.http.request('POST', `/appeals/${caseId}/submit`, { headers: caseToken })).status).toBe(
      200,
    );

    const reviewer = await createStaffMember(p.orm, new SecretBox(decodeKey32(p.config.mfa.encryptionKey)!), {
      email: 'cluster.reviewer@example.com',
      role: 'reviewer',
      now: new Date(),
      issuer: 'test',
    });
    const session = await p.http.post('/staff/sessions', {
      email: reviewer.email,
      password: reviewer.password,
      code: codeFor(reviewer.totpSecret, p.clock),
    });
    const staffToken = session.body.token as string;
    const taskId = await eventually(async () => {
      const r = await p.http.get('/staff/review-tasks?kind=sign-in-appeal', staffToken);
      const task = (r.body.items as Array<{ caseId: string; taskId: string }>).find(
        (t) => t.caseId === caseId,
      );
      return task?.taskId;
    });
    expect((await p.http.post(`/staff/review-tasks/${taskId}/claim`, undefined, staffToken)).status).toBe(
      200,
    );
    const workflowId = `appeal:sign-in-appeal:${applicant.accountId}`;
    await eventually(async () =>
      (
        await listed(
          p,
          `CaseType = "sign-in-appeal" AND Assignee = "${reviewer.staffId}" AND DueAt > "2000-01-01T00:00:00Z"`,
        )
      ).includes(workflowId)
        ? true
        : undefined,
    );
    const decided = await p.http.post(
      `/staff/review-tasks/${taskId}/decision`,
      { decision: 'reject', reasonCode: 'ownership_not_proven' },
      staffToken,
    );
    expect(decided.body).toMatchObject({ status: 'completed' });
    await eventually(async () => {
      const r = await p.http.request('GET', `/appeals/${caseId}`, { headers: caseToken });
      return r.body.status === 'rejected' ? true : undefined;
    });
    await eventually(async () =>
      (await listed(p, `CaseType = "sign-in-appeal" AND CaseStatus = "rejected"`)).includes(workflowId)
        ? true
        : undefined,
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
