import { SandboxOutboxMessage, VerificationCode } from '../../libs/persistence/src/entities';
import { latestCode, requestCode, signUpAndSignIn, uniqueEmail } from '../support/factories';
import { providerAssertion, signUpWithProvider, uniqueSubject } from '../support/identity-fixtures';
import { ManualClock, startPlatform, type Platform } from '../support/platform';

const PASSWORD = 'Passw0rd-123';

jest.setTimeout(30_000);

describe('sign-up over HTTP', () => {
  let p: Platform;
  const clock = new ManualClock('2026-03-02T02:00:00.000Z');
  beforeAll(async () => {
    p = await startPlatform({ clock });
  }, 60_000);
  afterAll(async () => {
    await p.close();
  });

  it('ACC-2/ACC-4: an email sign-up is confirmed by the code sent to the address, and is usable at once', async () => {
    const email = uniqueEmail('confirmed');
    const sent = await p.http.post('/sign-up/email/codes', { email });
    expect(sent.status).toBe(202);
    expect(sent.body).toEqual({ expiresAt: expect.any(String), resendAfterSeconds: 60 });
    const code = await latestCode(p.http, email);
    const created = await p.http.post('/accounts', { email, code, password: PASSWORD });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email, site: 'cn', accountType: 'personal', signUpMethod: 'email' });
    const session = await p.http.post('/sessions', { email, password: PASSWORD });
    expect(session.status).toBe(201);
    // The code was used up.
    const again = await p.http.post('/accounts', { email: uniqueEmail(), code, password: PASSWORD });
    expect(again.status).toBe(400);
  });

  it('ACC-2: no account without the right code; codes are stored hashed', async () => {
    const email = uniqueEmail('nocode');
    const missing = await p.http.post('/accounts', { email, password: PASSWORD });
    expect(missing.status).toBe(400);
    expect(missing.body.error.field).toBe('code');
    const neverSent = await p.http.post('/accounts', { email, code: '123456', password: PASSWORD });
    expect(neverSent.status).toBe(400);
    expect(neverSent.body.error).toMatchObject({ code: 'code_expired', field: 'code' });

    const code = await requestCode(p.http, '/sign-up/email/codes', { email }, email);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const res = await p.http.post('/accounts', { email, code: wrong, password: PASSWORD });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'code_invalid', field: 'code', attemptsLeft: 4 });

    const rows = await p.orm.em.fork().find(VerificationCode, { destination: email });
    expect(rows).toHaveLength(1);
    expect(rows[0].codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].codeHash).not.toContain(code);
  });

  it('ACC-12 codes: 5 tries per code, then a new code is needed', async () => {
    const email = uniqueEmail('tries');
    const code = await requestCode(p.http, '/sign-up/email/codes', { email }, email);
    const wrong = String((Number(code) + 7) % 1_000_000).padStart(6, '0');
    const answers: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      answers.push(
        (await p.http.post('/accounts', { email, code: wrong, password: PASSWORD })).body.error.code,
      );
    }
    expect(answers).toEqual([
      'code_invalid',
      'code_invalid',
      'code_invalid',
      'code_invalid',
      'code_attempts_exhausted',
    ]);
    const right = await p.http.post('/accounts', { email, code, password: PASSWORD });
    expect(right.status).toBe(400);
    expect(right.body.error.code).toBe('code_attempts_exhausted');
  });

  it('ACC-12 codes: expire after 10 minutes; one send per 60 seconds, and a new code replaces the old', async () => {
    const email = uniqueEmail('expiry');
    const first = await requestCode(p.http, '/sign-up/email/codes', { email }, email);
    const tooSoon = await p.http.post('/sign-up/email/codes', { email });
    expect(tooSoon.status).toBe(429);
    expect(tooSoon.body.error.code).toBe('code_cooldown');
    expect(Number(tooSoon.headers.get('retry-after'))).toBeGreaterThan(0);
    clock.advance(10 * 60_000);
    const expired = await p.http.post('/accounts', { email, code: first, password: PASSWORD });
    expect(expired.body.error.code).toBe('code_expired');

    await requestCode(p.http, '/sign-up/email/codes', { email }, email);
    clock.advance(61_000);
    const third = await requestCode(p.http, '/sign-up/email/codes', { email }, email);
    const rows = await p.orm.em
      .fork()
      .find(VerificationCode, { destination: email }, { orderBy: { sentAt: 'asc' } });
    expect(rows.map((r) => r.supersededAt !== null)).toEqual([true, true, false]);
    const ok = await p.http.post('/accounts', { email, code: third, password: PASSWORD });
    expect(ok.status).toBe(201);
  });

  it('ACC-12 codes: of simultaneous requests for one address exactly one sends a code', async () => {
    const email = uniqueEmail('burst');
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => p.http.post('/sign-up/email/codes', { email })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([202, 429, 429, 429, 429, 429, 429, 429]);
    const inbox = await p.http.get(`/sandbox/outbox?to=${encodeURIComponent(email)}`);
    expect(inbox.body).toHaveLength(1);
    const rows = await p.orm.em.fork().find(VerificationCode, { destination: email });
    expect(rows).toHaveLength(1);
  });

  it('ACC-6: an email that registered an account never registers another; neither the code request nor the sign-up tells (ASVS 6.3.8)', async () => {
    const a = await signUpAndSignIn(p.http);
    clock.advance(61_000);
    const sent = await p.http.post('/sign-up/email/codes', { email: a.email });
    expect(sent.status).toBe(202);
    expect(Object.keys(sent.body).sort()).toEqual(['expiresAt', 'resendAfterSeconds']);
    const inbox = await p.http.get(`/sandbox/outbox?to=${encodeURIComponent(a.email)}`);
    expect(inbox.body[0].text).not.toMatch(/\b\d{6}\b/);
    // The sign-up answers a taken address exactly like a wrong code for a free one.
    const res = await p.http.post('/accounts', { email: a.email, code: '000000', password: PASSWORD });
    const free = uniqueEmail('free');
    await p.http.post('/sign-up/email/codes', { email: free });
    const wrong = await p.http.post('/accounts', { email: free, code: '000000', password: PASSWORD });
    expect(res.status).toBe(400);
    expect(wrong.status).toBe(400);
    expect(res.body.error.code).toBe(wrong.body.error.code);
    expect(res.body.error.field).toBe('code');
    expect(Object.keys(res.body.error).sort()).toEqual(Object.keys(wrong.body.error).sort());
  });

  it('the sandbox outbox keeps a code no longer than its expiry', async () => {
    const email = uniqueEmail('expiring');
    expect((await p.http.post('/sign-up/email/codes', { email })).status).toBe(202);
    expect((await p.http.get(`/sandbox/outbox?to=${encodeURIComponent(email)}`)).body).toHaveLength(1);
    clock.advance(10 * 60_000);
    expect((await p.http.get(`/sandbox/outbox?to=${encodeURIComponent(email)}`)).body).toEqual([]);
    // The next delivery deletes it for good.
    await p.http.post('/sign-up/email/codes', { email: uniqueEmail('next') });
    const rows = await p.orm.em.fork().count(SandboxOutboxMessage, { recipient: email });
    expect(rows).toBe(0);
  });

  it('ACC-11: the same email registers once per site; the sites never see each other', async () => {
    const email = uniqueEmail('sites');
    const cn = await p.http.post('/accounts', {
      email,
      code: await requestCode(p.http, '/sign-up/email/codes', { email, site: 'cn' }, email),
      password: PASSWORD,
      site: 'cn',
    });
    expect(cn.status).toBe(201);
    clock.advance(61_000);
    const code = await requestCode(p.http, '/sign-up/email/codes', { email, site: 'intl' }, email);
    const intl = await p.http.post('/accounts', { email, code, password: PASSWORD, site: 'intl' });
    expect(intl.status).toBe(201);
    expect(intl.body.site).toBe('intl');
    expect(intl.body.accountId).not.toBe(cn.body.accountId);
    // A cn code never confirms an intl sign-up.
    clock.advance(61_000);
    const other = uniqueEmail('sites2');
    const cnCode = await requestCode(p.http, '/sign-up/email/codes', { email: other, site: 'cn' }, other);
    const cross = await p.http.post('/accounts', {
      email: other,
      code: cnCode,
      password: PASSWORD,
      site: 'intl',
    });
    expect(cross.status).toBe(400);
    expect(cross.body.error.code).toBe('code_expired');
  });

  it('ACC-2/ACC-4: QQ, WeChat and Official Account sign-ups are signed in at once', async () => {
    for (const provider of ['qq', 'wechat', 'wechat_oa'] as const) {
      const { accountId, token, body } = await signUpWithProvider(p.http, provider, uniqueSubject(provider));
      expect(body.account).toMatchObject({ email: null, signUpMethod: provider, accountType: 'personal' });
      expect(body.signIn.kind).toBe('session');
      expect(body.recommendation).toBeNull();
      const me = await p.http.get('/accounts/me', token);
      expect(me.status).toBe(200);
      expect(me.body.accountId).toBe(accountId);
    }
  });

  it('ACC-2: an enterprise sign-up with QQ or WeChat is told email or Official Account is recommended', async () => {
    for (const provider of ['qq', 'wechat'] as const) {
      const { body } = await signUpWithProvider(p.http, provider, uniqueSubject(provider), {
        accountType: 'enterprise',
      });
      expect(body.account.accountType).toBe('enterprise');
      expect(body.recommendation).toMatchObject({
        rule: 'ACC-2',
        recommendedMethods: ['email', 'wechat_oa'],
      });
    }
    const oa = await signUpWithProvider(p.http, 'wechat_oa', uniqueSubject('oa'), {
      accountType: 'enterprise',
    });
    expect(oa.body.recommendation).toBeNull();
  });

  it('ACC-2: the API verifies the assertion signature, provider and expiry', async () => {
    const subject = uniqueSubject('qq');
    const assertion = await providerAssertion(p.http, 'qq', subject);
    const [v, payload, sig] = assertion.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'victim' }),
    ).toString('base64url');
    const forged = await p.http.post('/sign-up/third-party', {
      provider: 'qq',
      assertion: `${v}.${forgedPayload}.${sig}`,
    });
    expect(forged.status).toBe(401);
    expect(forged.body.error).toMatchObject({ code: 'identity_assertion_invalid', reason: 'bad_signature' });
    const wrongProvider = await p.http.post('/sign-up/third-party', { provider: 'wechat', assertion });
    expect(wrongProvider.body.error.reason).toBe('wrong_provider');
    clock.advance(5 * 60_000 + 1000);
    const expired = await p.http.post('/sign-up/third-party', { provider: 'qq', assertion });
    expect(expired.status).toBe(401);
    expect(expired.body.error.reason).toBe('expired');
  });

  it('ACC-7: a QQ identity registers one account; signing in with it enters that account', async () => {
    const subject = uniqueSubject('qq');
    const first = await signUpWithProvider(p.http, 'qq', subject);
    const again = await p.http.post('/sign-up/third-party', {
      provider: 'qq',
      assertion: await providerAssertion(p.http, 'qq', subject),
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('identity_taken');
    const signIn = await p.http.post('/sessions/third-party', {
      provider: 'qq',
      assertion: await providerAssertion(p.http, 'qq', subject),
    });
    expect(signIn.status).toBe(201);
    expect(signIn.body).toMatchObject({ kind: 'session', accountId: first.accountId });
    expect(signIn.body.token).not.toBe(first.token);
  });

  it('ACC-2: an assertion is accepted once, like an OAuth authorization code', async () => {
    const subject = uniqueSubject('qq');
    await signUpWithProvider(p.http, 'qq', subject);
    const assertion = await providerAssertion(p.http, 'qq', subject);
    const first = await p.http.post('/sessions/third-party', { provider: 'qq', assertion });
    expect(first.status).toBe(201);
    const replay = await p.http.post('/sessions/third-party', { provider: 'qq', assertion });
    expect(replay.status).toBe(401);
    expect(replay.body.error).toMatchObject({ code: 'identity_assertion_invalid', reason: 'replayed' });
  });

  it('ACC-11: a third-party identity signs in only on its own site', async () => {
    const subject = uniqueSubject('wx');
    await signUpWithProvider(p.http, 'wechat', subject, { site: 'intl' });
    const cn = await p.http.post('/sessions/third-party', {
      provider: 'wechat',
      assertion: await providerAssertion(p.http, 'wechat', subject),
      site: 'cn',
    });
    expect(cn.status).toBe(401);
    expect(cn.body.error.code).toBe('identity_not_linked');
    // The same identity may register separately on the China site.
    const own = await signUpWithProvider(p.http, 'wechat', subject, { site: 'cn' });
    expect(own.body.account.site).toBe('cn');
  });
});
