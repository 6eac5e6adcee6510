import { ConfigError, parseConfig } from './config';

describe('configuration', () => {
  it('works with no variables at all: the embedded local defaults', () => {
    const c = parseConfig({});
    expect(c.database).toEqual({
      url: 'postgres://account_center:account_center@127.0.0.1:5433/account_center',
      debug: false,
    });
    expect(c.api).toMatchObject({ port: 3000, publicUrl: 'http://127.0.0.1:3000' });
    expect(c.temporal).toMatchObject({ address: '127.0.0.1:7233', namespace: 'default' });
  });

  it('names every bad variable in one error', () => {
    let err: unknown;
    try {
      parseConfig({ API_PORT: 'seventy', DATABASE_URL: 'mysql://u:p@db/ac', BANK_WEBHOOK_SECRET: 'short' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as ConfigError).message;
    expect(message).toContain('API_PORT');
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('BANK_WEBHOOK_SECRET');
  });

  it('takes an external PostgreSQL from DATABASE_URL and refuses any other engine', () => {
    expect(parseConfig({ DATABASE_URL: 'postgres://u:p@db:5432/ac' }).database.url).toBe(
      'postgres://u:p@db:5432/ac',
    );
    expect(parseConfig({ DATABASE_URL: 'postgresql://u:p@db:5432/ac' }).database.url).toBe(
      'postgresql://u:p@db:5432/ac',
    );
    expect(() => parseConfig({ DATABASE_URL: 'sqlite:///tmp/x.db' })).toThrow(
      /DATABASE_URL: must be a postgres:\/\/ URL/,
    );
  });

  it('parses holidays and refuses malformed ones', () => {
    expect(parseConfig({ HOLIDAYS: '2026-10-01, 2026-10-02' }).calendar.holidays).toEqual([
      '2026-10-01',
      '2026-10-02',
    ]);
    expect(() => parseConfig({ HOLIDAYS: '2026/10/01' })).toThrow(/HOLIDAYS/);
  });

  it('refuses a sandbox bank delay range that is upside down', () => {
    expect(() =>
      parseConfig({ BANK_SANDBOX_MIN_BUSINESS_DAYS: '3', BANK_SANDBOX_MAX_BUSINESS_DAYS: '1' }),
    ).toThrow(/BANK_SANDBOX_MIN_BUSINESS_DAYS/);
  });

  it('trusts no proxy by default; takes a hop count or named and addressed proxies, never junk', () => {
    expect(parseConfig({}).api.trustProxy).toBe(false);
    expect(parseConfig({ API_TRUST_PROXY: '1' }).api.trustProxy).toBe(1);
    expect(parseConfig({ API_TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8' }).api.trustProxy).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
    ]);
    expect(() => parseConfig({ API_TRUST_PROXY: 'true' })).toThrow(/API_TRUST_PROXY/);
    expect(() => parseConfig({ API_TRUST_PROXY: 'loopback,proxy.example' })).toThrow(/proxy\.example/);
  });

  it('treats empty variables as unset', () => {
    expect(parseConfig({ API_PORT: '' }).api.port).toBe(3000);
  });
});

describe('payload key ring (issue 12)', () => {
  it('reads id=key pairs, the first one current', () => {
    const ring = parseConfig({
      TEMPORAL_PAYLOAD_KEYS: `new=${'ab'.repeat(32)}, old=${Buffer.alloc(32, 7).toString('base64')}`,
    }).temporal.payloadKeys;
    expect(ring.currentKeyId).toBe('new');
    expect([...ring.keys.keys()]).toEqual(['new', 'old']);
    expect(ring.keys.get('old')).toEqual(Buffer.alloc(32, 7));
  });

  it('has a local key by default', () => {
    expect(parseConfig({}).temporal.payloadKeys.currentKeyId).toBe('local-1');
  });

  it.each([
    ['a key that is not 32 bytes', `k1=${'ab'.repeat(16)}`],
    ['a pair without an id', `=${'ab'.repeat(32)}`],
    ['a repeated id', `k1=${'ab'.repeat(32)},k1=${'cd'.repeat(32)}`],
    ['an id with a space', `k 1=${'ab'.repeat(32)}`],
  ])('refuses %s, naming TEMPORAL_PAYLOAD_KEYS', (_what, value) => {
    expect(() => parseConfig({ TEMPORAL_PAYLOAD_KEYS: value })).toThrow(/TEMPORAL_PAYLOAD_KEYS/);
  });

  it('reads the codec server CORS origins', () => {
    expect(parseConfig({}).temporal.codecCorsOrigins).toEqual([
      'http://127.0.0.1:8233',
      'http://localhost:8233',
    ]);
    expect(
      parseConfig({ TEMPORAL_CODEC_CORS_ORIGINS: 'https://ui.example/' }).temporal.codecCorsOrigins,
    ).toEqual(['https://ui.example']);
    expect(() => parseConfig({ TEMPORAL_CODEC_CORS_ORIGINS: 'not a url' })).toThrow(
      /TEMPORAL_CODEC_CORS_ORIGINS/,
    );
  });
});

describe('production mode fails closed', () => {
  const secrets = {
    MFA_ENCRYPTION_KEY: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    DATA_ENCRYPTION_KEY: 'fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210',
    VERIFICATION_CODE_SECRET: 'a-production-verification-secret',
    IDENTITY_SANDBOX_SECRET: 'a-production-identity-secret',
    BANK_WEBHOOK_SECRET: 'a-production-webhook-secret',
    FACE_WEBHOOK_SECRET: 'a-production-face-webhook-secret',
    TEMPORAL_PAYLOAD_KEYS: 'prod-2026=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff',
    DATABASE_URL: 'postgres://app:secret@db:5432/ac',
    DOCUMENT_STORE_DIR: '/var/lib/account-center/documents',
  };
  const message = (env: Record<string, string>): string => {
    try {
      parseConfig(env);
    } catch (err) {
      return (err as ConfigError).message;
    }
    return '';
  };

  it('keeps sandbox routes off unless asked for, in every mode', () => {
    expect(parseConfig({}).sandboxRoutes).toBe(false);
    expect(parseConfig({ SANDBOX_ROUTES: 'true' }).sandboxRoutes).toBe(true);
    expect(parseConfig({}).mode).toBe('local');
  });

  it('starts with every secret of its own, in APP_MODE=production and with NODE_ENV=production', () => {
    expect(parseConfig({ ...secrets, APP_MODE: 'production' }).mode).toBe('production');
    expect(parseConfig({ ...secrets, NODE_ENV: 'production' }).mode).toBe('production');
    // NODE_ENV=production cannot be talked out of production mode.
    expect(parseConfig({ ...secrets, NODE_ENV: 'production', APP_MODE: 'local' }).mode).toBe('production');
  });

  it.each(Object.keys(secrets))('names %s when it is missing', (name) => {
    const env: Record<string, string> = { ...secrets, NODE_ENV: 'production' };
    delete env[name];
    expect(message(env)).toContain(`${name}: missing`);
  });

  it.each([
    ['MFA_ENCRYPTION_KEY', 'bG9jYWwtZGV2LW1mYS1lbmNyeXB0aW9uLWtleS0zMmI='],
    ['DATA_ENCRYPTION_KEY', 'bG9jYWwtZGV2LWRhdGEtZW5jcnlwdGlvbi1rZXktMzI='],
    ['VERIFICATION_CODE_SECRET', 'local-dev-verification-code-secret'],
    ['IDENTITY_SANDBOX_SECRET', 'local-dev-identity-sandbox-secret'],
    ['BANK_WEBHOOK_SECRET', 'local-dev-bank-webhook-secret'],
    ['FACE_WEBHOOK_SECRET', 'local-dev-face-webhook-secret'],
  ])('refuses the development value of %s even when set by hand', (name, value) => {
    expect(message({ ...secrets, APP_MODE: 'production', [name]: value })).toContain(
      `${name}: is a development value`,
    );
  });

  it('refuses the development payload key in the key ring, even next to keys of its own', () => {
    const ring = `${secrets.TEMPORAL_PAYLOAD_KEYS},local-1=bG9jYWwtZGV2LXRlbXBvcmFsLXBheWxvYWQta2V5LTE=`;
    expect(message({ ...secrets, APP_MODE: 'production', TEMPORAL_PAYLOAD_KEYS: ring })).toContain(
      'TEMPORAL_PAYLOAD_KEYS: holds the development key',
    );
  });

  it('keeps documents in an absolute folder of its own', () => {
    expect(parseConfig({}).documents).toEqual({ adapter: 'filesystem', dir: '.data/documents' });
    expect(message({ ...secrets, APP_MODE: 'production', DOCUMENT_STORE_DIR: 'docs' })).toContain(
      'DOCUMENT_STORE_DIR: must be an absolute path in production mode',
    );
  });

  it('issue 12: logs pretty lines locally and JSON in production, where pretty is refused', () => {
    expect(parseConfig({}).logFormat).toBe('pretty');
    expect(parseConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(parseConfig({ ...secrets, APP_MODE: 'production' }).logFormat).toBe('json');
    expect(message({ ...secrets, APP_MODE: 'production', LOG_FORMAT: 'pretty' })).toContain(
      'LOG_FORMAT: pretty is for local development',
    );
  });

  it('issue 12: the worker metrics address is host:port, the grace period bounded seconds', () => {
    expect(parseConfig({}).worker).toEqual({ shutdownGraceSeconds: 30, maxCachedWorkflows: 100 });
    expect(parseConfig({ WORKER_METRICS_ADDRESS: '0.0.0.0:9464' }).worker.metricsAddress).toBe(
      '0.0.0.0:9464',
    );
    // Issue 13: the workflow cache is bounded (an uncapped one ran the workflow thread out of heap).
    expect(parseConfig({ WORKER_MAX_CACHED_WORKFLOWS: '250' }).worker.maxCachedWorkflows).toBe(250);
    expect(message({ WORKER_MAX_CACHED_WORKFLOWS: '1' })).toContain('WORKER_MAX_CACHED_WORKFLOWS');
    expect(message({ WORKER_METRICS_ADDRESS: '9464' })).toContain(
      'WORKER_METRICS_ADDRESS: expected host:port',
    );
    expect(message({ WORKER_SHUTDOWN_GRACE_SECONDS: '-1' })).toContain('WORKER_SHUTDOWN_GRACE_SECONDS');
  });

  it.each(['SANDBOX_ROUTES', 'SANDBOX_ADMIN_API'])('refuses %s=true', (name) => {
    const env = {
      ...secrets,
      APP_MODE: 'production',
      [name]: 'true',
      SANDBOX_ADMIN_TOKEN: 'a-production-admin-token-0123456789',
    };
    expect(message(env)).toContain(`${name}: must be off in production mode`);
  });

  it('names every refused variable at once', () => {
    const text = message({ NODE_ENV: 'production', SANDBOX_ROUTES: 'true' });
    for (const name of [...Object.keys(secrets), 'SANDBOX_ROUTES']) expect(text).toContain(name);
  });

  it('issue 9: REVIEW_SLA_BUSINESS_DAYS sets the SLA per kind and names a bad pair', () => {
    expect(parseConfig({}).reviewSlaBusinessDays).toEqual({});
    expect(
      parseConfig({ REVIEW_SLA_BUSINESS_DAYS: 'payout-appeal=3, sign-in-appeal=1' }).reviewSlaBusinessDays,
    ).toEqual({
      'payout-appeal': 3,
      'sign-in-appeal': 1,
    });
    expect(() => parseConfig({ REVIEW_SLA_BUSINESS_DAYS: 'no-such-kind=2' })).toThrow(
      /REVIEW_SLA_BUSINESS_DAYS/,
    );
  });
});
