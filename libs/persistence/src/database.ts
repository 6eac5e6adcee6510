import { MikroORM } from '@mikro-orm/core';
import type { DatabaseConfig } from '../../config/src/config';
import { createOrmOptions } from './orm-options';

/** Opens the ORM for a process. */
export async function openOrm(db: DatabaseConfig): Promise<MikroORM> {
  return MikroORM.init(createOrmOptions(db));
}

/** Applies every pending migration; returns the names applied. */
export async function migrateUp(orm: MikroORM): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}

/** True when a unique constraint refused a write, on either driver. */
export function isUniqueViolation(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return err.name === 'UniqueConstraintViolationException';
}
