import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Account } from './account.entity';

/**
 * A sub-user of a root account (ACC-9): signs in with the root account ID, its username and its
 * own password, and acts inside the root account with the permissions granted. Deleting it
 * deletes its sessions.
 */
@Entity({ tableName: 'sub_users' })
@Unique({ name: 'sub_users_account_username_unique', properties: ['account', 'username'] })
@Index({ name: 'sub_users_username_idx', properties: ['username'] })
export class SubUser {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'displayName';

  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  /** The root account. */
  @ManyToOne(() => Account, { deleteRule: 'cascade' })
  account!: Account;

  /** Lower-case; unique within the root account. */
  @Property({ type: 'string', length: 64 })
  username!: string;

  @Property({ type: 'string', length: 100, nullable: true })
  displayName?: string | null = null;

  @Property({ type: 'string', length: 255, hidden: true, lazy: true })
  passwordHash!: string;

  /** Named permissions (libs/domain/src/permissions.ts). */
  @Property({ type: 'json' })
  permissions: string[] = [];

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
