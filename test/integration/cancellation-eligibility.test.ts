/**
 * Account cancellation, CAN-1 (issue 10 §1 and the freeze of §2): eligibility over HTTP, and the
 * refusal to create anything that would block cancellation while an application is open.
 */
import {
  CANCELLATION_BLOCKER_CODES,
  type CancellationBlocker,
  type CancellationStatus,
} from '../../libs/domain/src/cancellation';
import { HOUR_MS, DAY_MS } from '../../libs/domain/src/clock';
import { ConflictError } from '../../libs/domain/src/errors';
import { newId } from '../../libs/domain/src/ids';
import {
  assertNoOpenCancellation,
  lockAccountForCancellation,
} from '../../libs/persistence/src/cancellation/freeze';
import { cancellationBlockers } from '../../libs/persistence/src/cancellation/eligibility';
import { AccountCancellation, MessageReceiver } from '../../libs/persistence/src/entities';
import { eventually, signUpAndSignIn, type TestAccount } from '../support/factories';
import {
  admin,
  ADMIN_TOKEN,
  call,
  createCollaborator,
  createSubUser,
  expectOk,
  ORG_ENV,
} from '../support/org-fixtures';
import { ManualClock, startPlatform, type Platform } from '../support/platform';

// Starting a platform (a database, sign-ups with email codes) takes seconds on a shared machine.
jest.setTimeout(60_000);

const ELIGIBILITY = '/accounts/me/cancellation/eligibility';

interface Eligibility {
  eligible: boolean;
  blockers: CancellationBlocker[];
}

