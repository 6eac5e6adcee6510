import { Entity, Index, PrimaryKey, Property, Unique, type Opt } from '@mikro-orm/core';

/**
 * CON-2: wrong passwords of one sign-in subject on one Asia/Shanghai calendar day. The subject is
 * `account:<id>` for a known account, or `unknown:<sha256 of the identifier>` so that an unknown
 * account is counted, captcha-gated and locked exactly like a known one (no enumeration).
 */
@Entity({ tableName: 'sign_in_failure_days' })
@Unique({ name: 'sign_in_failure_days_subject_day_unique', properties: ['subject', 'localDate'] })
@Index({ name: 'sign_in_failure_days_locked_idx', properties: ['subject', 'lockedUntil'] })
export class SignInFailureDay {
  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @Property({ type: 'string', length: 80 })
  subject!: string;

  /** YYYY-MM-DD in Asia/Shanghai. */
  @Property({ type: 'string', length: 10 })
  localDate!: string;

  @Property({ type: 'integer' })
  failures: Opt<number> = 0;

  @Property({ type: 'datetime' })
  firstFailureAt!: Date;

  /** Set by the 10th failure: first failure of the day + 24 hours. */
  @Property({ type: 'datetime', nullable: true })
  lockedUntil?: Date | null = null;
}
