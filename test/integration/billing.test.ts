import { DAY_MS, HOUR_MS } from '../../libs/domain/src/clock';
import { AccountBalance } from '../../libs/persistence/src/entities';
import { signUpAndSignIn } from '../support/factories';
import { admin, call, createSubUser, expectOk, ORG_ENV } from '../support/org-fixtures';
import { ManualClock, startPlatform, type Platform } from '../support/platform';

// Starting a platform (a database, sign-ups with email codes) takes seconds on a shared machine.
jest.setTimeout(30_000);

describe('balance ledger, vouchers, orders and amounts owed over HTTP', () => {
  let p: Platform;
  const clock = new ManualClock('2026-03-02T02:00:00.000Z');
  beforeAll(async () => {
    p = await startPlatform({ clock, env: ORG_ENV });
  });
  afterAll(async () => {
    await p.close();
  });

  async function ledgerSum(accountId: number): Promise<number> {
    const entries = await expectOk(
      call(p.http, { token: await tokenOf(accountId) }, 'GET', '/ledger-entries?limit=500'),
    );
    return entries.reduce((s: number, e: { amountFen: number }) => s + e.amountFen, 0);
  }
  const tokens = new Map<number, string>();
  async function tokenOf(accountId: number): Promise<string> {
    return tokens.get(accountId)!;
  }

  it('the balance is the sum of a ledger of recharges, withdrawals, charges and refunds, in fen', async () => {
    const a = await signUpAndSignIn(p.http);
    tokens.set(a.accountId, a.token);
    expect(await expectOk(call(p.http, a, 'GET', '/balance'))).toEqual({
      accountId: a.accountId,
      balanceFen: 0,
      currency: 'CNY',
    });
    await admin(p.http, `/accounts/${a.accountId}/recharges`, { amountFen: 10_000 });
    await admin(p.http, `/accounts/${a.accountId}/charges`, { amountFen: 2_501 });
    await admin(p.http, `/accounts/${a.accountId}/refunds`, { amountFen: 1 });
    const w = await expectOk(call(p.http, a, 'POST', '/withdrawals', { amountFen: 500 }), 201);
    expect(w.entry).toMatchObject({ kind: 'withdrawal', amountFen: -500 });
    expect(w.balanceFen).toBe(7_000);
    expect((await expectOk(call(p.http, a, 'GET', '/balance'))).balanceFen).toBe(7_000);
    const kinds = (await expectOk(call(p.http, a, 'GET', '/ledger-entries')))
      .map((e: { kind: string }) => e.kind)
      .sort();
    expect(kinds).toEqual(['charge', 'recharge', 'refund', 'withdrawal']);
    expect(await ledgerSum(a.accountId)).toBe(7_000);
  });

  it('a withdrawal cannot exceed the balance, and bad amounts are refused', async () => {
    const a = await signUpAndSignIn(p.http);
    await admin(p.http, `/accounts/${a.accountId}/recharges`, { amountFen: 100 });
    const over = await call(p.http, a, 'POST', '/withdrawals', { amountFen: 101 });
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe('insufficient_balance');
    for (const amountFen of [0, -5, 1.5, '100']) {
      const bad = await call(p.http, a, 'POST', '/withdrawals', { amountFen });
      expect(bad.status).toBe(400);
      expect(bad.body.error.field).toBe('amountFen');
    }
    expect((await expectOk(call(p.http, a, 'GET', '/balance'))).balanceFen).toBe(100);
  });

  it('the ledger never goes negative under concurrent withdrawals', async () => {
    const a = await signUpAndSignIn(p.http);
    tokens.set(a.accountId, a.token);
    const sub = await createSubUser(p.http, a, ['billing:write']);
    await admin(p.http, `/accounts/${a.accountId}/recharges`, { amountFen: 1_000 });
    // 20 parallel withdrawals of 300 fen, from the owner and a sub-user at once: only 3 fit.
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(p.http, i % 2 ? sub : a, 'POST', '/withdrawals', { amountFen: 300 }),
      ),
    );
    const ok = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 409);
    expect(ok).toHaveLength(3);
    expect(refused).toHaveLength(17);
    for (const r of refused) expect(r.body.error.code).toBe('insufficient_balance');
    expect(Math.min(...ok.map((r) => r.body.balanceFen as number))).toBeGreaterThanOrEqual(0);
    expect((await expectOk(call(p.http, a, 'GET', '/balance'))).balanceFen).toBe(100);
    expect(await ledgerSum(a.accountId)).toBe(100);
    // The lock/cache row agrees with the ledger.
    const row = await p.orm.em.fork().findOneOrFail(AccountBalance, { accountId: a.accountId });
    expect(row.balanceFen).toBe(100);
  });

  it('concurrent withdrawals that exactly drain the balance all succeed, and one more does not', async () => {
    const a = await signUpAndSignIn(p.http);
    await admin(p.http, `/accounts/${a.accountId}/recharges`, { amountFen: 1_000 });
    const results = await Promise.all(
      Array.from({ length: 11 }, () => call(p.http, a, 'POST', '/withdrawals', { amountFen: 100 })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(10);
    expect(results.filter((r) => r.status === 409)).toHaveLength(1);
    expect((await expectOk(call(p.http, a, 'GET', '/balance'))).balanceFen).toBe(0);
  });

  it('vouchers are unused, used or expired, expiry judged by the clock', async () => {
    const a = await signUpAndSignIn(p.http);
    const now = clock.now().getTime();
    const soon = await admin(p.http, `/accounts/${a.accountId}/vouchers`, {
      amountFen: 1_000,
      expiresAt: new Date(now + HOUR_MS).toISOString(),
    });
    const later = await admin(p.http, `/accounts/${a.accountId}/vouchers`, {
      amountFen: 2_000,
      expiresAt: new Date(now + 30 * DAY_MS).toISOString(),
    });
    const used = await admin(p.http, `/accounts/${a.accountId}/vouchers`, {
      amountFen: 500,
      expiresAt: new Date(now + 30 * DAY_MS).toISOString(),
    });
    await admin(p.http, `/vouchers/${used.id}/use`);
    const status = async () =>
      Object.fromEntries(
        (await expectOk(call(p.http, a, 'GET', '/vouchers'))).map((v: { id: string; status: string }) => [
          v.id,
          v.status,
        ]),
      );
    expect(await status()).toEqual({ [soon.id]: 'unused', [later.id]: 'unused', [used.id]: 'used' });
    // Sessions last 12 hours: move the clock past the first voucher's expiry only.
    clock.advance(2 * HOUR_MS);
    expect(await status()).toEqual({ [soon.id]: 'expired', [later.id]: 'unused', [used.id]: 'used' });
    const expired = await expectOk(call(p.http, a, 'GET', '/vouchers?status=expired'));
    expect(expired.map((v: { id: string }) => v.id)).toEqual([soon.id]);
    const unused = await expectOk(call(p.http, a, 'GET', '/vouchers?status=unused'));
    expect(unused.map((v: { id: string }) => v.id)).toEqual([later.id]);
    expect((await call(p.http, a, 'GET', '/vouchers?status=lost')).status).toBe(400);
  });

  it('orders are unpaid, in progress or complete, and can be filtered', async () => {
    const a = await signUpAndSignIn(p.http);
    const o1 = await admin(p.http, `/accounts/${a.accountId}/orders`, { amountFen: 100 });
    const o2 = await admin(p.http, `/accounts/${a.accountId}/orders`, {
      amountFen: 200,
      status: 'in_progress',
    });
    await admin(p.http, `/orders/${o2.id}/status`, { status: 'complete' });
    const all = await expectOk(call(p.http, a, 'GET', '/orders'));
    expect(all.map((o: { id: string; status: string }) => [o.id, o.status])).toEqual([
      [o1.id, 'unpaid'],
      [o2.id, 'complete'],
    ]);
    const unpaid = await expectOk(call(p.http, a, 'GET', '/orders?status=unpaid'));
    expect(unpaid.map((o: { id: string }) => o.id)).toEqual([o1.id]);
  });

  it('amounts owed are listed with their total; settled ones drop out of the total', async () => {
    const a = await signUpAndSignIn(p.http);
    const debt1 = await admin(p.http, `/accounts/${a.accountId}/owed-amounts`, {
      amountFen: 1_500,
      description: 'March usage',
    });
    await admin(p.http, `/accounts/${a.accountId}/owed-amounts`, { amountFen: 250 });
    expect((await expectOk(call(p.http, a, 'GET', '/amounts-owed'))).totalOwedFen).toBe(1_750);
    await admin(p.http, `/owed-amounts/${debt1.id}/settle`);
    const owed = await expectOk(call(p.http, a, 'GET', '/amounts-owed'));
    expect(owed.totalOwedFen).toBe(250);
    expect(owed.items).toHaveLength(1);
    expect((await expectOk(call(p.http, a, 'GET', '/amounts-owed?includeSettled=true'))).items).toHaveLength(
      2,
    );
  });
});
