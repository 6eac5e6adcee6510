/**
 * Sub-user sign-in security (issue 4: sub-users sign in with the root account ID, a username and a
 * password, with their own MFA): CON-2 protection counted per sub-user, and the sub-user's own
 * virtual MFA device (MFA-1, MFA-2, MFA-4), which its root account can reset (ACC-9).
 */
import { HOUR_MS, MINUTE_MS } from '../../libs/domain/src/clock';
import { DRIVERS } from '../support/databases';
import { signUpAndSignIn } from '../support/factories';
import { createSubUser, ORG_ENV, type TestSubUser } from '../support/org-fixtures';
import { ManualClock, startPlatform, type Platform } from '../support/platform';
import { freshCaptcha as fresh, solveCaptcha, str, type Json, type Res } from '../support/security';

// Starting a platform (migrations on both drivers, sign-ups with email codes) takes seconds on a shared machine.
jest.setTimeout(60_000);

describe.each(DRIVERS)('sub-user sign-in security over HTTP (%s)', (driver) => {
  let p: Platform;
  const clock = new ManualClock('2026-03-02T02:00:00.000Z'); // 10:00 in Shanghai
  beforeAll(async () => {
    p = await startPlatform({ driver, clock, env: ORG_ENV });
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
    const unknown = { accountId: sub.accountId, username: `nobody.${driver}`, password: 'Wrong-pass-1' };
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
});
