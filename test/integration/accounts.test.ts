import { signUpAndSignIn, uniqueEmail } from '../support/factories';
import { startPlatform, type Platform } from '../support/platform';

describe('accounts over HTTP', () => {
  let p: Platform;
  beforeAll(async () => {
    p = await startPlatform();
  });
  afterAll(async () => {
    await p.close();
  });

  it('ACC-1/ACC-4: sign-up gives a numeric account ID and the account is usable at once', async () => {
    const a = await signUpAndSignIn(p.http);
    expect(String(a.accountId)).toMatch(/^\d{16}$/);
    const me = await p.http.get('/accounts/me', a.token);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ accountId: a.accountId, email: a.email, realNameStatus: 'unverified' });
  });

  it('refuses a bad sign-up with a 400 naming the field, and writes nothing', async () => {
    const email = uniqueEmail();
    const res = await p.http.post('/accounts', { email, code: '000000', password: 'short' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', field: 'password' });
    expect(res.body.error.correlationId).toEqual(expect.any(String));
    const signIn = await p.http.post('/sessions', { email, password: 'short' });
    expect(signIn.status).toBe(401);
  });

  it('ACC-6: refuses a second account with the same email, without telling that it is taken', async () => {
    const a = await signUpAndSignIn(p.http);
    const res = await p.http.post('/accounts', {
      email: a.email.toUpperCase(),
      code: '000000',
      password: 'Another-pass1',
    });
    // The address never received a code (taken addresses get a notice instead): a wrong code.
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('code');
    const signIn = await p.http.post('/sessions', { email: a.email, password: 'Another-pass1' });
    expect(signIn.status).toBe(401);
  });

  it('answers an unknown account and a wrong password the same way', async () => {
    const a = await signUpAndSignIn(p.http);
    const wrong = await p.http.post('/sessions', { email: a.email, password: 'Wrong-pass-1' });
    const unknown = await p.http.post('/sessions', { email: uniqueEmail(), password: 'Wrong-pass-1' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.code).toBe(unknown.body.error.code);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });

  it('needs a valid session: none, garbage and signed-out tokens get 401', async () => {
    const a = await signUpAndSignIn(p.http);
    expect((await p.http.get('/accounts/me')).status).toBe(401);
    expect((await p.http.get('/accounts/me', 'acs_garbage')).status).toBe(401);
    expect((await p.http.delete('/sessions/current', a.token)).status).toBe(204);
    expect((await p.http.get('/accounts/me', a.token)).status).toBe(401);
  });

  it('answers malformed JSON with a 400 and an unknown route with a 404, both with correlation IDs', async () => {
    const bad = await p.http.request('POST', '/accounts', { rawBody: '{"email":' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.correlationId).toEqual(expect.any(String));
    const missing = await p.http.get('/nope');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-correlation-id')).toBe(missing.body.error.correlationId);
  });
});
