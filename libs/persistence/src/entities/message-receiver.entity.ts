import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Account } from './account.entity';

/** A message receiver of a root account (ACC-9): name and contact details, never signs in. */
@Entity({ tableName: 'message_receivers' })
@Index({ name: 'message_receivers_account_idx', properties: ['account'] })
export class MessageReceiver {
  [OptionalProps]?: 'email' | 'phone';

  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @ManyToOne(() => Account, { deleteRule: 'cascade' })
  account!: Account;

  @Property({ type: 'string', length: 100 })
  name!: string;

  @Property({ type: 'string', length: 254, nullable: true })
  email?: string | null = null;

  @Property({ type: 'string', length: 32, nullable: true })
  phone?: string | null = null;

  @Property({ type: 'datetime' })
  createdAt!: Date;
}
