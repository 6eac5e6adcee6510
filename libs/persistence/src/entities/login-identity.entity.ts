import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Account, type Site } from './account.entity';

export type LoginIdentityKind = 'email' | 'qq' | 'wechat' | 'wechat_oa';
export type LoginIdentityRole = 'registration' | 'associated';

/**
 * A way to sign in to an account: its registration email or third-party identity, and the
 * login methods associated later (AS-1, ACC-8). `uniqueKey` carries the uniqueness rule per
 * kind so one database constraint enforces it on both drivers:
 *  - email, QQ, Official Account: `<kind>:<subject>` — one account per identity and site;
 *  - WeChat: `wechat:<subject>:<accountId>` — ACC-7 lets one WeChat identity sign in to
 *    several accounts (the service still refuses a WeChat identity that registered an account).
 * Unbinding deletes the row; registration emails are also kept in `registered_emails` (ACC-6).
 */
@Entity({ tableName: 'login_identities' })
@Unique({ name: 'login_identities_site_unique_key_unique', properties: ['site', 'uniqueKey'] })
@Index({ name: 'login_identities_lookup_idx', properties: ['site', 'kind', 'subject'] })
@Index({ name: 'login_identities_account_idx', properties: ['account'] })
export class LoginIdentity {
  [OptionalProps]?: 'createdAt' | 'displayName';

  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @ManyToOne(() => Account, { deleteRule: 'cascade' })
  account!: Account;

  @Enum({ items: ['cn', 'intl'], type: 'string', length: 8 })
  site!: Site;

  @Enum({ items: ['email', 'qq', 'wechat', 'wechat_oa'], type: 'string', length: 16 })
  kind!: LoginIdentityKind;

  /** Lower-cased email, or the provider's stable subject (openid). */
  @Property({ type: 'string', length: 254 })
  subject!: string;

  @Property({ type: 'string', length: 300 })
  uniqueKey!: string;

  @Enum({ items: ['registration', 'associated'], type: 'string', length: 16 })
  role!: LoginIdentityRole;

  /** The provider's display name (nickname), shown masked. */
  @Property({ type: 'string', length: 100, nullable: true })
  displayName?: string | null = null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
