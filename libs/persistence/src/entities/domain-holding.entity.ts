import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Account } from './account.entity';

/** A domain name held by an account (ACC-5 looks accounts up by it). */
@Entity({ tableName: 'account_domains' })
@Index({ name: 'account_domains_account_idx', properties: ['account'] })
export class AccountDomain {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @ManyToOne(() => Account)
  account!: Account;

  /** Lower-case, without a trailing dot. A domain is held by one account per site. */
  @Property({ type: 'string', length: 253 })
  @Unique({ name: 'account_domains_name_unique' })
  name!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}

/** An ICP filing record held by an account (ACC-5 lookup; ACC-15 transfer). */
@Entity({ tableName: 'icp_filings' })
@Index({ name: 'icp_filings_account_idx', properties: ['account'] })
export class IcpFiling {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @ManyToOne(() => Account)
  account!: Account;

  /** e.g. 京ICP备12345678号 */
  @Property({ type: 'string', length: 64 })
  @Unique({ name: 'icp_filings_number_unique' })
  filingNumber!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
