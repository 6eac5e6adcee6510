import { request, type IncomingHttpHeaders } from 'node:http';
import { gzipSync } from 'node:zlib';
import { signUpAndSignIn, type TestAccount } from '../support/factories';
import { startPlatform, type Platform } from '../support/platform';

/**
 * Issue 8, section 5: every bad input is a 4xx that names what is wrong, with the correlation ID,
 * whatever the route (the body parser runs before any of them, even GET /health).
 */
describe('input rules', () => {
  let p: Platform;
  let owner: TestAccount;
  beforeAll(async () => {
    p = await startPlatform();
    owner = await signUpAndSignIn(p.http);
  }, 60_000);
  afterAll(async () => {
    await p.close();
  });

  interface RawResponse {
    status: number;
    headers: IncomingHttpHeaders;
    body: { error: { code: string; correlationId: string } };
  }
  /** node:http, not fetch: fetch will not send a body with GET (the parser reads it all the same). */
  const raw = (method: string, path: string, body: string | Buffer, headers: Record<string, string>) =>
    new Promise<RawResponse>((resolve, reject) => {
      const req = request(
        `${p.url}${path}`,
        {
          method,
          headers: {
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
            ...headers,
          },
        },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: JSON.parse(text) as RawResponse['body'],
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  const expectError = async (pending: Promise<RawResponse>, status: number, code: string) => {
    const res = await pending;
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    // The same correlation ID in the header and the body, though the route never ran.
    expect(res.body.error.correlationId).toMatch(/^[0-9A-Z]{26}$/);
    expect(res.headers['x-correlation-id']).toBe(res.body.error.correlationId);
  };

  describe('body-parser failures are 4xx with a correlation ID, on every route', () => {
    it('413 for a body over the limit', async () => {
      const big = JSON.stringify({ filler: 'x'.repeat(300 * 1024) });
      await expectError(raw('POST', '/sessions', big, {}), 413, 'payload_too_large');
      await expectError(raw('GET', '/health', big, {}), 413, 'payload_too_large');
    });

    it('415 for a charset or a content encoding the parser does not take', async () => {
      const body = JSON.stringify({ email: 'a@example.com', password: 'x' });
      await expectError(
        raw('POST', '/sessions', body, { 'content-type': 'application/json; charset=latin-9' }),
        415,
        'unsupported_media_type',
      );
      await expectError(
        raw('GET', '/health', body, { 'content-encoding': 'compress' }),
        415,
        'unsupported_media_type',
      );
    });

    it('400 for a body that does not decompress or parse; a gzip body that does is read', async () => {
      await expectError(
        raw('POST', '/sessions', 'not gzip at all', { 'content-encoding': 'gzip' }),
        400,
        'malformed_body',
      );
      await expectError(raw('POST', '/sessions', '{"email":', {}), 400, 'bad_request');
      const zipped = gzipSync(JSON.stringify({ email: owner.email, password: owner.password }));
      expect((await raw('POST', '/sessions', zipped, { 'content-encoding': 'gzip' })).status).toBe(201);
    });
  });

  describe('control characters, NFC and derived keys', () => {
    it('a NUL or another control character is a 400 naming the field, on public routes too', async () => {
      for (const ch of ['\u0000', '\u0007', '\u001b', '\u007f', '\u0085']) {
        const r = await p.http.post('/sessions', { email: `a${ch}@example.com`, password: 'Passw0rd-1' });
        expect(r.status).toBe(400);
        expect(r.body.error.field).toBe('email');
      }
      const nested = await p.http.post('/sessions', {
        email: 'a@example.com',
        password: 'x',
        captcha: { challengeId: '01J00000000000000000000000', answer: 'a\u0000' },
      });
      expect(nested.status).toBe(400);
      expect(nested.body.error.field).toBe('captcha.answer');
      const query = await p.http.get('/accounts/me/login-history?page=1%00', owner.token);
      expect(query.status).toBe(400);
      expect(query.body.error.field).toBe('page');
    });

    it('text is stored in NFC', async () => {
      const decomposed = 'Cafe\u0301 project';
      const r = await p.http.post('/projects', { name: decomposed }, owner.token);
      expect(r.status).toBe(201);
      expect(r.body.name).toBe('Caf\u00e9 project');
      // The same name composed is the same project name.
      const again = await p.http.post('/projects', { name: 'Caf\u00e9 project' }, owner.token);
      expect(again.status).toBe(409);
    });

    it('a key derived from text is length-checked after derivation (a 400, not a 500)', async () => {
      // 64 characters, but 128 once lower-cased: `İ` becomes `i` and a combining dot.
      const r = await p.http.post('/projects', { name: '\u0130'.repeat(64) }, owner.token);
      expect(r.status).toBe(400);
      expect(r.body.error.field).toBe('name');
    });
  });

  describe('unknown fields', () => {
    it('a typo is refused by name instead of being ignored', async () => {
      const signUp = await p.http.post('/accounts', {
        email: 'typo@example.com',
        code: '123456',
        password: 'Passw0rd-123',
        acountType: 'enterprise',
      });
      expect(signUp.status).toBe(400);
      expect(signUp.body.error.field).toBe('acountType');
      const signIn = await p.http.post('/sessions', {
        email: owner.email,
        password: owner.password,
        sitee: 'intl',
      });
      expect(signIn.status).toBe(400);
      expect(signIn.body.error.field).toBe('sitee');
      expect(signIn.body.error.message).toContain('sitee');
    });

    it('nested objects are strict too', async () => {
      const r = await p.http.post('/sessions', {
        email: owner.email,
        password: owner.password,
        captcha: { challengeId: '01J00000000000000000000000', answer: 'x', extra: 1 },
      });
      expect(r.status).toBe(400);
      expect(r.body.error.field).toBe('captcha.extra');
    });
  });

  describe('methods and IDs', () => {
    it('a method the path does not have is a 405 with Allow; an unknown path stays a 404', async () => {
      const health = await p.http.delete('/health');
      expect(health.status).toBe(405);
      expect(health.headers.get('allow')).toBe('GET, HEAD');
      expect(health.body.error.code).toBe('method_not_allowed');
      // A concrete path is not the templated one beside it (DELETE /sessions/{sessionId}).
      const mfa = await p.http.delete('/sessions/mfa', owner.token);
      expect(mfa.status).toBe(405);
      expect(mfa.headers.get('allow')).toBe('POST');
      expect((await p.http.get('/nope')).status).toBe(404);
    });

    it('a path ID that cannot be an ID is a 400 naming it', async () => {
      const r = await p.http.get('/projects/not-an-id', owner.token);
      expect(r.status).toBe(400);
      expect(r.body.error.field).toBe('id');
      expect((await p.http.get('/projects/01J00000000000000000000000', owner.token)).status).toBe(404);
    });

    it('an X-Account-Id that is no safe account ID is a 400 naming the header', async () => {
      const r = await p.http.request('GET', '/projects', {
        token: owner.token,
        headers: { 'x-account-id': '99999999999999999999' },
      });
      expect(r.status).toBe(400);
      expect(r.body.error.field).toBe('X-Account-Id');
    });
  });
});
