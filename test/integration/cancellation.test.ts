/**
 * Account cancellation over real HTTP, a real Temporal dev server and a real worker (issue 10):
 * applying (CAN-8, MFA-3), the process (CAN-1, CAN-7, the review of a risk flag, the
 * cooling-off), the execution (CAN-2 … CAN-5) and the result told (CAN-6).
 */
import { Account, AccountCancellation } from '../../libs/persistence/src/entities';
import { eventually, latestCode, signUpAndSignIn, type TestAccount } from '../support/factories';
import { signUpWithProvider, uniquePhone, uniqueSubject } from '../support/identity-fixtures';
import { createSubUser, ORG_ENV } from '../support/org-fixtures';
import { ManualClock, startPlatform, type Platform } from '../support/platform';
import {
  bindSecurityPhone,
  createSignedInStaff,
  signInStaff,
  type SignedInStaff,
} from '../support/staff-fixtures';
import { str, type Json, type Res } from '../support/security';

jest.setTimeout(60_000);

const DAY_MS = 24 * 60 * 60 * 1000;

describe('account cancellation over HTTP (no cooling-off)', () => {
  let p: Platform;
  const clock = new ManualClock(new Date(Date.now()).toISOString());
  let reviewer: SignedInStaff;

  beforeAll(async () => {
    p = await startPlatform({ clock, worker: true, env: { ...ORG_ENV, CANCELLATION_COOLING_OFF_DAYS: '0' } });
    reviewer = await createSignedInStaff(p, clock, 'senior_reviewer', 'cancellation.reviewer@example.com');
  });
  afterAll(async () => {
    await p.close();
  });

  const bindPhone = (a: { token: string }, phone: string): Promise<void> =>
    bindSecurityPhone(p, clock, a.token, phone);

  /** An owner whose phone was bound more than 7 days ago (no risk flag), signed in now. */
  async function settledOwner(): Promise<TestAccount & { phone: string }> {
    const a = await signUpAndSignIn(p.http);
    const phone = uniquePhone();
    await bindPhone(a, phone);
    clock.advance(8 * DAY_MS);
    reviewer.token = await signInStaff(p, clock, reviewer.member);
    const s = await p.http.post<Json>('/sessions', { email: a.email, password: a.password });
    return { ...a, token: str(s, 'token'), phone };
  }

  async function apply(a: { token: string }, phone: string): Promise<Res> {
    clock.advance(61_000);
    const sent = await p.http.post<Json>('/accounts/me/cancellation/codes', undefined, a.token);
    expect(sent.status).toBe(202);
    const code = await latestCode(p.http, `+86${phone}`);
    return p.http.post<Json>('/accounts/me/cancellation', { code }, a.token);
  }

  const statusOf = (a: { token: string }, status: string): Promise<Json> =>
    eventually(
      async () => {
        const r = await p.http.get<Json>('/accounts/me/cancellation', a.token);
        return r.body['status'] === status ? r.body : undefined;
      },
      20_000,
      `cancellation ${status}`,
    );

  /** The cancellation's end as its workflow recorded it (the owner can no longer sign in to ask). */
  const processEnded = (accountId: number): Promise<true> =>
    eventually(
      async () => {
        const row = await p.orm.em.fork().findOne(AccountCancellation, { accountId, status: 'cancelled' });
        return row?.closedAt ? true : undefined;
      },
      30_000,
      `the cancellation of ${accountId} executed`,
    );

  /** The inbox task of an application, once its workflow has written it. */
  const taskOf = (applicationId: unknown): Promise<string> =>
    eventually(async () => {
      const r = await p.http.get<Json>(
        '/staff/review-tasks?kind=account-cancellation&limit=100',
        reviewer.token,
      );
      const task = (r.body['items'] as Json[]).find((t) => t['caseId'] === applicationId);
      return task ? (task['taskId'] as string) : undefined;
    });

  const outboxHas = (to: string, subject: string): Promise<true> =>
    eventually(
      async () => {
        const r = await p.http.get<Array<{ subject: string }>>(
          `/sandbox/outbox?to=${encodeURIComponent(to)}`,
        );
        return r.body.some((m) => m.subject === subject) ? true : undefined;
      },
      15_000,
      `"${subject}" to ${to}`,
    );

  it('CAN-8: without a security phone the owner is told to bind or change it first (CON-1), with the route', async () => {
    const a = await signUpAndSignIn(p.http);
    const r = await p.http.post<Json>('/accounts/me/cancellation/codes', undefined, a.token);
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({
      rule: 'CAN-8',
      code: 'security_phone_required',
      href: '/accounts/me/security/phone',
    });
  });

  it('CAN-1: an application of an account with unmet conditions is refused with every reason at once', async () => {
    const a = await settledOwner();
    await createSubUser(p.http, { token: a.token, accountId: a.accountId }, []);
    const r = await apply(a, a.phone);
    expect(r.status).toBe(422);
    expect(r.body.error['rule']).toBe('CAN-1');
    expect((r.body.error['blockers'] as Array<{ code: string }>).map((b) => b.code)).toContain('sub_users');
  });

  it('CAN-2/CAN-5/CAN-6: an eligible owner without risk flags is cancelled: told first, then every session ends and the data is gone', async () => {
    const a = await settledOwner();
    const applied = await apply(a, a.phone);
    expect(applied.status).toBe(201);
    expect(applied.body['riskFlags']).toEqual([]);
    await eventually(
      async () => {
        const row = await p.orm.em.fork().findOne(Account, { id: a.accountId });
        return row?.status === 'cancelled' ? true : undefined;
      },
      30_000,
      'the account cancelled',
    );
    // CAN-6: the result reached the security phone and the email before their data was erased.
    await outboxHas(`+86${a.phone}`, 'Account cancellation approved');
    await outboxHas(a.email, 'Account cancellation approved');
    // CAN-2: the old token and a new sign-in are refused.
    expect((await p.http.get('/accounts/me', a.token)).status).toBe(401);
    expect((await p.http.post('/sessions', { email: a.email, password: a.password })).status).toBe(401);
    // CAN-5: the tombstone keeps nothing that identifies a person.
    const tombstone = await p.orm.em.fork().findOneOrFail(Account, { id: a.accountId });
    expect(tombstone.email ?? null).toBeNull();
    expect(tombstone.securityPhone ?? null).toBeNull();
  });

  it('CAN-4: after cancellation the same email signs up again, as a new account', async () => {
    const a = await settledOwner();
    expect((await apply(a, a.phone)).status).toBe(201);
    await processEnded(a.accountId);
    const again = await signUpAndSignIn(p.http, { email: a.email });
    expect(again.accountId).not.toBe(a.accountId);
  });

  it('CAN-3/CAN-4: a WeChat-registered account is cancelled and the same WeChat identity registers again', async () => {
    const subject = uniqueSubject('wx');
    const first = await signUpWithProvider(p.http, 'wechat', subject);
    const phone = uniquePhone();
    await bindPhone(first, phone);
    clock.advance(8 * DAY_MS);
    reviewer.token = await signInStaff(p, clock, reviewer.member);
    const assertion = await p.http.get<Json>(
      `/sandbox/identity/authorize?${new URLSearchParams({ provider: 'wechat', subject, displayName: 'Li Lei' }).toString()}`,
    );
    const signIn = await p.http.post<Json>('/sessions/third-party', {
      provider: 'wechat',
      assertion: assertion.body['assertion'],
    });
    const token = str(signIn, 'token');
    expect((await apply({ token }, phone)).status).toBe(201);
    await processEnded(first.accountId);
    const second = await signUpWithProvider(p.http, 'wechat', subject);
    expect(second.accountId).not.toBe(first.accountId);
  });

  it('CAN-7: a risk flag sends the application to a reviewer, who rejects with a reason; the owner applies again', async () => {
    const a = await signUpAndSignIn(p.http);
    const phone = uniquePhone();
    await bindPhone(a, phone); // a security phone bound today: a risk flag
    const applied = await apply(a, phone);
    expect(applied.status).toBe(201);
    const inReview = await statusOf(a, 'in_review');
    expect(inReview['riskFlags']).toContain('recent_security_contact_change');

    // While the application is open, nothing new that would block it can be created (CAN-1).
    const frozen = await p.http.post<Json>(
      '/sub-users',
      { username: 'late', password: 'Passw0rd-123', permissions: [] },
      a.token,
    );
    expect(frozen.status).toBe(409);
    expect(frozen.body.error['code']).toBe('cancellation_in_progress');

    const taskId = await taskOf(inReview['applicationId']);
    expect((await p.http.post(`/staff/review-tasks/${taskId}/claim`, undefined, reviewer.token)).status).toBe(
      200,
    );
    const rejected = await p.http.post<Json>(
      `/staff/review-tasks/${taskId}/decision`,
      { decision: 'reject', reasonCode: 'owner_not_confirmed' },
      reviewer.token,
    );
    expect(rejected.status).toBe(200);
    const closed = await statusOf(a, 'rejected');
    expect(closed['reasonCode']).toBe('owner_not_confirmed');
    await outboxHas(`+86${phone}`, 'Account cancellation rejected');

    // CAN-7: applied again (a new run of the same workflow ID), approved this time.
    const again = await apply(a, phone);
    expect(again.status).toBe(201);
    expect(again.body['applicationId']).not.toBe(inReview['applicationId']);
    const second = await statusOf(a, 'in_review');
    const id2 = await taskOf(second['applicationId']);
    expect((await p.http.post(`/staff/review-tasks/${id2}/claim`, undefined, reviewer.token)).status).toBe(
      200,
    );
    expect(
      (
        await p.http.post(
          `/staff/review-tasks/${id2}/decision`,
          { decision: 'approve', reasonCode: 'owner_confirmed' },
          reviewer.token,
        )
      ).status,
    ).toBe(200);
    await eventually(
      async () => {
        const row = await p.orm.em.fork().findOne(Account, { id: a.accountId });
        return row?.status === 'cancelled' ? true : undefined;
      },
      30_000,
      'the account cancelled',
    );
  });
});

