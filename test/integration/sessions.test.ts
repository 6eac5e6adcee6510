import { HOUR_MS } from '../../libs/domain/src/clock';
import { signUpAndSignIn } from '../support/factories';
import { ManualClock, startPlatform, type Platform } from '../support/platform';
import { items, str, type Json, type Res } from '../support/security';

interface SessionItem {
  id: string;
  current: boolean;
  ip: string | null;
  userAgent: string | null;
}
interface LoginItem {
  at: string;
  ip: string | null;
  userAgent: string | null;
  method: string;
  result: string;
}

describe('sessions, password change and login history over HTTP', () => {
  let p: Platform;
  const clock = new ManualClock('2026-04-01T02:00:00.000Z');
  beforeAll(async () => {
    p = await startPlatform({ clock });
  });
  afterAll(async () => {
    await p.close();
  });

  const signIn = async (email: string, password: string, userAgent = 'jest'): Promise<Res> =>
    p.http.request<Json>('POST', '/sessions', {
      body: { email, password },
      headers: { 'user-agent': userAgent },
    });

  it('ACC-14: every sign-in gets a fresh token; the owner lists sessions with the current one marked', async () => {
    const a = await signUpAndSignIn(p.http);
    const second = await signIn(a.email, a.password, 'phone-app/1.0');
    expect(second.status).toBe(201);
    expect(str(second, 'token')).not.toBe(a.token);
    expect(str(second, 'token')).toMatch(/^acs_/);

    const list = items<SessionItem>(await p.http.get<Json>('/sessions', a.token));
    expect(list).toHaveLength(2);
    expect(list.filter((s) => s.current)).toHaveLength(1);
    expect(list.find((s) => !s.current)).toMatchObject({
      userAgent: 'phone-app/1.0',
      ip: expect.any(String) as unknown,
    });
    // The token is never stored or shown again.
    expect(JSON.stringify(list)).not.toContain(str(second, 'token'));
  });

  it('ACC-14: the owner ends one session, or all the others', async () => {
    const a = await signUpAndSignIn(p.http);
    const b = str(await signIn(a.email, a.password), 'token');
    const c = str(await signIn(a.email, a.password), 'token');
    const list = items<SessionItem>(await p.http.get<Json>('/sessions', a.token));
    const other = list.find((s) => !s.current)!;
    expect((await p.http.delete(`/sessions/${other.id}`, a.token)).status).toBe(204);
    expect((await p.http.delete(`/sessions/${other.id}`, a.token)).status).toBe(404);
    const alive = [b, c].filter(Boolean);
    const statuses = await Promise.all(alive.map(async (t) => (await p.http.get('/accounts/me', t)).status));
    expect(statuses.sort()).toEqual([200, 401]);

    const ended = await p.http.delete<Json>('/sessions/others', a.token);
    expect(ended.status).toBe(200);
    expect(ended.body['revoked']).toBe(1);
    for (const t of [b, c]) expect((await p.http.get('/accounts/me', t)).status).toBe(401);
    expect((await p.http.get('/accounts/me', a.token)).status).toBe(200);
    expect(items(await p.http.get<Json>('/sessions', a.token))).toHaveLength(1);
  });

  it("ACC-14: another account's session cannot be ended (404) and stays alive", async () => {
    const a = await signUpAndSignIn(p.http);
    const b = await signUpAndSignIn(p.http);
    const bSession = items<SessionItem>(await p.http.get<Json>('/sessions', b.token))[0];
    const r = await p.http.delete<Json>(`/sessions/${bSession.id}`, a.token);
    expect(r.status).toBe(404);
    expect((await p.http.get('/accounts/me', b.token)).status).toBe(200);
  });

  it('ACC-14: sessions expire', async () => {
    const a = await signUpAndSignIn(p.http);
    clock.advance(12 * HOUR_MS + 1);
    expect((await p.http.get('/accounts/me', a.token)).status).toBe(401);
  });

  it('ACC-14: a password change needs the current password, takes effect at once and ends every other session', async () => {
    const a = await signUpAndSignIn(p.http);
    const other = str(await signIn(a.email, a.password), 'token');

    const wrong = await p.http.post<Json>(
      '/accounts/me/password',
      { currentPassword: 'Not-the-pass-1', newPassword: 'Brand-new-pass-2' },
      a.token,
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'current_password_wrong', field: 'currentPassword' });
    expect((await p.http.get('/accounts/me', other)).status).toBe(200);

    const weak = await p.http.post<Json>(
      '/accounts/me/password',
      { currentPassword: a.password, newPassword: 'short' },
      a.token,
    );
    expect(weak.status).toBe(400);
    expect(weak.body.error.field).toBe('newPassword');

    const changed = await p.http.post<Json>(
      '/accounts/me/password',
      { currentPassword: a.password, newPassword: 'Brand-new-pass-2' },
      a.token,
    );
    expect(changed.status).toBe(200);
    expect(changed.body['endedSessions']).toBe(1);
    expect((await p.http.get('/accounts/me', other)).status).toBe(401);
    expect((await p.http.get('/accounts/me', a.token)).status).toBe(200);
    expect((await signIn(a.email, a.password)).status).toBe(401);
    expect((await signIn(a.email, 'Brand-new-pass-2')).status).toBe(201);
  });

  it('ACC-13: login history lists time, IP, user agent, method and result, newest first, paged', async () => {
    const a = await signUpAndSignIn(p.http);
    clock.advance(1000);
    await signIn(a.email, 'Wrong-pass-1', 'attacker/0.1');
    clock.advance(1000);
    await signIn(a.email, a.password, 'browser/2.0');

    const page1 = await p.http.get<Json>('/accounts/me/login-history?page=1&pageSize=2', a.token);
    expect(page1.status).toBe(200);
    expect(page1.body).toMatchObject({ page: 1, pageSize: 2, total: 3 });
    const first = items<LoginItem>(page1);
    expect(first.map((e) => [e.result, e.userAgent])).toEqual([
      ['success', 'browser/2.0'],
      ['wrong_password', 'attacker/0.1'],
    ]);
    expect(first[0]).toMatchObject({
      method: 'password',
      ip: expect.any(String) as unknown,
      at: clock.now().toISOString(),
    });

    const page2 = items<LoginItem>(
      await p.http.get<Json>('/accounts/me/login-history?page=2&pageSize=2', a.token),
    );
    expect(page2.map((e) => e.result)).toEqual(['success']);

    const bad = await p.http.get<Json>('/accounts/me/login-history?pageSize=1000', a.token);
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('pageSize');

    // Another account's history is its own.
    const b = await signUpAndSignIn(p.http);
    const bHistory = await p.http.get<Json>('/accounts/me/login-history', b.token);
    expect(bHistory.body['total']).toBe(1);
  });
});

