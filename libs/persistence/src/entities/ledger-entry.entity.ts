import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Account } from './account.entity';
import { Project } from './project.entity';

export type LedgerEntryKind = 'recharge' | 'withdrawal' | 'charge' | 'refund';

/**
 * One movement of an account's cash balance, in integer fen: positive for recharge and refund,
 * negative for withdrawal and charge. The balance is the sum of the entries. Never updated.
 */
@Entity({ tableName: 'ledger_entries' })
@Index({ name: 'ledger_entries_account_idx', properties: ['account', 'createdAt'] })
@Index({ name: 'ledger_entries_project_idx', properties: ['project'] })
export class LedgerEntry {
  [OptionalProps]?: 'project' | 'reference';

  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @ManyToOne(() => Account, { deleteRule: 'cascade' })
  account!: Account;

  @Enum({ items: ['recharge', 'withdrawal', 'charge', 'refund'], type: 'string', length: 16 })
  kind!: LedgerEntryKind;

  /** Signed amount in fen. */
  @Property({ type: 'bigint' })
  amountFen!: number;

  /** PRJ-5: charges and refunds of a project stay queryable after it is disabled. */
  @ManyToOne(() => Project, { nullable: true })
  project?: Project | null = null;

  @Property({ type: 'string', length: 200 })
  description!: string;

  /** e.g. the order a charge or refund belongs to. */
  @Property({ type: 'string', length: 80, nullable: true })
  reference?: string | null = null;

  @Property({ type: 'datetime' })
  createdAt!: Date;
}