describe('account cancellation over HTTP (cooling-off)', () => {
  let p: Platform;
  const clock = new ManualClock(new Date(Date.now()).toISOString());
  beforeAll(async () => {
    p = await startPlatform({ clock, worker: true, env: { CANCELLATION_COOLING_OFF_DAYS: '15' } });
  });
  afterAll(async () => {
    await p.close();
  });

  it('CAN-7 (cooling-off): the owner sees how long is left and withdraws; nothing changes', async () => {
    const a = await signUpAndSignIn(p.http);
    const phone = uniquePhone();
    await bindSecurityPhone(p, clock, a.token, phone);
    clock.advance(8 * DAY_MS);
    const token = str(
      await p.http.post<Json>('/sessions', { email: a.email, password: a.password }),
      'token',
    );
    clock.advance(61_000);
    await p.http.post('/accounts/me/cancellation/codes', undefined, token);
    const applyCode = await latestCode(p.http, `+86${phone}`);
    expect((await p.http.post('/accounts/me/cancellation', { code: applyCode }, token)).status).toBe(201);
    const cooling = await eventually(async () => {
      const r = await p.http.get<Json>('/accounts/me/cancellation', token);
      return r.body['status'] === 'cooling_off' ? r.body : undefined;
    });
    expect(cooling['coolingOffSecondsLeft']).toBeGreaterThan(0);
    expect(typeof cooling['coolingOffEndsAt']).toBe('string');
    const withdrawn = await p.http.post<Json>('/accounts/me/cancellation/withdraw', undefined, token);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body['status']).toBe('withdrawn');
    expect((await p.http.get('/accounts/me', token)).status).toBe(200);
  });
});
