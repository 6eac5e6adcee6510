import type { EntityManager } from '@mikro-orm/core';
import type { CancellationBlocker } from '../../../domain/src/cancellation';

/**
 * CAN-1 (issue 10 §1): what one module answers about its own data when the cancellation feature
 * asks whether an account may be cancelled. Each module that owns blocking data (billing, ledger,
 * assets, users, complaints) has one source in `sources/`, kept by that module: the cancellation
 * feature never reads those tables itself, it only asks every registered source.
 *
 * A source answers with counts and sums (one cheap statement), inside the caller's transaction
 * when there is one, and returns one blocker per unmet condition, none when all hold.
 */
export interface CancellationBlockerSource {
  /** The module that owns the data, e.g. `billing`. */
  module: string;
  blockers(em: EntityManager, accountId: number, now: Date): Promise<CancellationBlocker[]>;
}

/** One row of a read statement, in the caller's transaction if there is one. */
export async function readRow<T extends Record<string, unknown>>(
  em: EntityManager,
  sql: string,
  params: unknown[],
): Promise<T> {
  const row = (await em.getConnection().execute(sql, params, 'get', em.getTransactionContext())) as
    T | undefined;
  if (!row) throw new Error('a count statement returned no row');
  return row;
}

/** PostgreSQL answers count(*) and bigint sums as text. */
export function num(v: unknown): number {
  const n = Number(v ?? 0);
  if (!Number.isSafeInteger(n)) throw new Error(`not a safe integer: ${String(v)}`);
  return n;
}

/** "1 order" / "3 orders". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** 12345 fen → "123.45 CNY". */
export function yuan(fen: number): string {
  return `${(fen / 100).toFixed(2)} CNY`;
}
