/** `npm run migrate`: applies pending migrations to the configured database. */
import { loadConfig } from '../../../config/src/config';
import { migrateUp, openOrm } from '../database';

async function main(): Promise<void> {
  const config = loadConfig();
  const orm = await openOrm(config.database);
  try {
    const applied = await migrateUp(orm);
    process.stdout.write(
      applied.length ? `[migrate] applied: ${applied.join(', ')}\n` : '[migrate] database is up to date\n',
    );
  } finally {
    await orm.close(true);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`[migrate] failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
