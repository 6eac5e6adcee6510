import { AccountDomain, IcpFiling } from '../../libs/persistence/src/entities';
import { newId } from '../../libs/domain/src/ids';
import { requestCode, signUpAndSignIn, uniqueEmail, type TestAccount } from '../support/factories';
import { signUpWithProvider, uniquePhone, uniqueSubject } from '../support/identity-fixtures';
import { ManualClock, startPlatform, type Platform } from '../support/platform';

jest.setTimeout(30_000);

describe('find my account over HTTP', () => {
  let p: Platform;
  const clock = new ManualClock('2026-03-02T02:00:00.000Z');
  beforeAll(async () => {
    p = await startPlatform({ clock });
  }, 60_000);
  afterAll(async () => {
    await p.close();
  });
  // Every test starts with a fresh rate-limit window (all requests come from 127.0.0.1).
  beforeEach(() => {
    clock.advance(61_000);
  });

  async function bindPhone(a: { token: string }, phone: string): Promise<void> {
    clock.advance(61_000);
    const code = await requestCode(
      p.http,
      '/accounts/me/security/phone/codes',
      { phone },
      `+86${phone}`,
      a.token,
    );
    expect((await p.http.put('/accounts/me/security/phone', { phone, code }, a.token)).status).toBe(200);
  }

  async function hold(account: TestAccount, what: { domain?: string; icp?: string }): Promise<void> {
    const em = p.orm.em.fork();
    if (what.domain) em.create(AccountDomain, { id: newId(), account: account.accountId, name: what.domain });
    if (what.icp) em.create(IcpFiling, { id: newId(), account: account.accountId, filingNumber: what.icp });
    await em.flush();
  }

  const find = (by: string, value: string, site?: string) =>
    p.http.post('/find-account', { by, value, site });

  it('ACC-5: by bound phone, lists every account with masked IDs and login methods, never secrets', async () => {
    const phone = uniquePhone();
    const a = await signUpAndSignIn(p.http);
    const qq = await signUpWithProvider(p.http, 'qq', uniqueSubject('qq'), { displayName: 'Han Meimei' });
    await bindPhone(a, phone);
    await bindPhone(qq, phone);
    clock.advance(61_000);
    const res = await find('phone', phone);
    expect(res.status).toBe(200);
    expect(res.body.matches).toHaveLength(2);
    const text = JSON.stringify(res.body);
    for (const secret of [
      String(a.accountId),
      String(qq.accountId),
      a.email,
      phone,
      'Han Meimei',
      a.password,
      'hash',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(res.body.matches[0]).toEqual({
      accountId: `********${String(a.accountId).slice(-4)}`,
      loginMethods: [{ kind: 'email', identifier: `${a.email[0]}***@example.com` }],
    });
    expect(res.body.matches[1].loginMethods).toEqual([{ kind: 'qq', identifier: 'H***' }]);
  });

  it('ACC-5: by account ID, domain name and ICP filing number', async () => {
    const a = await signUpAndSignIn(p.http);
    const domain = `shop-${newId().toLowerCase()}.example.cn`;
    const icp = `京ICP备${String(Date.now()).slice(-8)}号`;
    await hold(a, { domain, icp });
    const masked = `********${String(a.accountId).slice(-4)}`;
    for (const [by, value] of [
      ['account_id', String(a.accountId)],
      ['domain', `${domain.toUpperCase()}.`],
      ['icp_filing', icp],
    ] as const) {
      const res = await find(by, value);
      expect(res.status).toBe(200);
      expect(res.body.matches.map((m: { accountId: string }) => m.accountId)).toEqual([masked]);
    }
  });

  it('ACC-5: the answer has the same shape whether or not anything matched', async () => {
    const a = await signUpAndSignIn(p.http);
    const hit = await find('account_id', String(a.accountId));
    const miss = await find('account_id', '1000000000000001');
    const missPhone = await find('phone', uniquePhone());
    expect(hit.status).toBe(200);
    expect(miss.status).toBe(200);
    expect(Object.keys(hit.body)).toEqual(Object.keys(miss.body));
    expect(miss.body).toEqual({ matches: [] });
    expect(missPhone.body).toEqual({ matches: [] });
  });

  it('ACC-5/ACC-11: a look-up on one site never finds accounts of the other', async () => {
    const a = await signUpAndSignIn(p.http);
    const res = await find('account_id', String(a.accountId), 'intl');
    expect(res.body).toEqual({ matches: [] });
    const email = uniqueEmail('intl');
    clock.advance(61_000);
    const code = await requestCode(p.http, '/sign-up/email/codes', { email, site: 'intl' }, email);
    const intl = await p.http.post('/accounts', { email, code, password: 'Passw0rd-123', site: 'intl' });
    expect((await find('account_id', String(intl.body.accountId), 'intl')).body.matches).toHaveLength(1);
    expect((await find('account_id', String(intl.body.accountId), 'cn')).body.matches).toHaveLength(0);
  });

  it('ACC-5: rate-limited per client: 10 look-ups in any 60 seconds, then 429 with Retry-After', async () => {
    for (let i = 0; i < 10; i += 1) {
      expect((await find('account_id', '1000000000000001')).status).toBe(200);
      clock.advance(1000);
    }
    const limited = await find('account_id', '1000000000000001');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBe(50);
    // The window slides: once the first look-up is 60 s old, one more is allowed.
    clock.advance(50_000);
    expect((await find('account_id', '1000000000000001')).status).toBe(200);
    expect((await find('account_id', '1000000000000001')).status).toBe(429);
  });
});
