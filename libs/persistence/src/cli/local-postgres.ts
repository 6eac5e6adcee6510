/**
 * `npm start`'s database: runs the embedded PostgreSQL (see ../embedded/embedded-postgres.ts) in
 * the foreground with its data in `.data/postgres/`, serving exactly the DATABASE_URL that the
 * API, the worker and the migrations use (default: the local URL in libs/config). The cluster is
 * created on the first start and kept afterwards; the database in the URL is created if missing.
 * SIGINT/SIGTERM shut it down cleanly.
 *
 *   node dist/libs/persistence/src/cli/local-postgres.js          run it (until stopped)
 *   node dist/libs/persistence/src/cli/local-postgres.js --wait   wait until it answers (max 90 s)
 *   --data-dir DIR   the cluster's folder instead of .data/postgres
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { loadConfig } from '../../../config/src/config';
import { EmbeddedPostgres } from '../embedded/embedded-postgres';
import { repoRoot } from '../orm-options';

const say = (line: string) => process.stdout.write(`${line}\n`);

function target(url: string): { port: number; user: string; password: string; database: string } {
  const u = new URL(url);
  if (!['127.0.0.1', 'localhost'].includes(u.hostname)) {
    throw new Error(
      `DATABASE_URL points at ${u.hostname}: the embedded PostgreSQL serves only 127.0.0.1; ` +
        'with an external server, leave this step out',
    );
  }
  return {
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: u.pathname.replace(/^\//, ''),
  };
}

async function waitReady(url: string): Promise<void> {
  const until = Date.now() + 90_000;
  for (;;) {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('select 1');
      return;
    } catch (err) {
      if (Date.now() > until) throw new Error(`the database at DATABASE_URL does not answer: ${String(err)}`);
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { wait: { type: 'boolean', default: false }, 'data-dir': { type: 'string' } },
  });
  const { url } = loadConfig().database;
  if (values.wait) return waitReady(url);

  const t = target(url);
  if (!t.user || !t.password || !t.database) {
    throw new Error('DATABASE_URL must name a user, a password and a database');
  }
  const dataDir = values['data-dir'] ? resolve(values['data-dir']) : join(repoRoot(), '.data/postgres');
  const pg = new EmbeddedPostgres({ dataDir, port: t.port, user: t.user, password: t.password, log: say });
  await pg.start();
  // Announce readiness only once the database in DATABASE_URL exists, so `--wait` means usable.
  await pg.ensureDatabase(t.database);
  say(`ready on 127.0.0.1:${t.port}, database ${t.database}, data in ${dataDir}`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    say('shutting down');
    pg.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const code = await pg.stopped;
  if (!stopping) {
    say(`PostgreSQL exited unexpectedly (code ${String(code)})`);
    process.exit(1);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`[local-postgres] ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
