import { MikroORM } from '@mikro-orm/core';
import type { DatabaseConfig } from '../../config/src/config';
import { createOrmOptions } from './orm-options';

/** Opens the ORM for a process. */
export async function openOrm(db: DatabaseConfig): Promise<MikroORM> {
  return MikroORM.init(createOrmOptions(db));
}

/** Applies pending migrations (all, or up to and including `to`); returns the names applied. */
export async function migrateUp(orm: MikroORM, to?: string): Promise<string[]> {
  const applied = await orm.getMigrator().up(to ? { to } : undefined);
  return applied.map((m) => m.name);
}

/** True when a unique constraint refused a write. */
export function isUniqueViolation(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return err.name === 'UniqueConstraintViolationException';
}
