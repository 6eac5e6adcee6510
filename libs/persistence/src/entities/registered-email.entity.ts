import { Entity, Enum, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { Site } from './account.entity';

/**
 * ACC-6: every email that ever registered an account, per site, so the address can never become
 * the login email of another account. `accountId` is deliberately not a foreign key.
 *
 * CAN-4 / CAN-5: when the account is cancelled the row is *released*, not deleted: `releasedAt`
 * is set and `accountId` cleared (nothing links the address to the tombstone any more). A
 * released address may register a NEW account (the sign-up takes the row over), but it still
 * never becomes an additional login email of another account (docs/rules-decisions.md).
 */
@Entity({ tableName: 'registered_emails' })
@Unique({ name: 'registered_emails_site_email_unique', properties: ['site', 'email'] })
export class RegisteredEmail {
  [OptionalProps]?: 'registeredAt' | 'releasedAt';

  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @Enum({ items: ['cn', 'intl'], type: 'string', length: 8 })
  site!: Site;

  @Property({ type: 'string', length: 254 })
  email!: string;

  /** The account it registered; null once released by a cancellation (CAN-5). */
  @Property({ type: 'bigint', nullable: true })
  accountId!: number | null;

  @Property({ type: 'datetime' })
  registeredAt: Date = new Date();

  /** CAN-4: set when the account it registered was cancelled; the address may sign up again. */
  @Property({ type: 'datetime', nullable: true })
  releasedAt?: Date | null = null;
}
