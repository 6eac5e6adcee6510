import { readEnvironment } from '../../libs/config/src/config';

/** Test-only settings, read through libs/config like everything else. */
export function testEnv(): { postgresAdminUrl: string } {
  const env = readEnvironment();
  return {
    postgresAdminUrl:
      env['TEST_POSTGRES_ADMIN_URL'] ?? 'postgres://account_center:account_center@127.0.0.1:5432/postgres',
  };
}
