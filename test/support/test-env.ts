import { readEnvironment } from '../../libs/config/src/config';

/** A PostgreSQL server where tests may create databases; set by the run's global setup. */
export const POSTGRES_ADMIN_URL_ENV = 'TEST_POSTGRES_ADMIN_URL';
/** The migrated template database that test databases are copied from; set by the global setup. */
export const TEMPLATE_DB_ENV = 'ACCOUNT_CENTER_TEST_TEMPLATE_DB';

/** Test-only settings, read through libs/config like everything else. */
export function testEnv(): { postgresAdminUrl: string; templateDatabase: string | undefined } {
  const env = readEnvironment();
  const postgresAdminUrl = env[POSTGRES_ADMIN_URL_ENV];
  if (!postgresAdminUrl) {
    throw new Error(
      `${POSTGRES_ADMIN_URL_ENV} is not set: tests start through jest, whose global setup starts PostgreSQL`,
    );
  }
  return { postgresAdminUrl, templateDatabase: env[TEMPLATE_DB_ENV] };
}

/** The URL of database `name` on the server of `adminUrl`. */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Request limits high enough for a test's traffic, which all comes from 127.0.0.1 (test platforms,
 * the bench, the crash run); the limits themselves are tested with their own settings.
 */
export const TEST_REQUEST_LIMITS: Record<string, string> = {
  SIGN_IN_RATE_LIMIT_PER_CLIENT: '100000',
  SIGN_IN_RATE_LIMIT_GLOBAL: '1000000',
  CODE_SEND_RATE_LIMIT_PER_CLIENT: '100000',
  CODE_SEND_RATE_LIMIT_GLOBAL: '1000000',
  SIGN_UP_RATE_LIMIT_PER_CLIENT: '100000',
  SIGN_UP_RATE_LIMIT_GLOBAL: '1000000',
};