describe('client address behind a proxy', () => {
  const signInFrom = (p: Platform, email: string, password: string, forwardedFor: string) =>
    p.http.request<Json>('POST', '/sessions', {
      body: { email, password },
      headers: { 'x-forwarded-for': forwardedFor },
    });
  const lastIp = async (p: Platform, token: string) =>
    items<LoginItem>(await p.http.get<Json>('/accounts/me/login-history?page=1&pageSize=1', token))[0]?.ip;

  it('ACC-13: login history records the forwarded client only when API_TRUST_PROXY trusts the proxy', async () => {
    const trusting = await startPlatform({ env: { API_TRUST_PROXY: 'loopback' } });
    const plain = await startPlatform();
    try {
      const a = await signUpAndSignIn(trusting.http);
      expect((await signInFrom(trusting, a.email, a.password, '203.0.113.7')).status).toBe(201);
      expect(await lastIp(trusting, a.token)).toBe('203.0.113.7');

      // Without trust, a client cannot choose the address it is recorded under.
      const b = await signUpAndSignIn(plain.http);
      expect((await signInFrom(plain, b.email, b.password, '203.0.113.7')).status).toBe(201);
      expect(await lastIp(plain, b.token)).toMatch(/127\.0\.0\.1$/);
    } finally {
      await trusting.close();
      await plain.close();
    }
  }, 60_000);
});
