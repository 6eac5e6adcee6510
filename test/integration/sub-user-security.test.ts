/**
 * Sub-user sign-in security (issue 4: sub-users sign in with the root account ID, a username and a
 * password, with their own MFA): CON-2 protection counted per sub-user, and the sub-user's own
 * virtual MFA device (MFA-1, MFA-2, MFA-4), which its root account can reset (ACC-9).
 */
import { HOUR_MS, MINUTE_MS } from '../../libs/domain/src/clock';
import { signUpAndSignIn } from '../support/factories';
import { call, createSubUser, ORG_ENV, type TestSubUser } from '../support/org-fixtures';
import { ManualClock, startPlatform, type Platform } from '../support/platform';
import { codeFor, freshCaptcha as fresh, solveCaptcha, str, type Json, type Res } from '../support/security';

// Starting a platform (a database, sign-ups with email codes) takes seconds on a shared machine.
jest.setTimeout(60_000);

describe('sub-user sign-in security over HTTP', () => {
  let p: Platform;
  const clock = new ManualClock('2026-03-02T02:00:00.000Z'); // 10:00 in Shanghai
  beforeAll(async () => {
    p = await startPlatform({ clock, env: ORG_ENV });
  });
  afterAll(async () => {
    await p.close();
  });

  const signIn = (body: Record<string, unknown>): Promise<Res> =>
    p.http.post<Json>('/sub-users/sessions', body);
  const as = (sub: TestSubUser, password = sub.password, extra: Record<string, unknown> = {}) =>
    signIn({ accountId: sub.accountId, username: sub.username, password, ...extra });
  const freshCaptcha = () => fresh(p.http);
  const strip = (r: Res) => ({ ...r.body.error, correlationId: undefined, captcha: undefined });

  async function newSubUser(): Promise<TestSubUser> {
    const root = await signUpAndSignIn(p.http);
    return createSubUser(p.http, root, []);
  }

  it('CON-2: three wrong passwords per sub-user are free; from then on every attempt needs a captcha', async () => {
    const sub = await newSubUser();
    for (let i = 1; i <= 3; i += 1) {
      const r = await as(sub, 'Wrong-pass-1');
      expect(r.status).toBe(401);
      expect(r.body.error).toMatchObject({ code: 'invalid_credentials', captchaRequired: i >= 3 });
    }
    const gated = await as(sub);
    expect(gated.status).toBe(401);
    expect(gated.body.error).toMatchObject({ code: 'captcha_required', rule: 'CON-2' });
    const captcha = await solveCaptcha(p.http, gated.body.error.captcha!.challengeId);
    const ok = await as(sub, sub.password, { captcha });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ kind: 'session', subUserId: sub.id, accountId: sub.accountId });

    // A wrong captcha answer is refused without looking at the password, and is not a failure.
    const bad = await as(sub, sub.password, {
      captcha: { challengeId: (await freshCaptcha()).challengeId, answer: 'WRONG' },
    });
    expect(bad.body.error.code).toBe('captcha_invalid');

    // Counted per sub-user: another sub-user of the same root signs in freely.
    const sibling = await newSubUser();
    expect((await as(sibling)).status).toBe(201);
  });

  it('CON-2: an unknown sub-user and a wrong password get the same answers, captcha step and lock included', async () => {
    clock.set('2026-03-04T01:00:00.000Z');
    const sub = await newSubUser();
    const unknown = { accountId: sub.accountId, username: 'nobody', password: 'Wrong-pass-1' };
    for (let i = 1; i <= 10; i += 1) {
      const captcha = i > 3 ? await freshCaptcha() : undefined;
      const known = await as(sub, 'Wrong-pass-1', captcha ? { captcha } : {});
      const other = await signIn({ ...unknown, ...(i > 3 ? { captcha: await freshCaptcha() } : {}) });
      expect(other.status).toBe(known.status);
      expect(strip(other)).toEqual(strip(known));
    }
    const lockedKnown = await as(sub, sub.password, { captcha: await freshCaptcha() });
    const lockedUnknown = await signIn({ ...unknown, captcha: await freshCaptcha() });
    expect(lockedKnown.status).toBe(423);
    expect(strip(lockedUnknown)).toEqual(strip(lockedKnown));
  });

  it('CON-2: the 10th failure locks the sub-user for 24 hours from the day’s first failure (423 with lockedUntil)', async () => {
    clock.set('2026-03-06T01:00:00.000Z'); // 09:00 Shanghai
    const sub = await newSubUser();
    const firstFailureAt = clock.now();
    const answers: Res[] = [];
    for (let i = 1; i <= 10; i += 1) {
      const captcha = i > 3 ? await freshCaptcha() : undefined;
      answers.push(await as(sub, 'Wrong-pass-1', captcha ? { captcha } : {}));
      clock.advance(10 * MINUTE_MS);
    }
    const until = new Date(firstFailureAt.getTime() + 24 * HOUR_MS).toISOString();
    expect(answers.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 401, 423]);
    expect(answers[9].body.error).toMatchObject({
      code: 'account_locked',
      rule: 'CON-2',
      lockedUntil: until,
    });

    // While locked the password is not checked: right and wrong get the same answer.
    const withRight = await as(sub, sub.password, { captcha: await freshCaptcha() });
    const withWrong = await as(sub, 'Wrong-pass-1', { captcha: await freshCaptcha() });
    expect(withRight.status).toBe(423);
    expect(strip(withRight)).toEqual(strip(withWrong));

    // Still locked one minute before the end, free from then on.
    clock.set(new Date(Date.parse(until) - MINUTE_MS));
    expect((await as(sub)).status).toBe(423);
    clock.set(until);
    const back = await as(sub);
    expect(back.status).toBe(201);
    expect(str(back, 'token')).toMatch(/^acs_/);
  });

  /** Binds the sub-user's own virtual device (MFA-4); returns its secret. */
  async function bindOwnDevice(sub: TestSubUser): Promise<string> {
    const created = await p.http.post<Json>('/sub-users/me/mfa/device', { name: 'phone' }, sub.token);
    expect(created.status).toBe(201);
    const secret = str(created, 'secret');
    expect(str(created, 'otpauthUri')).toContain(encodeURIComponent(`${sub.username}@${sub.accountId}`));
    const bound = await p.http.post<Json>(
      '/sub-users/me/mfa/device/confirm',
      { code: codeFor(secret, clock) },
      sub.token,
    );
    expect(bound.status).toBe(200);
    expect(bound.body).toMatchObject({ kind: 'virtual', status: 'bound' });
    return secret;
  }

  it('MFA-4: a sub-user binds its own virtual device only by proving a first code from it', async () => {
    clock.set('2026-03-10T02:00:00.000Z');
    const sub = await newSubUser();
    expect((await p.http.get<Json>('/sub-users/me/mfa', sub.token)).body).toEqual({
      loginProtection: false,
      device: null,
    });
    const created = await p.http.post<Json>('/sub-users/me/mfa/device', {}, sub.token);
    expect(created.status).toBe(201);
    expect(created.body['device']).toMatchObject({ status: 'pending', kind: 'virtual' });
    const secret = str(created, 'secret');

    // A wrong code binds nothing, and a pending device does not protect sign-in.
    const wrongCode = String((Number(codeFor(secret, clock)) + 1) % 1_000_000).padStart(6, '0');
    const refused = await p.http.post<Json>(
      '/sub-users/me/mfa/device/confirm',
      { code: wrongCode },
      sub.token,
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'mfa_code_invalid', rule: 'MFA-4' });
    expect((await as(sub)).status).toBe(201);

    const bound = await p.http.post<Json>(
      '/sub-users/me/mfa/device/confirm',
      { code: codeFor(secret, clock) },
      sub.token,
    );
    expect(bound.status).toBe(200);
    const status = await p.http.get<Json>('/sub-users/me/mfa', sub.token);
    expect(status.body).toMatchObject({ loginProtection: true, device: { status: 'bound' } });
    expect(JSON.stringify(status.body)).not.toContain(secret);

    // One device at a time: a second needs the root to reset the first.
    const again = await p.http.post<Json>('/sub-users/me/mfa/device', {}, sub.token);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('mfa_device_already_bound');

    // Only the sub-user itself: an owner session is refused on these routes.
    const root = await signUpAndSignIn(p.http);
    expect((await p.http.get<Json>('/sub-users/me/mfa', root.token)).status).toBe(403);
    expect((await p.http.post<Json>('/sub-users/me/mfa/device', {}, root.token)).body.error.code).toBe(
      'sub_user_only',
    );
  });

  it('MFA-2: once bound, sub-user sign-in answers a challenge and only a valid, unused code completes it', async () => {
    clock.set('2026-03-11T02:00:00.000Z');
    const sub = await newSubUser();
    const secret = await bindOwnDevice(sub);
    clock.advance(30_000); // the binding code's step is used up (RFC 6238 §5.2)

    const first = await as(sub);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ kind: 'mfa_required', challengeId: expect.any(String) });
    expect(first.body['token']).toBeUndefined();
    const challengeId = str(first, 'challengeId');

    const wrongCode = String((Number(codeFor(secret, clock)) + 1) % 1_000_000).padStart(6, '0');
    const wrong = await p.http.post<Json>('/sub-users/sessions/mfa', { challengeId, code: wrongCode });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatchObject({ code: 'mfa_code_invalid', rule: 'MFA-2', attemptsLeft: 4 });

    // The owner's completion endpoint does not take a sub-user's challenge.
    const code = codeFor(secret, clock);
    const viaOwner = await p.http.post<Json>('/sessions/mfa', { challengeId, code });
    expect(viaOwner.status).toBe(401);
    expect(viaOwner.body.error.code).toBe('mfa_challenge_invalid');

    const done = await p.http.post<Json>('/sub-users/sessions/mfa', { challengeId, code });
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({ kind: 'session', subUserId: sub.id, accountId: sub.accountId });
    const me = await call(p.http, { token: str(done, 'token') }, 'GET', '/acting-account');
    expect(me.body).toMatchObject({ actor: 'sub_user', accountId: sub.accountId });

    // A challenge is used once; a code is accepted once, and an older one never after it.
    expect((await p.http.post<Json>('/sub-users/sessions/mfa', { challengeId, code })).status).toBe(401);
    const second = str(await as(sub), 'challengeId');
    const replay = await p.http.post<Json>('/sub-users/sessions/mfa', { challengeId: second, code });
    expect(replay.body.error.code).toBe('mfa_code_invalid');
    const older = codeFor(secret, clock, -1);
    expect(
      (await p.http.post<Json>('/sub-users/sessions/mfa', { challengeId: second, code: older })).status,
    ).toBe(401);
    clock.advance(30_000);
    const next = await p.http.post<Json>('/sub-users/sessions/mfa', {
      challengeId: second,
      code: codeFor(secret, clock),
    });
    expect(next.status).toBe(201);

    // A challenge lives 5 minutes.
    clock.advance(30_000);
    const late = str(await as(sub), 'challengeId');
    clock.advance(5 * MINUTE_MS);
    const expired = await p.http.post<Json>('/sub-users/sessions/mfa', {
      challengeId: late,
      code: codeFor(secret, clock),
    });
    expect(expired.body.error.code).toBe('mfa_challenge_invalid');
  });

  it("MFA-2: a sub-user's device never stands in for its owner's, nor the reverse", async () => {
    clock.set('2026-03-12T02:00:00.000Z');
    const root = await signUpAndSignIn(p.http);
    const sub = await createSubUser(p.http, root, []);
    const subSecret = await bindOwnDevice(sub);

    // The sub-user's device is not the owner's: not listed, and the owner's sign-in stays plain.
    const overview = await p.http.get<Json>('/mfa', root.token);
    expect(overview.body['devices']).toEqual([]);
    expect(
      (await p.http.post<Json>('/sessions', { email: root.email, password: root.password })).status,
    ).toBe(201);
    const noDevice = await p.http.put<Json>('/mfa/protection', { loginProtection: true }, root.token);
    expect(noDevice.status).toBe(422);

    // The owner binds its own device and turns login protection on.
    const ownerDevice = await p.http.post<Json>('/mfa/devices/virtual', { name: 'owner' }, root.token);
    const ownerSecret = str(ownerDevice, 'secret');
    const deviceId = (ownerDevice.body['device'] as { id: string }).id;
    expect(
      (
        await p.http.post<Json>(
          `/mfa/devices/${deviceId}/confirm`,
          { code: codeFor(ownerSecret, clock) },
          root.token,
        )
      ).status,
    ).toBe(200);
    expect((await p.http.put<Json>('/mfa/protection', { loginProtection: true }, root.token)).status).toBe(
      200,
    );
    clock.advance(30_000);

    const ownerChallenge = str(
      await p.http.post<Json>('/sessions', { email: root.email, password: root.password }),
      'challengeId',
    );
    const subChallenge = str(await as(sub), 'challengeId');
    const bySubCode = await p.http.post<Json>('/sessions/mfa', {
      challengeId: ownerChallenge,
      code: codeFor(subSecret, clock),
    });
    expect(bySubCode.status).toBe(401);
    expect(bySubCode.body.error.code).toBe('mfa_code_invalid');
    const byOwnerCode = await p.http.post<Json>('/sub-users/sessions/mfa', {
      challengeId: subChallenge,
      code: codeFor(ownerSecret, clock),
    });
    expect(byOwnerCode.status).toBe(401);
    expect(byOwnerCode.body.error.code).toBe('mfa_code_invalid');

    // Each completes with its own code.
    expect(
      (
        await p.http.post<Json>('/sessions/mfa', {
          challengeId: ownerChallenge,
          code: codeFor(ownerSecret, clock),
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await p.http.post<Json>('/sub-users/sessions/mfa', {
          challengeId: subChallenge,
          code: codeFor(subSecret, clock),
        })
      ).status,
    ).toBe(201);
  });

  it('MFA-2: ten wrong codes in a day lock the sub-user’s code checks for 24 hours (423 mfa_locked)', async () => {
    clock.set('2026-03-14T02:00:00.000Z');
    const sub = await newSubUser();
    const secret = await bindOwnDevice(sub);
    clock.advance(30_000);
    const wrongCode = () => String((Number(codeFor(secret, clock)) + 1) % 1_000_000).padStart(6, '0');
    const statuses: number[] = [];
    for (let round = 0; round < 2; round += 1) {
      const challengeId = str(await as(sub), 'challengeId');
      for (let i = 0; i < 5; i += 1) {
        const r = await p.http.post<Json>('/sub-users/sessions/mfa', { challengeId, code: wrongCode() });
        statuses.push(r.status);
      }
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 401, 423]);
    const challengeId = str(await as(sub), 'challengeId');
    const right = await p.http.post<Json>('/sub-users/sessions/mfa', {
      challengeId,
      code: codeFor(secret, clock),
    });
    expect(right.status).toBe(423);
    expect(right.body.error).toMatchObject({ code: 'mfa_locked', lockedUntil: expect.any(String) });
  });

  it('ACC-9: the root account, or a user with users:manage, resets a sub-user’s MFA; others cannot', async () => {
    clock.set('2026-03-13T02:00:00.000Z');
    const root = await signUpAndSignIn(p.http);
    const sub = await createSubUser(p.http, root, []);
    await bindOwnDevice(sub);
    clock.advance(30_000);
    expect((await as(sub)).status).toBe(202);

    // Refused: a sub-user without users:manage (itself included), and another account (404).
    const plain = await createSubUser(p.http, root, []);
    const stranger = await signUpAndSignIn(p.http);
    const byPlain = await call(p.http, plain, 'DELETE', `/sub-users/${sub.id}/mfa`);
    expect(byPlain.status).toBe(403);
    expect(byPlain.body.error).toMatchObject({ code: 'permission_missing', permission: 'users:manage' });
    expect((await call(p.http, sub, 'DELETE', `/sub-users/${sub.id}/mfa`)).status).toBe(403);
    expect((await call(p.http, stranger, 'DELETE', `/sub-users/${sub.id}/mfa`)).status).toBe(404);
    expect((await as(sub)).status).toBe(202);

    // The root resets it: the password alone signs in again, and a new device can be bound.
    expect((await call(p.http, root, 'DELETE', `/sub-users/${sub.id}/mfa`)).status).toBe(204);
    const plainSignIn = await as(sub);
    expect(plainSignIn.status).toBe(201);
    expect((await p.http.get<Json>('/sub-users/me/mfa', sub.token)).body).toEqual({
      loginProtection: false,
      device: null,
    });
    await bindOwnDevice(sub);
    clock.advance(30_000);
    expect((await as(sub)).status).toBe(202);

    // A delegate with users:manage may reset too.
    const manager = await createSubUser(p.http, root, ['users:manage']);
    expect((await call(p.http, manager, 'DELETE', `/sub-users/${sub.id}/mfa`)).status).toBe(204);
    expect((await as(sub)).status).toBe(201);

    // …but not the MFA of a sub-user holding permissions the delegate lacks (no take-over).
    const strong = await createSubUser(p.http, root, ['billing:write']);
    await bindOwnDevice(strong);
    clock.advance(30_000);
    const refused = await call(p.http, manager, 'DELETE', `/sub-users/${strong.id}/mfa`);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'grant_exceeds_own', permissions: ['billing:write'] });
    expect((await as(strong)).status).toBe(202);
  });

  it("ACC-13: a sub-user's sign-in attempts are its root's to read, per sub-user, apart from the owner's history", async () => {
    clock.set('2026-03-15T02:00:00.000Z');
    const root = await signUpAndSignIn(p.http);
    const sub = await createSubUser(p.http, root, []);
    const secret = await bindOwnDevice(sub);
    clock.advance(30_000);
    // One second between attempts, so newest-first is decided by the time of each.
    expect((await as(sub, 'Wrong-pass-1')).status).toBe(401);
    clock.advance(1000);
    const challengeId = str(await as(sub), 'challengeId');
    clock.advance(1000);
    const wrongCode = String((Number(codeFor(secret, clock)) + 1) % 1_000_000).padStart(6, '0');
    expect(
      (await p.http.post<Json>('/sub-users/sessions/mfa', { challengeId, code: wrongCode })).status,
    ).toBe(401);
    clock.advance(1000);
    expect(
      (await p.http.post<Json>('/sub-users/sessions/mfa', { challengeId, code: codeFor(secret, clock) }))
        .status,
    ).toBe(201);
    // An unknown username of the same root is not recorded anywhere.
    await signIn({ accountId: root.accountId, username: 'nobody-here', password: 'Wrong-pass-1' });

    const page = await call(p.http, root, 'GET', `/sub-users/${sub.id}/login-history?pageSize=100`);
    expect(page.status).toBe(200);
    const results = (page.body.items as Array<{ result: string; method: string }>).map((e) => e.result);
    // createSubUser signed it in once before the device was bound.
    expect(results).toEqual(['success', 'mfa_failed', 'mfa_required', 'wrong_password', 'success']);
    expect(page.body.total).toBe(5);

    // The owner's own history holds only the owner's sign-ins.
    const own = await p.http.get<Json>('/accounts/me/login-history?pageSize=100', root.token);
    expect((own.body['items'] as unknown[]).length).toBe(1);
    // Another account cannot read it.
    const stranger = await signUpAndSignIn(p.http);
    expect((await call(p.http, stranger, 'GET', `/sub-users/${sub.id}/login-history`)).status).toBe(404);
  });
});