describe('account cancellation: eligibility (CAN-1) over HTTP', () => {
  let p: Platform;
  const clock = new ManualClock('2026-03-02T02:00:00.000Z');
  beforeAll(async () => {
    p = await startPlatform({ clock, env: ORG_ENV });
  });
  afterAll(async () => {
    await p.close();
  });

  const eligibility = async (a: TestAccount): Promise<Eligibility> =>
    expectOk<Eligibility>(call(p.http, a, 'GET', ELIGIBILITY));
  const codes = (e: Eligibility) => e.blockers.map((b) => b.code);
  const inHours = (h: number) => new Date(clock.now().getTime() + h * HOUR_MS).toISOString();

  /** One of each blocker, through the API and the sandbox admin API; what it made, to undo. */
  async function blockEverything(a: TestAccount) {
    const id = a.accountId;
    const unpaid = await admin(p.http, `/accounts/${id}/orders`, { amountFen: 1_000 });
    const running = await admin(p.http, `/accounts/${id}/orders`, {
      amountFen: 2_000,
      status: 'in_progress',
    });
    const owed1 = await admin(p.http, `/accounts/${id}/owed-amounts`, { amountFen: 300 });
    const owed2 = await admin(p.http, `/accounts/${id}/owed-amounts`, { amountFen: 45 });
    await admin(p.http, `/accounts/${id}/recharges`, { amountFen: 5_000 });
    const soon = await admin(p.http, `/accounts/${id}/vouchers`, { amountFen: 100, expiresAt: inHours(1) });
    const later = await admin(p.http, `/accounts/${id}/vouchers`, {
      amountFen: 100,
      expiresAt: inHours(30 * 24),
    });
    const server = await admin(p.http, `/accounts/${id}/resources`, { name: 'web-1' });
    const stopped = await admin(p.http, `/accounts/${id}/resources`, { name: 'db-1', status: 'stopped' });
    const collaborator = await createCollaborator(p.http, a, ['billing:read']);
    const invited = await signUpAndSignIn(p.http);
    const invitation = await expectOk(
      call(p.http, a, 'POST', '/collaborators', { accountId: invited.accountId }),
      201,
    );
    const sub = await createSubUser(p.http, a, ['billing:read']);
    const receiver = await expectOk(
      call(p.http, a, 'POST', '/message-receivers', { name: 'Ops', email: 'ops@example.com' }),
      201,
    );
    const other = await signUpAndSignIn(p.http);
    const by = await admin(p.http, '/complaints', {
      complainantAccountId: id,
      respondentAccountId: other.accountId,
      subject: 'by the account',
    });
    const against = await admin(p.http, '/complaints', {
      complainantAccountId: other.accountId,
      respondentAccountId: id,
      subject: 'against the account',
    });
    return {
      orders: [unpaid.id as string, running.id as string],
      owed: [owed1.id as string, owed2.id as string],
      vouchers: { soon: soon.id as string, later: later.id as string },
      resources: [server.id as string, stopped.id as string],
      collaborators: [collaborator.collaboratorId, invitation.id as string],
      sub: sub.id,
      receiver: receiver.id as string,
      complaints: [by.id as string, against.id as string],
    };
  }

  it('CAN-1: an account with nothing blocks is eligible', async () => {
    const a = await signUpAndSignIn(p.http);
    expect(await eligibility(a)).toEqual({ eligible: true, blockers: [] });

    // What is finished, spent or closed does not block (docs/rules-decisions.md).
    const id = a.accountId;
    await admin(p.http, `/accounts/${id}/orders`, { amountFen: 1_000, status: 'complete' });
    const owed = await admin(p.http, `/accounts/${id}/owed-amounts`, { amountFen: 300 });
    await admin(p.http, `/owed-amounts/${owed.id}/settle`);
    // A balance drawn back to zero: a recharge and a refund, then a withdrawal of all of it.
    await admin(p.http, `/accounts/${id}/recharges`, { amountFen: 500 });
    await admin(p.http, `/accounts/${id}/refunds`, { amountFen: 200 });
    await expectOk(call(p.http, a, 'POST', '/withdrawals', { amountFen: 700 }), 201);
    const used = await admin(p.http, `/accounts/${id}/vouchers`, { amountFen: 100, expiresAt: inHours(24) });
    await admin(p.http, `/vouchers/${used.id}/use`);
    await admin(p.http, `/accounts/${id}/vouchers`, {
      amountFen: 100,
      expiresAt: new Date(clock.now().getTime() - DAY_MS).toISOString(),
    });
    await admin(p.http, `/accounts/${id}/resources`, { name: 'old', status: 'released' });
    const complaint = await admin(p.http, '/complaints', { complainantAccountId: id, subject: 'closed' });
    await admin(p.http, `/complaints/${complaint.id}/close`);
    // Being a collaborator of another root account is that account's matter, not this one's.
    const otherRoot = await signUpAndSignIn(p.http);
    const membership = await expectOk(
      call(p.http, otherRoot, 'POST', '/collaborators', { accountId: id }),
      201,
    );
    await expectOk(call(p.http, a, 'POST', `/collaborator-invitations/${membership.id}/accept`));

    expect(await eligibility(a)).toEqual({ eligible: true, blockers: [] });
  });

  it('CAN-1: only the owner asks: no session is a 401, a sub-user a 403', async () => {
    const a = await signUpAndSignIn(p.http);
    expect((await p.http.get(ELIGIBILITY)).status).toBe(401);
    const sub = await createSubUser(p.http, a, ['billing:read', 'users:manage']);
    const res = await call(p.http, sub, 'GET', ELIGIBILITY);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('owner_only');
  });

  it('CAN-1: every unmet condition is listed at once, each with code, message and action', async () => {
    const a = await signUpAndSignIn(p.http);
    await blockEverything(a);
    const e = await eligibility(a);
    expect(e.eligible).toBe(false);
    expect(codes(e)).toEqual([...CANCELLATION_BLOCKER_CODES]);
    const by = Object.fromEntries(e.blockers.map((b) => [b.code, b]));
    expect(by).toEqual({
      unfinished_orders: expect.objectContaining({ count: 2, href: '/orders' }),
      amount_owed: expect.objectContaining({ count: 345, href: '/amounts-owed' }),
      cash_balance: expect.objectContaining({ count: 5_000, href: '/balance' }),
      vouchers: expect.objectContaining({ count: 2, href: '/vouchers?status=unused' }),
      resources_in_use: expect.objectContaining({ count: 2, href: '/resources' }),
      collaborators: expect.objectContaining({ count: 2, href: '/collaborators' }),
      sub_users: expect.objectContaining({ count: 1, href: '/sub-users' }),
      message_receivers: expect.objectContaining({ count: 1, href: '/message-receivers' }),
      open_complaints: expect.objectContaining({ count: 2, href: '/complaints?status=open' }),
    });
    for (const b of e.blockers) {
      expect(b.message).toMatch(/\S/);
      expect(b.action).toMatch(/\S/);
      // Every href is a route the owner can open to see what stands in the way.
      expect((await call(p.http, a, 'GET', b.href)).status).toBe(200);
    }
    expect(by['amount_owed']?.message).toContain('3.45 CNY');
    expect(by['cash_balance']?.message).toContain('50.00 CNY');
  });

  it('CAN-1: resolving the conditions makes the account eligible again', async () => {
    const a = await signUpAndSignIn(p.http);
    const made = await blockEverything(a);

    // Billing and ledger: pay and finish the orders, settle what is owed, withdraw the balance.
    for (const o of made.orders) await admin(p.http, `/orders/${o}/status`, { status: 'complete' });
    for (const o of made.owed) await admin(p.http, `/owed-amounts/${o}/settle`);
    await expectOk(call(p.http, a, 'POST', '/withdrawals', { amountFen: 5_000 }), 201);
    // Vouchers: one is used, the other left to expire.
    await admin(p.http, `/vouchers/${made.vouchers.later}/use`);
    expect(codes(await eligibility(a))).toEqual([
      'vouchers',
      'resources_in_use',
      'collaborators',
      'sub_users',
      'message_receivers',
      'open_complaints',
    ]);
    clock.advance(2 * HOUR_MS);

    // Assets: release the resources.
    for (const r of made.resources) await admin(p.http, `/resources/${r}/status`, { status: 'released' });
    // Users: remove the collaborator, withdraw the invitation, delete the sub-user and the receiver.
    for (const c of made.collaborators) {
      expect((await call(p.http, a, 'DELETE', `/collaborators/${c}`)).status).toBe(204);
    }
    expect((await call(p.http, a, 'DELETE', `/sub-users/${made.sub}`)).status).toBe(204);
    expect((await call(p.http, a, 'DELETE', `/message-receivers/${made.receiver}`)).status).toBe(204);
    expect(codes(await eligibility(a))).toEqual(['open_complaints']);

    // Complaints: both directions closed.
    for (const c of made.complaints) await admin(p.http, `/complaints/${c}/close`);
    expect(await eligibility(a)).toEqual({ eligible: true, blockers: [] });
  });

  /**
   * The freeze's machinery, below the rule: these tests write an open application row themselves
   * (to reach every creating route with blockers already in place, which the apply route would
   * refuse), so they prove assertNoOpenCancellation, its lock and that each creating route calls
   * it. The rule itself (CAN-1 while an application is open) is proven through the API in
   * test/integration/cancellation.test.ts.
   */
  describe('freeze while an application is open', () => {
    async function openApplication(
      accountId: number,
      status: CancellationStatus = 'checking',
    ): Promise<string> {
      const em = p.orm.em.fork();
      const row = em.create(AccountCancellation, {
        id: newId(),
        accountId,
        status,
        workflowId: `account-cancellation:${accountId}`,
        createdAt: clock.now(),
      });
      await em.flush();
      return row.id;
    }

    it('freeze machinery: assertNoOpenCancellation refuses, naming the application, only while one is open', async () => {
      const a = await signUpAndSignIn(p.http);
      const em = p.orm.em.fork();
      await expect(assertNoOpenCancellation(em, a.accountId)).resolves.toBeUndefined();
      for (const closed of ['rejected', 'withdrawn', 'cancelled'] as const) {
        await openApplication(a.accountId, closed);
      }
      await expect(assertNoOpenCancellation(em, a.accountId)).resolves.toBeUndefined();

      const applicationId = await openApplication(a.accountId, 'cooling_off');
      const refused = await assertNoOpenCancellation(em, a.accountId).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ConflictError);
      expect(refused).toMatchObject({ code: 'cancellation_in_progress', details: { applicationId } });
      // Another account is not affected.
      const b = await signUpAndSignIn(p.http);
      await expect(assertNoOpenCancellation(em, b.accountId)).resolves.toBeUndefined();
    });

    it('freeze machinery: the routes that create a blocker answer 409 naming the open application and create nothing; resolving still works', async () => {
      const a = await signUpAndSignIn(p.http);
      const sub = await createSubUser(p.http, a, ['users:manage', 'billing:write', 'billing:read']);
      await admin(p.http, `/accounts/${a.accountId}/recharges`, { amountFen: 100 });
      const before = await eligibility(a);
      const member = await signUpAndSignIn(p.http);
      const applicationId = await openApplication(a.accountId);

      const id = a.accountId;
      const adminPost = (path: string, body: unknown) =>
        p.http.request('POST', `/admin-sandbox${path}`, { body, headers: { 'x-admin-token': ADMIN_TOKEN } });
      const attempts = {
        'POST /sub-users (owner)': call(p.http, a, 'POST', '/sub-users', {
          username: 'late',
          password: 'Sub-passw0rd',
          permissions: [],
        }),
        'POST /sub-users (delegate)': call(p.http, sub, 'POST', '/sub-users', {
          username: 'later',
          password: 'Sub-passw0rd',
          permissions: [],
        }),
        'POST /collaborators': call(p.http, a, 'POST', '/collaborators', { accountId: member.accountId }),
        'POST /message-receivers': call(p.http, a, 'POST', '/message-receivers', {
          name: 'Ops',
          email: 'ops@example.com',
        }),
        'admin order': adminPost(`/accounts/${id}/orders`, { amountFen: 100 }),
        'admin voucher': adminPost(`/accounts/${id}/vouchers`, { amountFen: 100, expiresAt: inHours(24) }),
        'admin resource': adminPost(`/accounts/${id}/resources`, { name: 'web-2' }),
        'admin recharge': adminPost(`/accounts/${id}/recharges`, { amountFen: 100 }),
      };
      for (const [what, res] of Object.entries(attempts)) {
        const r = await res;
        expect({
          what,
          status: r.status,
          code: r.body.error?.code,
          applicationId: r.body.error?.applicationId,
        }).toEqual({ what, status: 409, code: 'cancellation_in_progress', applicationId });
      }
      // Nothing was created.
      expect(await eligibility(a)).toEqual(before);
      expect(await expectOk(call(p.http, a, 'GET', '/collaborators'))).toEqual([]);

      // Dealing with what blocks is still possible: withdraw the balance, delete the sub-user.
      await expectOk(call(p.http, a, 'POST', '/withdrawals', { amountFen: 100 }), 201);
      expect((await call(p.http, a, 'DELETE', `/sub-users/${sub.id}`)).status).toBe(204);
      expect(await eligibility(a)).toEqual({ eligible: true, blockers: [] });
      // Another account creates as before.
      const b = await signUpAndSignIn(p.http);
      await admin(p.http, `/accounts/${b.accountId}/orders`, { amountFen: 100 });
    });

    /** Polls until a session of this test's database waits for a row lock. */
    async function someoneWaitsForALock(): Promise<void> {
      await eventually(
        async () => {
          const rows = (await p.orm.em
            .fork()
            .getConnection()
            .execute(
              `select count(*) as n from pg_stat_activity
              where datname = current_database() and wait_event_type = 'Lock'`,
            )) as Array<{ n: string | number }>;
          return Number(rows[0]?.n ?? 0) > 0 ? true : undefined;
        },
        15_000,
        'a transaction waiting for the account row lock',
      );
    }

    it('freeze machinery: a creation racing an application is seen by the application, or refused', async () => {
      // A creator inside its transaction, between its check and its commit: the application waits
      // for it, and its eligibility check then sees what was created.
      const a = await signUpAndSignIn(p.http);
      let application: Promise<CancellationBlocker[]> | undefined;
      await p.orm.em.fork().transactional(async (tem) => {
        await assertNoOpenCancellation(tem, a.accountId);
        application = p.orm.em.fork().transactional(async (atem) => {
          await lockAccountForCancellation(atem, a.accountId);
          return cancellationBlockers(atem, a.accountId, clock.now());
        });
        await someoneWaitsForALock();
        tem.create(MessageReceiver, {
          id: newId(),
          account: a.accountId,
          name: 'Raced',
          email: 'raced@example.com',
          createdAt: clock.now(),
        });
      });
      expect((await application!).map((b) => b.code)).toEqual(['message_receivers']);

      // An application inside its transaction, its row written: the creator waits for it and is
      // then refused, naming it.
      const b = await signUpAndSignIn(p.http);
      let creator: Promise<unknown> | undefined;
      let applicationId = '';
      await p.orm.em.fork().transactional(async (atem) => {
        await lockAccountForCancellation(atem, b.accountId);
        const row = atem.create(AccountCancellation, {
          id: newId(),
          accountId: b.accountId,
          workflowId: `account-cancellation:${b.accountId}`,
          createdAt: clock.now(),
        });
        applicationId = row.id;
        await atem.flush();
        creator = p.orm.em
          .fork()
          .transactional((tem) => assertNoOpenCancellation(tem, b.accountId))
          .catch((e: unknown) => e);
        await someoneWaitsForALock();
      });
      expect(await creator).toMatchObject({ code: 'cancellation_in_progress', details: { applicationId } });
    });
  });
});
