import { Account, LoginIdentity } from '../../libs/persistence/src/entities';
import {
  latestCode,
  requestCode,
  signUpAndSignIn,
  uniqueEmail,
  type TestAccount,
} from '../support/factories';
import { providerAssertion, signUpWithProvider, uniqueSubject } from '../support/identity-fixtures';
import { ManualClock, startPlatform, type Platform } from '../support/platform';
import { codeFor, freshCaptcha, type Json, type Res } from '../support/security';

jest.setTimeout(30_000);

describe('associated login methods over HTTP', () => {
  let p: Platform;
  const clock = new ManualClock('2026-03-02T02:00:00.000Z');
  beforeAll(async () => {
    p = await startPlatform({ clock });
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

  /** The code request answers 202 whatever holds the address; the refusal comes once the code is proven. */
  async function refusedAfterProof(token: string, email: string) {
    clock.advance(61_000);
    const sent = await p.http.post('/accounts/me/login-methods/email/codes', { email }, token);
    expect(sent.status).toBe(202);
    expect(Object.keys(sent.body).sort()).toEqual(['expiresAt', 'resendAfterSeconds']);
    const code = await latestCode(p.http, email);
    return p.http.post('/accounts/me/login-methods/email', { email, code }, token);
  }

  it('AS-1/ACC-6: an email that registered its own account cannot be associated with another (ASVS 6.3.8: told only after the code)', async () => {
    const a = await signUpAndSignIn(p.http);
    const b = await signUpAndSignIn(p.http);
    const res = await refusedAfterProof(a.token, b.email);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ rule: 'AS-1', code: 'login_method_unavailable', field: 'email' });
  });

  it('LOG-2: while an account has one login method, the account information and the sign-in answer advise a second', async () => {
    const a = await signUpAndSignIn(p.http);
    const single = await p.http.post('/sessions', { email: a.email, password: a.password });
    expect(single.body.advice).toEqual([
      expect.objectContaining({
        rule: 'LOG-2',
        code: 'add_second_login_method',
        href: '/accounts/me/login-methods',
      }),
    ]);
    const me = await p.http.get('/accounts/me', a.token);
    expect(me.body.advice).toEqual([expect.objectContaining({ rule: 'LOG-2' })]);

    expect((await associateEmail(a.token, uniqueEmail('second'))).status).toBe(201);
    expect((await p.http.get('/accounts/me', a.token)).body.advice).toEqual([]);
    expect((await p.http.post('/sessions', { email: a.email, password: a.password })).body.advice).toEqual(
      [],
    );
  });

  it('AS-1: an email associated with one account cannot be associated with another, nor register', async () => {
    const a = await signUpAndSignIn(p.http);
    const b = await signUpAndSignIn(p.http);
    const shared = uniqueEmail('shared');
    expect((await associateEmail(a.token, shared)).status).toBe(201);
    const res = await refusedAfterProof(b.token, shared);
    expect(res.status).toBe(422);
    // The same answer as for a registration email: which it is, is not told.
    expect(res.body.error).toMatchObject({ rule: 'AS-1', code: 'login_method_unavailable', field: 'email' });
    expect(await p.orm.em.fork().count(LoginIdentity, { account: b.accountId, subject: shared })).toBe(0);
    const signUp = await p.http.post('/accounts', {
      email: shared,
      code: '000000',
      password: 'Passw0rd-123',
    });
    expect(signUp.status).toBe(400);
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

  describe('password sign-in with an email login method', () => {
    const signIn = (email: string, password: string, extra: Record<string, unknown> = {}): Promise<Res> =>
      p.http.post<Json>('/sessions', { email, password, ...extra });
    /** What a person sees of a refusal; the unknown-account answer is the reference (no enumeration). */
    const shape = (r: Res) => ({
      status: r.status,
      code: r.body.error?.code,
      message: r.body.error?.message,
      captchaRequired: r.body.error?.captchaRequired,
    });
    const unknownAnswer = async () => shape(await signIn(uniqueEmail('ghost'), 'Passw0rd-123'));
    const withAssociated = async (): Promise<TestAccount & { extra: string }> => {
      const a = await signUpAndSignIn(p.http);
      const extra = uniqueEmail('assoc');
      expect((await associateEmail(a.token, extra)).status).toBe(201);
      return { ...a, extra };
    };

    it('CON-3/AS-2: the registration email and an associated email both sign in with the account password', async () => {
      const a = await withAssociated();
      const viaRegistration = await signIn(a.email, a.password);
      expect(viaRegistration.status).toBe(201);
      expect(viaRegistration.body).toMatchObject({ kind: 'session', accountId: a.accountId });
      const viaAssociated = await signIn(a.extra, a.password, { site: 'cn' });
      expect(viaAssociated.status).toBe(201);
      expect(viaAssociated.body).toMatchObject({ kind: 'session', accountId: a.accountId });
      const me = await p.http.get('/accounts/me', viaAssociated.body['token'] as string);
      expect(me.body.accountId).toBe(a.accountId);

      // ACC-13: recorded like any password sign-in (sign-up's, the registration email's, this one).
      const history = await p.http.get('/accounts/me/login-history', a.token);
      expect(history.body.items.map((e: { method: string; result: string }) => [e.method, e.result])).toEqual(
        [
          ['password', 'success'],
          ['password', 'success'],
          ['password', 'success'],
        ],
      );
    });

    it('CON-3: the security email is not a login method: signing in with it gets the unknown-account answer', async () => {
      const a = await signUpAndSignIn(p.http);
      const securityEmail = uniqueEmail('sec');
      clock.advance(61_000);
      const code = await requestCode(
        p.http,
        '/accounts/me/security/email/codes',
        { email: securityEmail },
        securityEmail,
        a.token,
      );
      expect(
        (await p.http.put('/accounts/me/security/email', { email: securityEmail, code }, a.token)).status,
      ).toBe(200);
      const refused = await signIn(securityEmail, a.password);
      expect(shape(refused)).toEqual(await unknownAnswer());
      expect(shape(refused)).toMatchObject({
        status: 401,
        code: 'invalid_credentials',
        captchaRequired: false,
      });
      expect((await signIn(a.email, a.password)).status).toBe(201);
    });

    it('AS-2: a wrong password through an associated email gets the unknown-account answer; an unbound one stops signing in', async () => {
      const a = await withAssociated();
      expect(shape(await signIn(a.extra, 'Wrong-pass-1'))).toEqual(await unknownAnswer());
      const list = await p.http.get('/accounts/me/login-methods', a.token);
      const assoc = list.body.find((m: { identifier: string }) => m.identifier === a.extra);
      expect((await p.http.delete(`/accounts/me/login-methods/${assoc.id}`, a.token)).status).toBe(204);
      const after = await signIn(a.extra, a.password);
      expect(shape(after)).toMatchObject({ status: 401, code: 'invalid_credentials' });
    });

    it('ACC-11: an associated email signs in on its own site only', async () => {
      const a = await withAssociated();
      const elsewhere = await signIn(a.extra, a.password, { site: 'intl' });
      expect(shape(elsewhere)).toMatchObject({ status: 401, code: 'invalid_credentials' });
      expect((await signIn(a.extra, a.password, { site: 'cn' })).status).toBe(201);
    });

    it('CON-2: wrong passwords through an associated email count toward the same account: captcha, then lock', async () => {
      const a = await withAssociated();
      for (let i = 1; i <= 3; i += 1) {
        const r = await signIn(a.extra, 'Wrong-pass-1');
        expect(r.body.error).toMatchObject({ code: 'invalid_credentials', captchaRequired: i >= 3 });
      }
      // The registration email is the same account: it now needs a captcha too.
      const gated = await signIn(a.email, a.password);
      expect(gated.status).toBe(401);
      expect(gated.body.error).toMatchObject({ code: 'captcha_required', rule: 'CON-2' });

      // Failures 4–9 through the registration email, the 10th through the associated one.
      for (let i = 4; i <= 9; i += 1) {
        const r = await signIn(a.email, 'Wrong-pass-1', { captcha: await freshCaptcha(p.http) });
        expect(r.status).toBe(401);
      }
      const tenth = await signIn(a.extra, 'Wrong-pass-1', { captcha: await freshCaptcha(p.http) });
      expect(tenth.status).toBe(423);
      expect(tenth.body.error).toMatchObject({ code: 'account_locked', rule: 'CON-2' });
      for (const email of [a.email, a.extra]) {
        const locked = await signIn(email, a.password, { captcha: await freshCaptcha(p.http) });
        expect(locked.status).toBe(423);
        expect(locked.body.error.lockedUntil).toBe(tenth.body.error.lockedUntil);
      }
      const history = await p.http.get('/accounts/me/login-history?pageSize=100', a.token);
      const results = (history.body.items as Array<{ result: string; method: string }>).map((e) => e.result);
      expect(results.filter((r) => r === 'wrong_password')).toHaveLength(10);
    });

    it('MFA-2: with login protection on, an associated email only opens a challenge', async () => {
      const a = await withAssociated();
      const created = await p.http.post('/mfa/devices/virtual', { name: 'phone' }, a.token);
      expect(created.status).toBe(201);
      const secret = created.body.secret as string;
      clock.advance(30_000);
      const confirmed = await p.http.post(
        `/mfa/devices/${created.body.device.id}/confirm`,
        { code: codeFor(secret, clock) },
        a.token,
      );
      expect(confirmed.status).toBe(200);
      expect((await p.http.put('/mfa/protection', { loginProtection: true }, a.token)).status).toBe(200);

      const first = await signIn(a.extra, a.password);
      expect(first.status).toBe(202);
      expect(first.body).toMatchObject({ kind: 'mfa_required' });
      expect(first.body['token']).toBeUndefined();
      clock.advance(30_000);
      const done = await p.http.post('/sessions/mfa', {
        challengeId: first.body['challengeId'],
        code: codeFor(secret, clock),
      });
      expect(done.status).toBe(201);
      expect(done.body).toMatchObject({ kind: 'session', accountId: a.accountId });
    });

    it('CAN-2: a cancelled account does not sign in with its associated email, and the answer is the unknown one', async () => {
      const a = await withAssociated();
      await p.orm.em.fork().nativeUpdate(Account, { id: a.accountId }, { status: 'cancelled' });
      expect(shape(await signIn(a.extra, a.password))).toEqual(await unknownAnswer());
      expect(shape(await signIn(a.email, a.password))).toEqual(await unknownAnswer());
    });

    it('an email that would match two accounts signs in to neither, with the unknown-account answer', async () => {
      // Not reachable through the API (one `email:<address>` login key per site); simulates
      // inconsistent data: one account's registration column and another's associated email.
      const a = await signUpAndSignIn(p.http);
      const b = await withAssociated();
      await p.orm.em.fork().nativeUpdate(Account, { id: a.accountId }, { email: b.extra });
      for (const password of [a.password, b.password]) {
        expect(shape(await signIn(b.extra, password))).toEqual(await unknownAnswer());
      }
      expect((await signIn(b.email, b.password)).status).toBe(201);
    });
  });
});
