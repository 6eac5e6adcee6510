import { HOUR_MS, MINUTE_MS } from '../../libs/domain/src/clock';
import { PasswordHasher } from '../../apps/api/src/auth/password-hasher';
import { signUpAndSignIn, uniqueEmail } from '../support/factories';
import { ManualClock, startPlatform, type Platform } from '../support/platform';
import { freshCaptcha as fresh, items, solveCaptcha, str, type Json, type Res } from '../support/security';

describe('sign-in protection over HTTP', () => {
  let p: Platform;
  const clock = new ManualClock('2026-03-02T02:00:00.000Z'); // 10:00 in Shanghai
  beforeAll(async () => {
    p = await startPlatform({ clock });
  });
  afterAll(async () => {
    await p.close();
  });

  const post = (body: Record<string, unknown>): Promise<Res> => p.http.post<Json>('/sessions', body);
  const wrong = (email: string, extra: Record<string, unknown> = {}) =>
    post({ email, password: 'Wrong-pass-1', ...extra });
  const solve = (challengeId: string) => solveCaptcha(p.http, challengeId);
  const freshCaptcha = () => fresh(p.http);
  const history = async (token: string) =>
    items<{ result: string; method: string }>(
      await p.http.get<Json>('/accounts/me/login-history?pageSize=100', token),
    );

  it('CON-2: three wrong passwords are allowed; the 4th attempt needs a captcha, even with the right password', async () => {
    const a = await signUpAndSignIn(p.http);
    for (let i = 1; i <= 3; i += 1) {
      const r = await wrong(a.email);
      expect(r.status).toBe(401);
      expect(r.body.error).toMatchObject({ code: 'invalid_credentials', captchaRequired: i >= 3 });
    }
    const gated = await post({ email: a.email, password: a.password });
    expect(gated.status).toBe(401);
    expect(gated.body.error).toMatchObject({ code: 'captcha_required', rule: 'CON-2' });
    expect(gated.body.error.captcha?.challengeId).toEqual(expect.any(String));

    const captcha = await solve(gated.body.error.captcha!.challengeId);
    const ok = await post({ email: a.email, password: a.password, captcha });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ kind: 'session', accountId: a.accountId });
  });

  it('CON-2: a captcha is single use, expires, and a wrong answer is refused without checking the password', async () => {
    const a = await signUpAndSignIn(p.http);
    for (let i = 0; i < 3; i += 1) await wrong(a.email);
    const captcha = await freshCaptcha();
    const first = await wrong(a.email, { captcha });
    expect(first.body.error.code).toBe('invalid_credentials');
    const reused = await post({ email: a.email, password: a.password, captcha });
    expect(reused.status).toBe(401);
    expect(reused.body.error.code).toBe('captcha_invalid');

    const bad = await post({
      email: a.email,
      password: a.password,
      captcha: { challengeId: (await freshCaptcha()).challengeId, answer: 'WRONG' },
    });
    expect(bad.body.error.code).toBe('captcha_invalid');

    const late = await freshCaptcha();
    clock.advance(6 * MINUTE_MS);
    const expired = await post({ email: a.email, password: a.password, captcha: late });
    expect(expired.body.error.code).toBe('captcha_invalid');
    expect((await p.http.get(`/sandbox/captcha/${late.challengeId}`)).status).toBe(404);
  });

  it('CON-2: the 10th failure locks for 24 hours from the first failure; a locked answer never reveals the password', async () => {
    clock.set('2026-03-03T01:00:00.000Z'); // 09:00 Shanghai
    const a = await signUpAndSignIn(p.http);
    const firstFailureAt = clock.now();
    const answers: Res[] = [];
    for (let i = 1; i <= 10; i += 1) {
      const captcha = i > 3 ? await freshCaptcha() : undefined;
      answers.push(await wrong(a.email, captcha ? { captcha } : {}));
      clock.advance(10 * MINUTE_MS);
    }
    const until = new Date(firstFailureAt.getTime() + 24 * HOUR_MS).toISOString();
    expect(answers.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 401, 423]);
    expect(answers[9].body.error).toMatchObject({
      code: 'account_locked',
      rule: 'CON-2',
      lockedUntil: until,
    });

    const withRight = await post({
      email: a.email,
      password: a.password,
      captcha: await freshCaptcha(),
    });
    const withWrong = await wrong(a.email, { captcha: await freshCaptcha() });
    expect(withRight.status).toBe(423);
    expect(withWrong.status).toBe(423);
    const strip = (b: Json) => ({ ...b.error, correlationId: undefined });
    expect(strip(withRight.body)).toEqual(strip(withWrong.body));
    expect(withRight.body.error.message).toContain(until);

    // Still locked one minute before the end (the next Shanghai day), free from then on.
    clock.set(new Date(Date.parse(until) - MINUTE_MS));
    expect((await post({ email: a.email, password: a.password })).status).toBe(423);
    clock.set(until);
    const back = await post({ email: a.email, password: a.password });
    expect(back.status).toBe(201);
    const results = (await history(str(back, 'token'))).map((e) => e.result);
    expect(results).toContain('locked');
    expect(results.filter((r) => r === 'wrong_password')).toHaveLength(10);
  });

  it('CON-2: counting starts again on the next Asia/Shanghai calendar day', async () => {
    clock.set('2026-03-05T15:50:00.000Z'); // 23:50 Shanghai
    const a = await signUpAndSignIn(p.http);
    for (let i = 0; i < 3; i += 1) await wrong(a.email);
    expect((await post({ email: a.email, password: a.password })).body.error.code).toBe('captcha_required');
    clock.set('2026-03-05T16:05:00.000Z'); // 00:05 Shanghai, the next day
    expect((await post({ email: a.email, password: a.password })).status).toBe(201);
  });

  it('CON-2: an unknown account gets the same answers as a known one, captcha and lock included', async () => {
    clock.set('2026-03-07T02:00:00.000Z');
    const a = await signUpAndSignIn(p.http);
    const ghost = uniqueEmail('ghost');
    const shape = (r: Res) => ({
      status: r.status,
      code: r.body.error.code,
      message: r.body.error.message,
      captchaRequired: r.body.error.captchaRequired,
      hasCaptcha: Boolean(r.body.error.captcha),
    });
    const knownAnswers = [];
    const unknownAnswers = [];
    for (let i = 1; i <= 10; i += 1) {
      knownAnswers.push(shape(await wrong(a.email, i > 3 ? { captcha: await freshCaptcha() } : {})));
      unknownAnswers.push(shape(await wrong(ghost, i > 3 ? { captcha: await freshCaptcha() } : {})));
    }
    // The lock message names the lock's end, which differs by the first failure's millisecond.
    const noMessage = (x: ReturnType<typeof shape>) => ({ ...x, message: x.status === 423 ? '' : x.message });
    expect(unknownAnswers.map(noMessage)).toEqual(knownAnswers.map(noMessage));
    expect(knownAnswers.map((x) => x.status)).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 401, 423]);
    expect(shape(await wrong(a.email))).toEqual(shape(await wrong(ghost)));
  });

  /** Counts the password checks the API runs from now on. */
  function countPasswordChecks(): { readonly n: number; restore(): void } {
    const hasher = p.app.get(PasswordHasher);
    const original = hasher.verify.bind(hasher);
    let n = 0;
    hasher.verify = async (...args: Parameters<PasswordHasher['verify']>) => {
      n += 1;
      return original(...args);
    };
    return {
      get n() {
        return n;
      },
      restore: () => {
        hasher.verify = original;
      },
    };
  }

  it('CON-2: 40 parallel wrong passwords run at most the allowed number of password checks', async () => {
    clock.set('2026-03-09T02:00:00.000Z');
    const a = await signUpAndSignIn(p.http);
    const checks = countPasswordChecks();
    try {
      // Without captchas: only the 3 free attempts of the day reach the password.
      const bare = await Promise.all(Array.from({ length: 40 }, () => wrong(a.email)));
      expect(checks.n).toBeLessThanOrEqual(3);
      const codes = bare.map((r) => r.body.error.code);
      expect(codes.filter((c) => c === 'invalid_credentials').length).toBe(checks.n);
      expect(codes.filter((c) => c === 'captcha_required').length).toBe(40 - checks.n);

      // With a valid captcha each: never more than the 10 attempts a day allows, then locked.
      const captchas = await Promise.all(Array.from({ length: 40 }, () => freshCaptcha()));
      const before = checks.n;
      const solved = await Promise.all(captchas.map((captcha) => wrong(a.email, { captcha })));
      expect(checks.n).toBeLessThanOrEqual(10);
      expect(checks.n - before).toBeGreaterThan(0);
      expect(solved.filter((r) => r.status === 423).length).toBeGreaterThan(0);
      // The account is locked now, whatever the password.
      const locked = await post({ email: a.email, password: a.password, captcha: await freshCaptcha() });
      expect(locked.status).toBe(423);
      expect(checks.n).toBeLessThanOrEqual(10);
    } finally {
      checks.restore();
    }
  });
});
