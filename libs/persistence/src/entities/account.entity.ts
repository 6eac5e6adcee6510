import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';

export type RealNameStatus = 'unverified' | 'personal' | 'enterprise';
export type AccountStatus = 'active' | 'cancelled';
/** ACC-11: the China site or the international site; nothing is shared or looked up across them. */
export type Site = 'cn' | 'intl';
export const SITES = ['cn', 'intl'] as const;
export type AccountType = 'personal' | 'enterprise';
/** ACC-2: how the account was registered. */
export type SignUpMethod = 'email' | 'qq' | 'wechat' | 'wechat_oa';

/** A root account (ACC-1). Extended by later features; never replaced. */
@Entity({ tableName: 'accounts' })
@Unique({ name: 'accounts_site_email_unique', properties: ['site', 'email'] })
@Index({ name: 'accounts_site_security_phone_idx', properties: ['site', 'securityPhone'] })
export class Account {
  [OptionalProps]?:
    | 'createdAt'
    | 'updatedAt'
    | 'realNameStatus'
    | 'status'
    | 'passwordChangedAt'
    | 'securityContactChangedAt'
    | 'site'
    | 'accountType'
    | 'signUpMethod'
    | 'securityPhone'
    | 'securityEmail'
    | 'cancelledAt';

  /** ACC-1: unique, immutable numeric account ID (16 digits, within JS safe integers). */
  @PrimaryKey({ type: 'bigint', autoincrement: false })
  id!: number;

  /**
   * Registration email, a login method (CON-3). Lower-cased; unique per site (ACC-11). Null for
   * accounts registered with QQ, WeChat or an Official Account.
   */
  @Property({ type: 'string', length: 254, nullable: true })
  email?: string | null;

  /** ACC-11: chosen at sign-up, never changes. */
  @Enum({ items: ['cn', 'intl'], type: 'string', length: 8 })
  site: Site = 'cn';

  /** Chosen at sign-up (ACC-2). */
  @Enum({ items: ['personal', 'enterprise'], type: 'string', length: 16 })
  accountType: AccountType = 'personal';

  @Enum({ items: ['email', 'qq', 'wechat', 'wechat_oa'], type: 'string', length: 16 })
  signUpMethod: SignUpMethod = 'email';

  /** ACC-12: the security phone (codes only), digits with optional leading +. ACC-3: ≤ 5 accounts per number. */
  @Property({ type: 'string', length: 20, nullable: true })
  securityPhone?: string | null = null;

  /** CON-3: the security email receives verification codes only; it is not a login method. */
  @Property({ type: 'string', length: 254, nullable: true })
  securityEmail?: string | null = null;

  @Property({ type: 'string', length: 255, hidden: true, lazy: true })
  passwordHash!: string;

  @Property({ type: 'datetime', nullable: true })
  passwordChangedAt?: Date | null = null;

  /** When the security phone or email last changed (a risk flag of a cancellation, issue 10). */
  @Property({ type: 'datetime', nullable: true })
  securityContactChangedAt?: Date | null = null;

  @Enum({ items: ['active', 'cancelled'], type: 'string', length: 16 })
  @Index({ name: 'accounts_status_idx' })
  status: AccountStatus = 'active';

  /**
   * CAN-2: when the account was cancelled (its status became `cancelled` in the same transaction).
   * The row then stays as the tombstone that keeps the ID from ever being issued again (CAN-4).
   */
  @Property({ type: 'datetime', nullable: true })
  cancelledAt?: Date | null = null;

  /** RN-11: visible in account info the moment it changes. */
  @Enum({ items: ['unverified', 'personal', 'enterprise'], type: 'string', length: 16 })
  realNameStatus: RealNameStatus = 'unverified';

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
