import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Account } from './account.entity';
import { SubUser } from './sub-user.entity';

/**
 * How a sign-in was attempted. Stored as a plain string so new methods need no migration.
 * `mfa` is the second step of a sign-in under login protection (MFA-2).
 */
export type LoginMethod = 'password' | 'email_code' | 'qq' | 'wechat' | 'wechat_oa' | 'mfa';

export type LoginResult =
  | 'success'
  | 'mfa_required'
  | 'wrong_password'
  | 'locked'
  | 'captcha_required'
  | 'captcha_failed'
  | 'mfa_failed';

/** One sign-in attempt against a known account (ACC-13: time, IP, user agent, method, result). */
@Entity({ tableName: 'login_events' })
@Index({ name: 'login_events_account_idx', properties: ['account', 'at'] })
@Index({ name: 'login_events_sub_user_idx', properties: ['subUser', 'at'] })
export class LoginEvent {
  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @ManyToOne(() => Account, { deleteRule: 'cascade' })
  account!: Account;

  /**
   * Set for a sub-user's sign-in (ACC-9): `account` is then its root account. The owner's own
   * history leaves these out; the root reads them per sub-user.
   */
  @ManyToOne(() => SubUser, { nullable: true, deleteRule: 'cascade' })
  subUser?: SubUser | null = null;

  @Property({ type: 'datetime' })
  at!: Date;

  @Property({ type: 'string', length: 32 })
  method!: LoginMethod;

  @Property({ type: 'string', length: 32 })
  result!: LoginResult;

  @Property({ type: 'string', length: 64, nullable: true })
  ip?: string | null = null;

  @Property({ type: 'string', length: 512, nullable: true })
  userAgent?: string | null = null;
}
