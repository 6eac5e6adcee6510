/**
 * Issue 8: a production-mode start refuses to run with a missing or development secret or a
 * sandbox switch, naming the variable, before it opens a port or a database connection. The
 * API and the worker are started as real processes from their entry points.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { readEnvironment } from '../../libs/config/src/config';
import { REPO_ROOT } from '../support/paths';

const SECRETS: Record<string, string> = {
  MFA_ENCRYPTION_KEY: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  DATA_ENCRYPTION_KEY: 'fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210',
  VERIFICATION_CODE_SECRET: 'a-production-verification-secret',
  IDENTITY_SANDBOX_SECRET: 'a-production-identity-secret',
  BANK_WEBHOOK_SECRET: 'a-production-webhook-secret',
  FACE_WEBHOOK_SECRET: 'a-production-face-webhook-secret',
  TEMPORAL_PAYLOAD_KEYS: 'prod-2026=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff',
  // Nothing listens here: a start that got past its configuration would fail differently.
  DATABASE_URL: 'postgres://app:secret@127.0.0.1:9/ac',
  DOCUMENT_STORE_DIR: '/var/lib/account-center/documents',
};

const ENTRY_POINTS = {
  api: 'apps/api/src/main.ts',
  worker: 'apps/worker/src/main.ts',
};

/** Starts an entry point with exactly `env` (plus PATH); resolves with its exit code and stderr. */
function start(entry: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', join(REPO_ROOT, 'test/support/ts-register.js'), join(REPO_ROOT, entry)],
      {
        cwd: REPO_ROOT,
        env: { PATH: readEnvironment()['PATH'] ?? '', ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} did not stop by itself; stderr: ${stderr}`));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe.each(Object.entries(ENTRY_POINTS))('a production start of the %s', (_name, entry) => {
  it('refuses a missing secret, naming it', async () => {
    const env: Record<string, string> = { ...SECRETS, NODE_ENV: 'production' };
    delete env['DATA_ENCRYPTION_KEY'];
    const { code, stderr } = await start(entry, env);
    expect(code).toBe(1);
    expect(stderr).toContain('DATA_ENCRYPTION_KEY: missing');
  }, 70_000);

  it('refuses a development secret, naming it', async () => {
    const { code, stderr } = await start(entry, {
      ...SECRETS,
      APP_MODE: 'production',
      VERIFICATION_CODE_SECRET: 'local-dev-verification-code-secret',
    });
    expect(code).toBe(1);
    expect(stderr).toContain('VERIFICATION_CODE_SECRET: is a development value');
  }, 70_000);

  it('refuses sandbox routes, naming the switch', async () => {
    const { code, stderr } = await start(entry, {
      ...SECRETS,
      NODE_ENV: 'production',
      SANDBOX_ROUTES: 'true',
    });
    expect(code).toBe(1);
    expect(stderr).toContain('SANDBOX_ROUTES: must be off in production mode');
  }, 70_000);
});
