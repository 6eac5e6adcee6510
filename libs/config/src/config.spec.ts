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
