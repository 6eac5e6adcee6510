/**
 * Issue 8 §2: re-authentication before sensitive changes (ASVS 7.5.1, MFA-3). A session that has
 * not proven who is behind it within the last 5 minutes (its sign-in, or a step-up with the
 * password or an MFA code) cannot make a sensitive change, whether or not operation protection is
 * on; with it on, only an MFA code counts. Password and MFA changes send a notice.
 */
import { bankAccountNumber, eventually, signUpAndSignIn, type TestAccount } from '../support/factories';
import { ManualClock, startPlatform, type Platform } from '../support/platform';
import { codeFor, freshCaptcha, str, type Json, type Res } from '../support/security';

jest.setTimeout(30_000);

const FIVE_MINUTES = 5 * 60_000;

describe('re-authentication before sensitive changes over HTTP', () => {
  let p: Platform;
  const clock = new ManualClock('2026-04-06T02:00:00.000Z');
  beforeAll(async () => {
    p = await startPlatform({ clock });
  }, 60_000);
  afterAll(async () => {
    await p.close();
  });

  const tick = () => clock.advance(30_000);
  const stepUp = (a: TestAccount, body: Record<string, unknown>): Promise<Res> =>
    p.http.post<Json>('/sessions/current/step-up', body, a.token);
  const newDevice = (a: TestAccount): Promise<Res> =>
    p.http.post<Json>('/mfa/devices/virtual', { name: 'phone' }, a.token);
  const inbox = async (to: string) =>
    (
      await p.http.get<Array<{ subject: string; text: string }>>(
        `/sandbox/outbox?to=${encodeURIComponent(to)}`,
      )
    ).body;

  /** Binds a virtual device (within the sign-in's fresh 5 minutes); returns its secret. */
  async function bindDevice(a: TestAccount): Promise<string> {
    const created = await newDevice(a);
    expect(created.status).toBe(201);
    const secret = str(created, 'secret');
    tick();
    const deviceId = (created.body['device'] as { id: string }).id;
    const confirmed = await p.http.post<Json>(
      `/mfa/devices/${deviceId}/confirm`,
      { code: codeFor(secret, clock) },
      a.token,
    );
    expect(confirmed.status).toBe(200);
    return secret;
  }

  it('ASVS 7.5.1: the sign-in counts for 5 minutes; after that a sensitive change needs a step-up with the password', async () => {
    const a = await signUpAndSignIn(p.http);
    expect((await newDevice(a)).status).toBe(201);
    clock.advance(FIVE_MINUTES + 1000);
    const refused = await newDevice(a);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({
      code: 'step_up_required',
      rule: 'MFA-3',
      accepts: ['password', 'code'],
    });
    const proved = await stepUp(a, { password: a.password });
    expect(proved.status).toBe(201);
    expect(proved.body).toMatchObject({ factor: 'password', expiresAt: expect.any(String) });
    expect((await newDevice(a)).status).toBe(201);
    clock.advance(FIVE_MINUTES);
    expect((await newDevice(a)).status).toBe(403);
  });

  it('ASVS 7.5.1: submitting real-name information needs a recent authentication too', async () => {
    const a = await signUpAndSignIn(p.http);
    clock.advance(FIVE_MINUTES + 1000);
    const res = await p.http.post<Json>(
      '/verifications/enterprise/deposit',
      {
        enterpriseName: 'Acme Cloud Ltd',
        licenceNumber: '91110000MA01ABCD2X',
        bankAccount: {
          holder: 'Acme Cloud Ltd',
          bankName: 'ICBC Beijing',
          accountNumber: bankAccountNumber(true),
        },
      },
      a.token,
    );
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('step_up_required');
  });

  it('MFA-3: with operation protection on, only an MFA code counts: neither the password sign-in nor a password step-up', async () => {
    const a = await signUpAndSignIn(p.http);
    const secret = await bindDevice(a);
    const on = await p.http.put<Json>('/mfa/protection', { operationProtection: true }, a.token);
    expect(on.status).toBe(200);
    // Still within the password sign-in's 5 minutes, but a password is not the second factor.
    const refused = await newDevice(a);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'step_up_required', accepts: ['code'] });
    expect((await stepUp(a, { password: a.password })).status).toBe(201);
    expect((await newDevice(a)).status).toBe(403);
    tick();
    const withCode = await stepUp(a, { code: codeFor(secret, clock) });
    expect(withCode.status).toBe(201);
    expect(withCode.body.factor).toBe('mfa');
    expect((await newDevice(a)).status).toBe(201);
  });

  it('a password change: the current password is the proof, unless operation protection asks for the second factor', async () => {
    const a = await signUpAndSignIn(p.http);
    clock.advance(FIVE_MINUTES + 1000);
    const changed = await p.http.post<Json>(
      '/accounts/me/password',
      { currentPassword: a.password, newPassword: 'Changed-pass-2' },
      a.token,
    );
    expect(changed.status).toBe(200);
    const b = await signUpAndSignIn(p.http);
    const secret = await bindDevice(b);
    expect((await p.http.put<Json>('/mfa/protection', { operationProtection: true }, b.token)).status).toBe(
      200,
    );
    const body = { currentPassword: b.password, newPassword: 'Changed-pass-3' };
    expect((await p.http.post<Json>('/accounts/me/password', body, b.token)).status).toBe(403);
    tick();
    expect((await stepUp(b, { code: codeFor(secret, clock) })).status).toBe(201);
    expect((await p.http.post<Json>('/accounts/me/password', body, b.token)).status).toBe(200);
  });

  it('CON-2: a wrong password at step-up is refused naming the field and counts like a wrong sign-in', async () => {
    const a = await signUpAndSignIn(p.http);
    clock.advance(FIVE_MINUTES + 1000);
    const wrong = await stepUp(a, { password: 'Wrong-pass-1' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'password_invalid', field: 'password' });
    for (let i = 2; i <= 9; i += 1) expect((await stepUp(a, { password: 'Wrong-pass-1' })).status).toBe(400);
    expect((await stepUp(a, { password: 'Wrong-pass-1' })).status).toBe(423);
    // Locked for sign-in as well: it is the same count.
    const signIn = await p.http.post<Json>('/sessions', {
      email: a.email,
      password: a.password,
      captcha: await freshCaptcha(p.http),
    });
    expect(signIn.status).toBe(423);
  });

  it('refuses a step-up with both or neither of code and password, naming the field', async () => {
    const a = await signUpAndSignIn(p.http);
    const both = await stepUp(a, { password: a.password, code: '123456' });
    expect(both.status).toBe(400);
    expect(both.body.error.field).toBe('code');
    const neither = await stepUp(a, {});
    expect(neither.status).toBe(400);
    expect(neither.body.error.field).toBe('password');
  });

  it('password and MFA changes send a notice through the outbox', async () => {
    const a = await signUpAndSignIn(p.http);
    await bindDevice(a);
    expect(
      (
        await p.http.post<Json>(
          '/accounts/me/password',
          { currentPassword: a.password, newPassword: 'Noticed-pass-4' },
          a.token,
        )
      ).status,
    ).toBe(200);
    // The outbox dispatcher delivers them right after the change commits.
    const subjects = await eventually(
      async () => {
        const got = (await inbox(a.email)).map((m) => m.subject);
        return got.includes('Your password was changed') && got.includes('Your MFA settings were changed')
          ? got
          : undefined;
      },
      15_000,
      'the password and MFA notices',
    );
    expect(subjects).toEqual(
      expect.arrayContaining(['Your password was changed', 'Your MFA settings were changed']),
    );
  });
});
