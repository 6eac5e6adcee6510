import { Entity, Enum, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { Site } from './account.entity';

/**
 * ACC-6: every email that ever registered an account, per site. Never deleted, not even when
 * the account is cancelled and its data erased (CAN-5), so the address can never become the
 * login email of another account. `accountId` is deliberately not a foreign key.
 */
@Entity({ tableName: 'registered_emails' })
@Unique({ name: 'registered_emails_site_email_unique', properties: ['site', 'email'] })
export class RegisteredEmail {
  [OptionalProps]?: 'registeredAt';

  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @Enum({ items: ['cn', 'intl'], type: 'string', length: 8 })
  site!: Site;

  @Property({ type: 'string', length: 254 })
  email!: string;

  @Property({ type: 'bigint' })
  accountId!: number;

  @Property({ type: 'datetime' })
  registeredAt: Date = new Date();
}
