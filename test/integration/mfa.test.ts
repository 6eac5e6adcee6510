import { MINUTE_MS } from '../../libs/domain/src/clock';
import { MfaDevice } from '../../libs/persistence/src/entities';
import { signUpAndSignIn, type TestAccount } from '../support/factories';
import { ManualClock, startPlatform, type Platform } from '../support/platform';
import { codeFor, items, str, type Json, type Res } from '../support/security';
import { createStaffMember } from '../../apps/api/src/staff/staff-provisioning';
import { SecretBox } from '../../libs/domain/src/secret-box';
import { decodeKey32 } from '../../libs/config/src/config';
import { newTotpSecret } from '../../apps/api/src/mfa/totp';

const STEP = 30_000;

describe('MFA over HTTP', () => {
  let p: Platform;
  const clock = new ManualClock('2026-05-04T02:00:00.000Z');
  let operatorToken: string;
  beforeAll(async () => {
    p = await startPlatform({ clock });
    const op = await createStaffMember(p.orm, new SecretBox(decodeKey32(p.config.mfa.encryptionKey)!), {
      email: 'operator@example.com',
      role: 'operator',
      password: 'Operator-pass-123',
      now: clock.now(),
      issuer: 'test',
    });
    const s = await p.http.post<Json>('/staff/sessions', {
      email: op.email,
      password: op.password,
      code: codeFor(op.totpSecret, clock),
    });
    operatorToken = str(s, 'token');
  });
  afterAll(async () => {
    await p.close();
  });

  /** Moves to the next TOTP step so a new code is not a replay. */
  const tick = () => clock.advance(STEP);

  const bindVirtual = async (a: TestAccount): Promise<{ deviceId: string; secret: string }> => {
    const created = await p.http.post<Json>('/mfa/devices/virtual', { name: 'phone' }, a.token);
    expect(created.status).toBe(201);
    const secret = str(created, 'secret');
    const deviceId = (created.body['device'] as { id: string }).id;
    tick();
    const confirmed = await p.http.post<Json>(
      `/mfa/devices/${deviceId}/confirm`,
      { code: codeFor(secret, clock) },
      a.token,
    );
    expect(confirmed.status).toBe(200);
    return { deviceId, secret };
  };
  const protect = (a: TestAccount, body: Record<string, boolean>): Promise<Res> =>
    p.http.put<Json>('/mfa/protection', body, a.token);

  it('MFA-1/MFA-4: a virtual device returns an otpauth URI and secret once, and binds only with a valid first code', async () => {
    const a = await signUpAndSignIn(p.http);
    const created = await p.http.post<Json>('/mfa/devices/virtual', { name: 'phone' }, a.token);
    expect(created.status).toBe(201);
    const secret = str(created, 'secret');
    expect(str(created, 'otpauthUri')).toMatch(/^otpauth:\/\/totp\/.*secret=/);
    const device = created.body['device'] as { id: string; status: string };
    expect(device.status).toBe('pending');

    const wrongCode = String((Number(codeFor(secret, clock)) + 1) % 1_000_000).padStart(6, '0');
    const bad = await p.http.post<Json>(`/mfa/devices/${device.id}/confirm`, { code: wrongCode }, a.token);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'mfa_code_invalid', rule: 'MFA-4' });
    // A pending device does not count: protection cannot be turned on yet.
    expect((await protect(a, { loginProtection: true })).body.error.code).toBe('mfa_device_required');

    const ok = await p.http.post<Json>(
      `/mfa/devices/${device.id}/confirm`,
      { code: codeFor(secret, clock) },
      a.token,
    );
    expect(ok.status).toBe(200);
    expect(ok.body['status']).toBe('bound');

    const overview = await p.http.get<Json>('/mfa', a.token);
    expect(overview.body).toMatchObject({ loginProtection: false, operationProtection: false });
    expect(JSON.stringify(overview.body)).not.toContain(secret);
  });

  it('MFA-1: device secrets are encrypted at rest', async () => {
    const a = await signUpAndSignIn(p.http);
    const { deviceId, secret } = await bindVirtual(a);
    const row = await p.orm.em.fork().findOneOrFail(MfaDevice, { id: deviceId });
    expect(row.secretEncrypted).not.toContain(secret);
    expect(row.secretEncrypted).toMatch(/^v1\./);
  });

  it('MFA-2: with login protection on, the password only opens a challenge and a valid code completes sign-in', async () => {
    const a = await signUpAndSignIn(p.http);
    const { secret } = await bindVirtual(a);
    const on = await protect(a, { loginProtection: true });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ loginProtection: true });

    const first = await p.http.post<Json>('/sessions', { email: a.email, password: a.password });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ kind: 'mfa_required', challengeId: expect.any(String) as unknown });
    expect(first.body['token']).toBeUndefined();
    const challengeId = str(first, 'challengeId');

    const wrong = await p.http.post<Json>('/sessions/mfa', { challengeId, code: '000000' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('mfa_code_invalid');

    tick();
    const done = await p.http.post<Json>('/sessions/mfa', { challengeId, code: codeFor(secret, clock) });
    expect(done.status).toBe(201);
    expect((await p.http.get('/accounts/me', str(done, 'token'))).status).toBe(200);

    // Single use: the challenge cannot be completed twice.
    tick();
    const again = await p.http.post<Json>('/sessions/mfa', { challengeId, code: codeFor(secret, clock) });
    expect(again.body.error.code).toBe('mfa_challenge_invalid');

    const history = items<{ result: string }>(await p.http.get<Json>('/accounts/me/login-history', a.token));
    expect(history.map((e) => e.result).slice(0, 3)).toEqual(['success', 'mfa_failed', 'mfa_required']);
  });

  it('MFA-2: a challenge expires', async () => {
    const a = await signUpAndSignIn(p.http);
    const { secret } = await bindVirtual(a);
    await protect(a, { loginProtection: true });
    const first = await p.http.post<Json>('/sessions', { email: a.email, password: a.password });
    clock.advance(6 * MINUTE_MS);
    const late = await p.http.post<Json>('/sessions/mfa', {
      challengeId: str(first, 'challengeId'),
      code: codeFor(secret, clock),
    });
    expect(late.status).toBe(401);
    expect(late.body.error.code).toBe('mfa_challenge_invalid');
  });

  it('RFC 6238 §5.2: a code is accepted once per device; ±1 step is tolerated, 2 steps are not', async () => {
    const a = await signUpAndSignIn(p.http);
    const { secret } = await bindVirtual(a);
    await protect(a, { loginProtection: true });
    const challenge = async () =>
      str(await p.http.post<Json>('/sessions', { email: a.email, password: a.password }), 'challengeId');

    tick();
    const code = codeFor(secret, clock);
    expect((await p.http.post<Json>('/sessions/mfa', { challengeId: await challenge(), code })).status).toBe(
      201,
    );
    const replay = await p.http.post<Json>('/sessions/mfa', { challengeId: await challenge(), code });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('mfa_code_invalid');

    tick();
    tick();
    const previousStep = codeFor(secret, clock, -1);
    expect(
      (await p.http.post<Json>('/sessions/mfa', { challengeId: await challenge(), code: previousStep }))
        .status,
    ).toBe(201);
    const nextStep = codeFor(secret, clock, 1);
    expect(
      (await p.http.post<Json>('/sessions/mfa', { challengeId: await challenge(), code: nextStep })).status,
    ).toBe(201);
    tick();
    tick();
    tick();
    const tooOld = codeFor(secret, clock, -2);
    expect(
      (await p.http.post<Json>('/sessions/mfa', { challengeId: await challenge(), code: tooOld })).status,
    ).toBe(401);
  });

  it('MFA-3: with operation protection on, sensitive operations need a fresh step-up bound to the session', async () => {
    const a = await signUpAndSignIn(p.http);
    const { secret } = await bindVirtual(a);
    // Off: the password change passes without a second factor.
    const free = await p.http.post<Json>(
      '/accounts/me/password',
      { currentPassword: a.password, newPassword: 'Second-pass-22' },
      a.token,
    );
    expect(free.status).toBe(200);

    expect((await protect(a, { operationProtection: true })).status).toBe(200);
    const blocked = await p.http.post<Json>(
      '/accounts/me/password',
      { currentPassword: 'Second-pass-22', newPassword: 'Third-pass-333' },
      a.token,
    );
    expect(blocked.status).toBe(403);
    expect(blocked.body.error).toMatchObject({ code: 'step_up_required', rule: 'MFA-3' });
    // ACC-12: turning protection off is itself protected.
    expect((await protect(a, { operationProtection: false })).status).toBe(403);

    const badStep = await p.http.post<Json>('/sessions/current/step-up', { code: '000000' }, a.token);
    expect(badStep.status).toBe(400);
    tick();
    const step = await p.http.post<Json>(
      '/sessions/current/step-up',
      { code: codeFor(secret, clock) },
      a.token,
    );
    expect(step.status).toBe(201);
    expect(step.body['expiresAt']).toBe(new Date(clock.now().getTime() + 5 * MINUTE_MS).toISOString());

    // Bound to this session: another session of the same account still needs its own.
    const other = str(
      await p.http.post<Json>('/sessions', { email: a.email, password: 'Second-pass-22' }),
      'token',
    );
    expect((await protect({ ...a, token: other }, { loginProtection: true })).status).toBe(403);

    const ok = await p.http.post<Json>(
      '/accounts/me/password',
      { currentPassword: 'Second-pass-22', newPassword: 'Third-pass-333' },
      a.token,
    );
    expect(ok.status).toBe(200);

    clock.advance(5 * MINUTE_MS + 1);
    expect((await protect(a, { operationProtection: false })).status).toBe(403);
    tick();
    await p.http.post<Json>('/sessions/current/step-up', { code: codeFor(secret, clock) }, a.token);
    expect((await protect(a, { operationProtection: false })).body).toMatchObject({
      operationProtection: false,
    });
  });

  it('ACC-12: protection needs a bound device, and the last device cannot be removed while protection is on', async () => {
    const a = await signUpAndSignIn(p.http);
    const none = await protect(a, { loginProtection: true });
    expect(none.status).toBe(422);
    expect(none.body.error).toMatchObject({ code: 'mfa_device_required', rule: 'MFA-2' });
    const { deviceId } = await bindVirtual(a);
    await protect(a, { loginProtection: true });
    expect((await p.http.delete<Json>(`/mfa/devices/${deviceId}`, a.token)).status).toBe(422);
    await protect(a, { loginProtection: false });
    expect((await p.http.delete<Json>(`/mfa/devices/${deviceId}`, a.token)).status).toBe(204);
    expect((await p.http.get<Json>('/mfa', a.token)).body['devices']).toEqual([]);
  });

  it('MFA-1/MFA-4: an operator registers a hardware token; the owner binds it by serial and a valid code, once', async () => {
    const seed = newTotpSecret();
    const serial = `HW-${Date.now()}`;
    const reg = await p.http.post<Json>('/staff/mfa/hardware-tokens', { serial, seed }, operatorToken);
    expect(reg.status).toBe(201);
    expect(JSON.stringify(reg.body)).not.toContain(seed);
    expect(
      (await p.http.post<Json>('/staff/mfa/hardware-tokens', { serial, seed }, operatorToken)).status,
    ).toBe(409);

    const a = await signUpAndSignIn(p.http);
    const b = await signUpAndSignIn(p.http);
    const bad = await p.http.post<Json>('/mfa/devices/hardware', { serial, code: '000000' }, a.token);
    expect(bad.status).toBe(400);
    const unknown = await p.http.post<Json>(
      '/mfa/devices/hardware',
      { serial: 'NOPE-0000', code: '000000' },
      a.token,
    );
    expect(unknown.status).toBe(404);

    tick();
    const bound = await p.http.post<Json>(
      '/mfa/devices/hardware',
      { serial, code: codeFor(seed, clock) },
      a.token,
    );
    expect(bound.status).toBe(201);
    expect(bound.body).toMatchObject({ kind: 'hardware', serial, status: 'bound' });
    tick();
    const taken = await p.http.post<Json>(
      '/mfa/devices/hardware',
      { serial, code: codeFor(seed, clock) },
      b.token,
    );
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('hardware_token_bound');

    // The hardware token now protects a sign-in.
    await protect(a, { loginProtection: true });
    const challengeId = str(
      await p.http.post<Json>('/sessions', { email: a.email, password: a.password }),
      'challengeId',
    );
    tick();
    expect(
      (await p.http.post<Json>('/sessions/mfa', { challengeId, code: codeFor(seed, clock) })).status,
    ).toBe(201);

    const list = items<{ serial: string; bound: boolean }>(
      await p.http.get<Json>('/staff/mfa/hardware-tokens', operatorToken),
    );
    expect(list.find((t) => t.serial === serial)).toMatchObject({ bound: true });
  });

  it('MFA-2/MFA-3: ten wrong codes in a day lock second-factor checks for 24 hours', async () => {
    const a = await signUpAndSignIn(p.http);
    const { secret } = await bindVirtual(a);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      statuses.push(
        (await p.http.post<Json>('/sessions/current/step-up', { code: '000000' }, a.token)).status,
      );
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 400, 400, 400, 400, 423]);
    tick();
    const right = await p.http.post<Json>(
      '/sessions/current/step-up',
      { code: codeFor(secret, clock) },
      a.token,
    );
    expect(right.status).toBe(423);
    expect(right.body.error).toMatchObject({
      code: 'mfa_locked',
      lockedUntil: expect.any(String) as unknown,
    });
    clock.advance(24 * 60 * MINUTE_MS);
    const fresh = str(
      await p.http.post<Json>('/sessions', { email: a.email, password: a.password }),
      'token',
    );
    const after = await p.http.post<Json>(
      '/sessions/current/step-up',
      { code: codeFor(secret, clock) },
      fresh,
    );
    expect(after.status).toBe(201);
  });

  it("MFA-4: another account's device is a 404", async () => {
    const a = await signUpAndSignIn(p.http);
    const b = await signUpAndSignIn(p.http);
    const { deviceId } = await bindVirtual(a);
    expect((await p.http.delete<Json>(`/mfa/devices/${deviceId}`, b.token)).status).toBe(404);
    expect(
      (await p.http.post<Json>(`/mfa/devices/${deviceId}/confirm`, { code: '123456' }, b.token)).status,
    ).toBe(404);
  });
});
