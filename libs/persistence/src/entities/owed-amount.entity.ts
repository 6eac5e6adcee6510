import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Account } from './account.entity';
import { Project } from './project.entity';

/** An amount the account owes (a charge its balance could not cover). Settled ones stay as history. */
@Entity({ tableName: 'owed_amounts' })
@Index({ name: 'owed_amounts_account_idx', properties: ['account', 'settledAt'] })
export class OwedAmount {
  [OptionalProps]?: 'project' | 'settledAt';

  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @ManyToOne(() => Account, { deleteRule: 'cascade' })
  account!: Account;

  @ManyToOne(() => Project, { nullable: true })
  project?: Project | null = null;

  @Property({ type: 'string', length: 200 })
  description!: string;

  @Property({ type: 'bigint' })
  amountFen!: number;

  @Property({ type: 'datetime', nullable: true })
  settledAt?: Date | null = null;

  @Property({ type: 'datetime' })
  createdAt!: Date;
}
