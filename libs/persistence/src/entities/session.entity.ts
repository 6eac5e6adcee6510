import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Account } from './account.entity';
import { SubUser } from './sub-user.entity';

/** A signed-in session. The bearer token is never stored, only its SHA-256. */
@Entity({ tableName: 'sessions' })
@Index({ name: 'sessions_account_idx', properties: ['account'] })
export class Session {
  [OptionalProps]?: 'createdAt' | 'revokedAt' | 'ip' | 'userAgent' | 'subUser';

  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @ManyToOne(() => Account, { deleteRule: 'cascade' })
  account!: Account;

  /** Set when a sub-user signed in (ACC-9): `account` is then its root account. */
  @ManyToOne(() => SubUser, { nullable: true, deleteRule: 'cascade' })
  subUser?: SubUser | null = null;

  @Property({ type: 'string', length: 64 })
  @Unique({ name: 'sessions_token_hash_unique' })
  tokenHash!: string;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  revokedAt?: Date | null = null;

  @Property({ type: 'string', length: 64, nullable: true })
  ip?: string | null = null;

  @Property({ type: 'string', length: 512, nullable: true })
  userAgent?: string | null = null;
}
