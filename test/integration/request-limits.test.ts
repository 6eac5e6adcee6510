/**
 * Issue 8 §4: per-client-address and global limits on sign-in, code sending and sign-up, with
 * Retry-After; and the scheduled purge of captcha, failure and rate-limit rows. Clients are told
 * apart by X-Forwarded-For, which the API believes here because API_TRUST_PROXY trusts loopback.
 */
import { PurgeService } from '../../apps/api/src/maintenance/purge.service';
import {
  RateLimitWindow,
  SandboxCaptchaChallenge,
  SignInFailureDay,
} from '../../libs/persistence/src/entities';
import { signUpAndSignIn, uniqueEmail } from '../support/factories';
import { ManualClock, startPlatform, type Platform } from '../support/platform';

jest.setTimeout(30_000);

describe('request limits and purge over HTTP', () => {
  let p: Platform;
  const clock = new ManualClock('2026-05-04T02:00:10.000Z');
  beforeAll(async () => {
    p = await startPlatform({
      clock,
      env: {
        API_TRUST_PROXY: 'loopback',
        SIGN_IN_RATE_LIMIT_PER_CLIENT: '3',
        SIGN_IN_RATE_LIMIT_GLOBAL: '5',
        CODE_SEND_RATE_LIMIT_PER_CLIENT: '2',
        CODE_SEND_RATE_LIMIT_GLOBAL: '3',
        SIGN_UP_RATE_LIMIT_PER_CLIENT: '2',
      },
    });
  }, 60_000);
  afterAll(async () => {
    await p.close();
  });

  const from = (ip: string, path: string, body: unknown) =>
    p.http.request('POST', path, { body, headers: { 'x-forwarded-for': ip } });
  const signIn = (ip: string) =>
    from(ip, '/sessions', { email: uniqueEmail('limit'), password: 'Wrong-pass-1' });

  it('sign-in: a client address past its limit gets 429 with Retry-After; others go on until the global limit', async () => {
    clock.set('2026-05-04T02:00:10.000Z');
    const first = [];
    for (let i = 0; i < 4; i += 1) first.push(await signIn('203.0.113.1'));
    expect(first.map((r) => r.status)).toEqual([401, 401, 401, 429]);
    const refused = first[3];
    expect(refused.body.error).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 50 });
    expect(refused.headers.get('retry-after')).toBe('50');
    expect(refused.body.error.correlationId).toEqual(expect.any(String));

    // Another address: its own limit is fresh, but everyone together may make only 5 a minute.
    const second = [];
    for (let i = 0; i < 3; i += 1) second.push(await signIn('203.0.113.2'));
    expect(second.map((r) => r.status)).toEqual([401, 401, 429]);

    // The next minute starts afresh.
    clock.set('2026-05-04T02:01:00.000Z');
    expect((await signIn('203.0.113.1')).status).toBe(401);
  });

  it('code sending and sign-up are limited per client address and globally', async () => {
    clock.set('2026-05-04T03:00:00.000Z');
    const codes = [];
    for (let i = 0; i < 3; i += 1) {
      codes.push(await from('198.51.100.7', '/sign-up/email/codes', { email: uniqueEmail('codes') }));
    }
    expect(codes.map((r) => r.status)).toEqual([202, 202, 429]);
    // Global: 3 a minute in all, so the next address gets one.
    const other = [];
    for (let i = 0; i < 2; i += 1) {
      other.push(await from('198.51.100.8', '/sign-up/email/codes', { email: uniqueEmail('codes') }));
    }
    expect(other.map((r) => r.status)).toEqual([202, 429]);

    const signUps = [];
    for (let i = 0; i < 3; i += 1) {
      signUps.push(
        await from('198.51.100.9', '/accounts', {
          email: uniqueEmail('su'),
          code: '000000',
          password: 'Passw0rd-123',
        }),
      );
    }
    expect(signUps.map((r) => r.status)).toEqual([400, 400, 429]);
  });

  it('counts before it checks: parallel requests from one address never get past the limit', async () => {
    clock.set('2026-05-04T04:00:00.000Z');
    const answers = await Promise.all(Array.from({ length: 12 }, () => signIn('192.0.2.50')));
    expect(answers.filter((r) => r.status === 401)).toHaveLength(3);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(9);
  });

  it('the purge deletes old captchas, failure counts and rate-limit windows, and keeps what still counts', async () => {
    clock.set('2026-05-10T02:00:00.000Z');
    const a = await signUpAndSignIn(p.http);
    for (let i = 0; i < 3; i += 1) {
      await p.http.request('POST', '/sessions', {
        body: { email: a.email, password: 'Wrong-pass-1' },
        headers: { 'x-forwarded-for': `192.0.2.${100 + i}` },
      });
    }
    await p.http.post('/captcha/challenges');
    const em = () => p.orm.em.fork();
    expect(await em().count(SignInFailureDay, { subject: `account:${a.accountId}` })).toBe(1);

    // The same day: nothing of it goes.
    const purge = p.app.get(PurgeService);
    await purge.purge();
    expect(await em().count(SignInFailureDay, { subject: `account:${a.accountId}` })).toBe(1);

    clock.advance(3 * 24 * 60 * 60_000);
    const purged = await purge.purge();
    expect(purged.failureDays).toBeGreaterThan(0);
    expect(purged.captchas).toBeGreaterThan(0);
    expect(purged.rateLimitWindows).toBeGreaterThan(0);
    expect(await em().count(SignInFailureDay, { subject: `account:${a.accountId}` })).toBe(0);
    expect(await em().count(SandboxCaptchaChallenge, { expiresAt: { $lt: clock.now() } })).toBe(0);
    expect(
      await em().count(RateLimitWindow, {
        windowStart: { $lt: new Date(clock.now().getTime() - 86_400_000) },
      }),
    ).toBe(0);
  });
});
