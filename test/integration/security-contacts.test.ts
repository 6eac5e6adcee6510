import { maskEmail } from '../../libs/domain/src/masking';
import { Account, PhoneBindCount } from '../../libs/persistence/src/entities';
import {
  eventually,
  latestCode,
  requestCode,
  signUpAndSignIn,
  uniqueEmail,
  type TestAccount,
} from '../support/factories';
import { uniquePhone } from '../support/identity-fixtures';
import { ManualClock, startPlatform, type Platform } from '../support/platform';

const plus86 = (phone: string): string => `+86${phone}`;

jest.setTimeout(30_000);

describe('security phone and email over HTTP', () => {
  let p: Platform;
  const clock = new ManualClock('2026-03-02T02:00:00.000Z');
  beforeAll(async () => {
    p = await startPlatform({ clock });
  }, 60_000);
  afterAll(async () => {
    await p.close();
  });

  /** Binds a first security phone (no current one): a code to the new phone, then PUT. */
  async function bindPhone(a: TestAccount, phone: string): Promise<void> {
    clock.advance(61_000);
    const code = await requestCode(
      p.http,
      '/accounts/me/security/phone/codes',
      { phone },
      plus86(phone),
      a.token,
    );
    const res = await p.http.put('/accounts/me/security/phone', { phone, code }, a.token);
    if (res.status !== 200) throw new Error(`bind failed: ${res.status} ${JSON.stringify(res.body)}`);
  }

  it('ACC-12: binds a security phone with a code sent to it, and shows it masked', async () => {
    const a = await signUpAndSignIn(p.http);
    const phone = uniquePhone();
    const before = await p.http.get('/accounts/me/security', a.token);
    expect(before.body).toEqual({ securityPhone: null, securityEmail: null });
    const sent = await p.http.post('/accounts/me/security/phone/codes', { phone }, a.token);
    expect(sent.status).toBe(202);
    const code = await latestCode(p.http, plus86(phone));
    const wrong = await p.http.put(
      '/accounts/me/security/phone',
      { phone, code: code === '000000' ? '000001' : '000000' },
      a.token,
    );
    expect(wrong.body.error.code).toBe('code_invalid');
    const res = await p.http.put('/accounts/me/security/phone', { phone, code }, a.token);
    expect(res.status).toBe(200);
    // Exactly the country code and the last four digits: nothing of the middle shows.
    expect(res.body.securityPhone).toBe(`+86****${phone.slice(-4)}`);
  });

  it('CON-1a: changing the phone needs a code to the current phone, then one to the new phone; the old phone is told', async () => {
    const a = await signUpAndSignIn(p.http);
    const oldPhone = uniquePhone();
    const newPhone = uniquePhone();
    await bindPhone(a, oldPhone);

    clock.advance(61_000);
    const noProof = await p.http.post('/accounts/me/security/phone/codes', { phone: newPhone }, a.token);
    expect(noProof.status).toBe(400);
    expect(noProof.body.error).toMatchObject({ code: 'change_proof_invalid', field: 'proof' });

    const currentCode = await requestCode(
      p.http,
      '/accounts/me/security/phone/current/codes',
      {},
      plus86(oldPhone),
      a.token,
    );
    const verified = await p.http.post(
      '/accounts/me/security/phone/current/verify',
      { code: currentCode },
      a.token,
    );
    expect(verified.status).toBe(201);
    const { proof } = verified.body;
    const newCode = await requestCode(
      p.http,
      '/accounts/me/security/phone/codes',
      { phone: newPhone, proof },
      plus86(newPhone),
      a.token,
    );
    const changed = await p.http.put(
      '/accounts/me/security/phone',
      { phone: newPhone, code: newCode, proof },
      a.token,
    );
    expect(changed.status).toBe(200);
    expect(changed.body.securityPhone).toContain(newPhone.slice(-4));

    // CON-1: the old phone is told, through the outbox, right after the change.
    const notice = await eventually(async () => {
      const inbox = await p.http.get(`/sandbox/outbox?to=${encodeURIComponent(plus86(oldPhone))}`);
      return inbox.body.find((m: { subject: string }) => /changed/.test(m.subject));
    });
    expect(notice.text).toContain(newPhone.slice(-4));
    // The proof is single use.
    clock.advance(61_000);
    const reuse = await p.http.post(
      '/accounts/me/security/phone/codes',
      { phone: uniquePhone(), proof },
      a.token,
    );
    expect(reuse.body.error.code).toBe('change_proof_invalid');
    // The counters follow: the old number freed its slot.
    const em = p.orm.em.fork();
    expect((await em.findOne(PhoneBindCount, { key: `cn:${plus86(oldPhone)}` }))?.bound).toBe(0);
    expect((await em.findOne(PhoneBindCount, { key: `cn:${plus86(newPhone)}` }))?.bound).toBe(1);
  });

  it('ACC-3: a phone bound to 5 accounts is refused for a 6th', async () => {
    const phone = uniquePhone();
    for (let i = 0; i < 5; i += 1) await bindPhone(await signUpAndSignIn(p.http), phone);
    const sixth = await signUpAndSignIn(p.http);
    clock.advance(61_000);
    const res = await p.http.post('/accounts/me/security/phone/codes', { phone }, sixth.token);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ rule: 'ACC-3', code: 'phone_limit_reached' });
  });

  it('ACC-3: concurrent binds of one phone cannot make it 6 (conditional UPDATE on the counter)', async () => {
    const phone = uniquePhone();
    for (let i = 0; i < 3; i += 1) await bindPhone(await signUpAndSignIn(p.http), phone);
    // Five more accounts each hold a valid code for the same phone; they bind at the same moment.
    const racers: Array<{ a: TestAccount; code: string }> = [];
    for (let i = 0; i < 5; i += 1) {
      const a = await signUpAndSignIn(p.http);
      clock.advance(61_000);
      racers.push({
        a,
        code: await requestCode(
          p.http,
          '/accounts/me/security/phone/codes',
          { phone },
          plus86(phone),
          a.token,
        ),
      });
    }
    // Binding a phone needs a recent authentication (ASVS 7.5.1); the clock moved past the first
    // racers' sign-ins while the codes were sent.
    for (const { a } of racers) {
      expect((await p.http.post('/sessions/current/step-up', { password: a.password }, a.token)).status).toBe(
        201,
      );
    }
    const results = await Promise.all(
      racers.map(({ a, code }) => p.http.put('/accounts/me/security/phone', { phone, code }, a.token)),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 422, 422, 422]);
    for (const r of results.filter((x) => x.status === 422)) expect(r.body.error.rule).toBe('ACC-3');
    const em = p.orm.em.fork();
    expect(await em.count(Account, { securityPhone: plus86(phone) })).toBe(5);
    expect((await em.findOne(PhoneBindCount, { key: `cn:${plus86(phone)}` }))?.bound).toBe(5);
  });

  it('CON-3: the security email only receives codes; it is set apart from the login email', async () => {
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
    const res = await p.http.put('/accounts/me/security/email', { email: securityEmail, code }, a.token);
    expect(res.status).toBe(200);
    expect(res.body.securityEmail).toMatch(/^s\*\*\*@example\.com$/);
    const me = await p.http.get('/accounts/me', a.token);
    expect(me.body.email).toBe(a.email);
    // Not a login method: no password sign-in with it.
    const signIn = await p.http.post('/sessions', { email: securityEmail, password: a.password });
    expect(signIn.status).toBe(401);
  });

  it('CON-4: changing the security email needs a code to the current one, then to the new one; the old address is told', async () => {
    const a = await signUpAndSignIn(p.http);
    const first = uniqueEmail('sec1');
    const second = uniqueEmail('sec2');
    clock.advance(61_000);
    let code = await requestCode(
      p.http,
      '/accounts/me/security/email/codes',
      { email: first },
      first,
      a.token,
    );
    expect((await p.http.put('/accounts/me/security/email', { email: first, code }, a.token)).status).toBe(
      200,
    );

    clock.advance(61_000);
    const direct = await p.http.post('/accounts/me/security/email/codes', { email: second }, a.token);
    expect(direct.body.error.code).toBe('change_proof_invalid');

    code = await requestCode(p.http, '/accounts/me/security/email/current/codes', {}, first, a.token);
    const { proof } = (await p.http.post('/accounts/me/security/email/current/verify', { code }, a.token))
      .body;
    code = await requestCode(
      p.http,
      '/accounts/me/security/email/codes',
      { email: second, proof },
      second,
      a.token,
    );
    const changed = await p.http.put('/accounts/me/security/email', { email: second, code, proof }, a.token);
    expect(changed.status).toBe(200);
    const told = await eventually(async () => {
      const inbox = await p.http.get(`/sandbox/outbox?to=${encodeURIComponent(first)}`);
      return inbox.body.find((m: { subject: string }) => m.subject === 'Your security email was changed');
    });
    expect(told.text).toContain(maskEmail(second));
  });

  it('ACC-12: a code for one account never works for another, nor for another purpose', async () => {
    const a = await signUpAndSignIn(p.http);
    const b = await signUpAndSignIn(p.http);
    const phone = uniquePhone();
    clock.advance(61_000);
    const code = await requestCode(
      p.http,
      '/accounts/me/security/phone/codes',
      { phone },
      plus86(phone),
      a.token,
    );
    const stolen = await p.http.put('/accounts/me/security/phone', { phone, code }, b.token);
    expect(stolen.status).toBe(400);
    expect(stolen.body.error.code).toBe('code_expired');
    const email = uniqueEmail('purpose');
    const asEmail = await p.http.put('/accounts/me/security/email', { email, code }, a.token);
    expect(asEmail.status).toBe(400);
  });
});
