import { DRIVERS } from '../support/databases';
import { requestCode, signUpAndSignIn, uniqueEmail, type TestAccount } from '../support/factories';
import { providerAssertion, signUpWithProvider, uniqueSubject } from '../support/identity-fixtures';
import { ManualClock, startPlatform, type Platform } from '../support/platform';

jest.setTimeout(30_000);

describe.each(DRIVERS)('associated login methods over HTTP (%s)', (driver) => {
  let p: Platform;
  const clock = new ManualClock('2026-03-02T02:00:00.000Z');
  beforeAll(async () => {
    p = await startPlatform({ driver, clock });
  }, 60_000);
  afterAll(async () => {
    await p.close();
  });

  async function associateEmail(token: string, email: string) {
    clock.advance(61_000);
    const code = await requestCode(p.http, '/accounts/me/login-methods/email/codes', { email }, email, token);
    return p.http.post('/accounts/me/login-methods/email', { email, code }, token);
  }

  async function associateProvider(token: string, provider: 'qq' | 'wechat', subject: string) {
    const assertion = await providerAssertion(p.http, provider, subject);
    return p.http.post('/accounts/me/login-methods/third-party', { provider, assertion }, token);
  }

  it('AS-1: an email is associated after proving it with a code, and listed with the registration email', async () => {
    const a = await signUpAndSignIn(p.http);
    const extra = uniqueEmail('extra');
    const res = await associateEmail(a.token, extra);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'email', role: 'associated', identifier: extra });
    const list = await p.http.get('/accounts/me/login-methods', a.token);
    expect(list.body.map((m: { identifier: string; role: string }) => [m.identifier, m.role])).toEqual([
      [a.email, 'registration'],
      [extra, 'associated'],
    ]);
  });

  it('AS-1/ACC-6: an email that registered its own account cannot be associated with another', async () => {
    const a = await signUpAndSignIn(p.http);
    const b = await signUpAndSignIn(p.http);
    const res = await p.http.post('/accounts/me/login-methods/email/codes', { email: b.email }, a.token);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ rule: 'AS-1', code: 'identity_registered_account' });
  });

  it('AS-1: an email associated with one account cannot be associated with another, nor register', async () => {
    const a = await signUpAndSignIn(p.http);
    const b = await signUpAndSignIn(p.http);
    const shared = uniqueEmail('shared');
    expect((await associateEmail(a.token, shared)).status).toBe(201);
    const res = await p.http.post('/accounts/me/login-methods/email/codes', { email: shared }, b.token);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ rule: 'AS-1', code: 'identity_associated_elsewhere' });
    const signUp = await p.http.post('/accounts', {
      email: shared,
      code: '000000',
      password: 'Passw0rd-123',
    });
    expect(signUp.status).toBe(409);
  });

  it('AS-1: a sub-user login name is refused', async () => {
    const a = await signUpAndSignIn(p.http);
    const res = await p.http.post(
      '/accounts/me/login-methods/email/codes',
      { email: `alice@${a.accountId}` },
      a.token,
    );
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ rule: 'AS-1', code: 'identity_is_sub_user' });
  });

  it('AS-1/ACC-7: a QQ or WeChat identity that registered its own account is never merged into another', async () => {
    const a = await signUpAndSignIn(p.http);
    const qq = uniqueSubject('qq');
    await signUpWithProvider(p.http, 'qq', qq);
    const res = await associateProvider(a.token, 'qq', qq);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ rule: 'AS-1', code: 'identity_registered_account' });
    const wx = uniqueSubject('wx');
    await signUpWithProvider(p.http, 'wechat', wx);
    expect((await associateProvider(a.token, 'wechat', wx)).body.error.code).toBe(
      'identity_registered_account',
    );
  });

  it('AS-1: a QQ identity associated with one account cannot be associated with another', async () => {
    const a = await signUpAndSignIn(p.http);
    const b = await signUpAndSignIn(p.http);
    const qq = uniqueSubject('qq');
    expect((await associateProvider(a.token, 'qq', qq)).status).toBe(201);
    const res = await associateProvider(b.token, 'qq', qq);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ rule: 'AS-1', code: 'identity_associated_elsewhere' });
  });

  it('ACC-8: a QQ-registered account binds WeChat as an extra login method and signs in with it', async () => {
    const qqAccount = await signUpWithProvider(p.http, 'qq', uniqueSubject('qq'));
    const wx = uniqueSubject('wx');
    const bound = await associateProvider(qqAccount.token, 'wechat', wx);
    expect(bound.status).toBe(201);
    expect(bound.body).toMatchObject({ kind: 'wechat', role: 'associated' });
    const signIn = await p.http.post('/sessions/third-party', {
      provider: 'wechat',
      assertion: await providerAssertion(p.http, 'wechat', wx),
    });
    expect(signIn.status).toBe(201);
    expect(signIn.body).toMatchObject({ kind: 'session', accountId: qqAccount.accountId });
  });

  it('ACC-7: a WeChat identity bound to several accounts asks which to enter; the ticket enters one, once', async () => {
    const a = await signUpAndSignIn(p.http);
    const b = await signUpAndSignIn(p.http);
    const wx = uniqueSubject('wx');
    expect((await associateProvider(a.token, 'wechat', wx)).status).toBe(201);
    expect((await associateProvider(b.token, 'wechat', wx)).status).toBe(201);

    const start = await p.http.post('/sessions/third-party', {
      provider: 'wechat',
      assertion: await providerAssertion(p.http, 'wechat', wx),
    });
    expect(start.status).toBe(201);
    expect(start.body.kind).toBe('choose_account');
    expect(start.body.token).toBeUndefined();
    expect(start.body.accounts).toHaveLength(2);
    const masked = JSON.stringify(start.body.accounts);
    for (const acct of [a, b]) {
      expect(masked).not.toContain(String(acct.accountId));
      expect(masked).not.toContain(acct.email);
      expect(masked).toContain(String(acct.accountId).slice(-4));
    }
    const optionB = start.body.accounts.find((o: { accountId: string }) =>
      o.accountId.endsWith(String(b.accountId).slice(-4)),
    ).option;
    const chosen = await p.http.post('/sessions/third-party/choice', {
      selectionTicket: start.body.selectionTicket,
      option: optionB,
    });
    expect(chosen.status).toBe(201);
    expect(chosen.body).toMatchObject({ kind: 'session', accountId: b.accountId });
    const me = await p.http.get('/accounts/me', chosen.body.token);
    expect(me.body.accountId).toBe(b.accountId);

    const reused = await p.http.post('/sessions/third-party/choice', {
      selectionTicket: start.body.selectionTicket,
      option: optionB,
    });
    expect(reused.status).toBe(401);
    expect(reused.body.error.code).toBe('selection_ticket_invalid');
  });

  it('ACC-7: the selection ticket expires after 5 minutes', async () => {
    const a = await signUpAndSignIn(p.http);
    const b = await signUpAndSignIn(p.http);
    const wx = uniqueSubject('wx');
    await associateProvider(a.token, 'wechat', wx);
    await associateProvider(b.token, 'wechat', wx);
    const start = await p.http.post('/sessions/third-party', {
      provider: 'wechat',
      assertion: await providerAssertion(p.http, 'wechat', wx),
    });
    clock.advance(5 * 60_000);
    const late = await p.http.post('/sessions/third-party/choice', {
      selectionTicket: start.body.selectionTicket,
      option: 1,
    });
    expect(late.status).toBe(401);
  });

  it('AS-2: an associated email can be unbound; the registration email cannot', async () => {
    const a: TestAccount = await signUpAndSignIn(p.http);
    const extra = uniqueEmail('unbind');
    const added = await associateEmail(a.token, extra);
    expect((await p.http.delete(`/accounts/me/login-methods/${added.body.id}`, a.token)).status).toBe(204);
    const list = await p.http.get('/accounts/me/login-methods', a.token);
    expect(list.body).toHaveLength(1);
    const registration = list.body[0];
    expect(registration.role).toBe('registration');
    const res = await p.http.delete(`/accounts/me/login-methods/${registration.id}`, a.token);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ rule: 'AS-2', code: 'registration_login_method' });
    // Unbound, the address is free to be associated again.
    expect((await associateEmail(a.token, extra)).status).toBe(201);
  });

  it("another account's login method is a 404", async () => {
    const a = await signUpAndSignIn(p.http);
    const b = await signUpAndSignIn(p.http);
    const added = await associateEmail(a.token, uniqueEmail('mine'));
    const res = await p.http.delete(`/accounts/me/login-methods/${added.body.id}`, b.token);
    expect(res.status).toBe(404);
  });
});
