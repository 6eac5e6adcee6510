import type { EntityManager } from '@mikro-orm/core';

/**
 * Runs one write statement inside the entity manager's current transaction (if any) and returns
 * the number of rows it changed. `?` placeholders, same SQL on SQLite and PostgreSQL.
 */
export async function execWrite(em: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const res = (await em.getConnection().execute(sql, params, 'run', em.getTransactionContext())) as {
    affectedRows?: number;
  };
  return res.affectedRows ?? 0;
}
