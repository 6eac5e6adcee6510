import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Account } from './account.entity';
import { IcpFiling } from './domain-holding.entity';

export type IcpTransferStatus = 'pending' | 'accepted' | 'declined' | 'cancelled';

/**
 * ACC-15: moving an ICP filing to another account. The filing changes hands only when the
 * target account accepts. `pendingKey` (the filing ID while pending, else null) keeps at most
 * one pending transfer per filing.
 */
@Entity({ tableName: 'icp_filing_transfers' })
@Index({ name: 'icp_filing_transfers_to_idx', properties: ['toAccount', 'status'] })
@Index({ name: 'icp_filing_transfers_from_idx', properties: ['fromAccount', 'status'] })
export class IcpFilingTransfer {
  [OptionalProps]?: 'status' | 'decidedAt' | 'pendingKey';

  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @ManyToOne(() => IcpFiling, { deleteRule: 'cascade' })
  filing!: IcpFiling;

  @ManyToOne(() => Account, { deleteRule: 'cascade' })
  fromAccount!: Account;

  @ManyToOne(() => Account, { deleteRule: 'cascade' })
  toAccount!: Account;

  @Enum({ items: ['pending', 'accepted', 'declined', 'cancelled'], type: 'string', length: 16 })
  status: IcpTransferStatus = 'pending';

  @Property({ type: 'string', length: 26, nullable: true })
  @Unique({ name: 'icp_filing_transfers_pending_unique' })
  pendingKey?: string | null = null;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  decidedAt?: Date | null = null;
}
