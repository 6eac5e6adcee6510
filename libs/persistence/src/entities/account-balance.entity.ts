import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Per-account lock and cache row for the ledger. The ledger (`ledger_entries`) is the source of
 * truth; this row is changed by a conditional UPDATE in the same transaction as every ledger
 * insert, so a withdrawal can never take the balance below zero, even under concurrency.
 */
@Entity({ tableName: 'account_balances' })
export class AccountBalance {
  @PrimaryKey({ type: 'bigint', autoincrement: false })
  accountId!: number;

  @Property({ type: 'bigint' })
  balanceFen!: number;
}
