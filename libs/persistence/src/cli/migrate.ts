/** `npm run migrate`: applies pending migrations to the configured database. */
import { decodeKey32, loadConfig } from '../../../config/src/config';
import { SecretBox } from '../../../domain/src/secret-box';
import { migrateUp, openOrm } from '../database';
import { sealLegacyRealNameRecords } from '../real-name-records';

async function main(): Promise<void> {
  const config = loadConfig();
  const orm = await openOrm(config.database);
  try {
    const applied = await migrateUp(orm);
    process.stdout.write(
      applied.length ? `[migrate] applied: ${applied.join(', ')}\n` : '[migrate] database is up to date\n',
    );
    // Issue 11 §1: identity numbers of older real-name records are sealed (SQL cannot: the key is
    // the configured DATA_ENCRYPTION_KEY). Idempotent; nothing to do on a database already sealed.
    const sealed = await sealLegacyRealNameRecords(
      orm.em.fork(),
      new SecretBox(decodeKey32(config.dataEncryptionKey)!),
    );
    if (sealed > 0)
      process.stdout.write(`[migrate] sealed the identity numbers of ${sealed} real-name records\n`);
  } finally {
    await orm.close(true);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`[migrate] failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
