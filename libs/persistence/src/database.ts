import { MikroORM } from '@mikro-orm/core';
import { BetterSqlitePlatform } from '@mikro-orm/better-sqlite';
import type { DatabaseConfig } from '../../config/src/config';
import { createOrmOptions } from './orm-options';

/** Opens the ORM for a process. */
export async function openOrm(db: DatabaseConfig): Promise<MikroORM> {
  return MikroORM.init(createOrmOptions(db));
}

/**
 * Applies pending migrations (all, or up to and including `to`); returns the names applied.
 *
 * On SQLite, MikroORM changes a table by rebuilding it (create a copy, copy the rows, drop the
 * old one, rename). With foreign keys on, dropping a referenced table deletes or refuses its
 * children, and the `pragma foreign_keys = off` in the generated SQL is a no-op inside the
 * migration's transaction. So, as SQLite's own procedure for table rebuilds prescribes, foreign
 * keys are switched off on the connection before the migrations run, every reference is checked
 * afterwards with `pragma foreign_key_check`, and they are switched back on.
 */
export async function migrateUp(orm: MikroORM, to?: string): Promise<string[]> {
  const sqlite = orm.config.getPlatform() instanceof BetterSqlitePlatform;
  const connection = orm.em.getConnection();
  if (sqlite) await connection.execute('pragma foreign_keys = off');
  try {
    const applied = await orm.getMigrator().up(to ? { to } : undefined);
    if (sqlite) {
      const rows: unknown = await connection.execute('pragma foreign_key_check');
      const broken = rows as Array<{ table: string; parent: string }>;
      if (broken.length > 0) {
        const where = broken.map((r) => `${r.table} → ${r.parent}`).join(', ');
        throw new Error(`migrations left ${broken.length} broken foreign key reference(s): ${where}`);
      }
    }
    return applied.map((m) => m.name);
  } finally {
    if (sqlite) await connection.execute('pragma foreign_keys = on');
  }
}

/** True when a unique constraint refused a write, on either driver. */
export function isUniqueViolation(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return err.name === 'UniqueConstraintViolationException';
}
