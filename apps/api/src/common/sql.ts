import type { EntityManager } from '@mikro-orm/core';

/**
 * Runs one write statement inside the entity manager's current transaction (if any) and returns
 * the number of rows it changed, with `?` placeholders: for the conditional UPDATEs and
 * `insert … on conflict` statements of counters that must hold under concurrency.
 */
export async function execWrite(em: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const res = (await em.getConnection().execute(sql, params, 'run', em.getTransactionContext())) as {
    affectedRows?: number;
  };
  return res.affectedRows ?? 0;
}
