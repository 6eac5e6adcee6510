import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';

export type RealNameStatus = 'unverified' | 'personal' | 'enterprise';
export type AccountStatus = 'active' | 'cancelled';

/** A root account (ACC-1). Extended by later features; never replaced. */
@Entity({ tableName: 'accounts' })
export class Account {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'realNameStatus' | 'status' | 'passwordChangedAt';

  /** ACC-1: unique, immutable numeric account ID (16 digits, within JS safe integers). */
  @PrimaryKey({ type: 'bigint', autoincrement: false })
  id!: number;

  /** Login email (CON-3). Lower-cased. */
  @Property({ type: 'string', length: 254 })
  @Unique({ name: 'accounts_email_unique' })
  email!: string;

  @Property({ type: 'string', length: 255, hidden: true, lazy: true })
  passwordHash!: string;

  @Property({ type: 'datetime', nullable: true })
  passwordChangedAt?: Date | null = null;

  @Enum({ items: ['active', 'cancelled'], type: 'string', length: 16 })
  @Index({ name: 'accounts_status_idx' })
  status: AccountStatus = 'active';

  /** RN-11: visible in account info the moment it changes. */
  @Enum({ items: ['unverified', 'personal', 'enterprise'], type: 'string', length: 16 })
  realNameStatus: RealNameStatus = 'unverified';

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
