import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt } from '@mikro-orm/core';

import type { StaffRoleName } from '../../../domain/src/review';

export type { StaffRoleName };

/**
 * A platform staff member (reviewer, senior reviewer, operator): a principal of its own kind,
 * never an account. Created by the operator CLI; signs in with password + mandatory TOTP.
 */
@Entity({ tableName: 'staff_members' })
export class StaffMember {
  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @Property({ type: 'string', length: 254 })
  @Unique({ name: 'staff_members_email_unique' })
  email!: string;

  @Enum({ items: ['reviewer', 'senior_reviewer', 'operator'], type: 'string', length: 32 })
  role!: StaffRoleName;

  @Property({ type: 'string', length: 255, hidden: true, lazy: true })
  passwordHash!: string;

  @Property({ type: 'text', hidden: true, lazy: true })
  totpSecretEncrypted!: string;

  @Property({ type: 'integer', nullable: true })
  lastUsedStep?: number | null = null;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  disabledAt?: Opt<Date> | null = null;
}

/** A staff session: token prefix `stf_`, stored as its SHA-256, separate from account sessions. */
@Entity({ tableName: 'staff_sessions' })
@Index({ name: 'staff_sessions_staff_idx', properties: ['staff'] })
export class StaffSession {
  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @ManyToOne(() => StaffMember, { deleteRule: 'cascade' })
  staff!: StaffMember;

  @Property({ type: 'string', length: 64 })
  @Unique({ name: 'staff_sessions_token_hash_unique' })
  tokenHash!: string;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  revokedAt?: Opt<Date> | null = null;

  @Property({ type: 'string', length: 64, nullable: true })
  ip?: string | null = null;

  @Property({ type: 'string', length: 512, nullable: true })
  userAgent?: string | null = null;
}
