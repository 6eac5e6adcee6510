import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Account } from './account.entity';

/** A voucher held by an account. Status is derived: used, else expired (by the Clock), else unused. */
@Entity({ tableName: 'vouchers' })
@Index({ name: 'vouchers_account_idx', properties: ['account'] })
export class Voucher {
  [OptionalProps]?: 'usedAt';

  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @ManyToOne(() => Account, { deleteRule: 'cascade' })
  account!: Account;

  @Property({ type: 'string', length: 200 })
  description!: string;

  @Property({ type: 'bigint' })
  amountFen!: number;

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  usedAt?: Date | null = null;

  @Property({ type: 'datetime' })
  createdAt!: Date;
}
