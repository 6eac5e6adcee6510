import {
  Entity,
  Enum,
  Index,
  ManyToOne,
  OneToOne,
  PrimaryKey,
  Property,
  Unique,
  type Opt,
} from '@mikro-orm/core';
import { Account } from './account.entity';
import { Session } from './session.entity';
import { SubUser } from './sub-user.entity';

export type MfaDeviceKind = 'virtual' | 'hardware';

/** ACC-12 / MFA-2 / MFA-3: an account's protection switches. No row means both are off. */
@Entity({ tableName: 'account_mfa_settings' })
export class AccountMfaSettings {
  @OneToOne({ entity: () => Account, primary: true, deleteRule: 'cascade' })
  account!: Account;

  /** MFA-2: a second factor after the right password. */
  @Property({ type: 'boolean' })
  loginProtection: Opt<boolean> = false;

  /** MFA-3: a fresh second factor before sensitive operations. */
  @Property({ type: 'boolean' })
  operationProtection: Opt<boolean> = false;

  @Property({ type: 'datetime' })
  updatedAt!: Date;
}

/**
 * A hardware TOTP token registered by an operator (MFA-1): its serial and seed. The owner binds
 * it by serial and a first code (MFA-4). The seed is encrypted at rest (AES-256-GCM).
 */
@Entity({ tableName: 'mfa_hardware_tokens' })
export class MfaHardwareToken {
  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @Property({ type: 'string', length: 64 })
  @Unique({ name: 'mfa_hardware_tokens_serial_unique' })
  serial!: string;

  @Property({ type: 'text', hidden: true })
  seedEncrypted!: string;

  @Property({ type: 'string', length: 26 })
  registeredBy!: string;

  @Property({ type: 'datetime' })
  registeredAt!: Date;
}

/**
 * An MFA device of an account (MFA-1). `confirmedAt` is null until the owner proves a first code
 * (MFA-4); `lastUsedStep` is the TOTP time step last accepted, so a code is accepted once
 * (RFC 6238 §5.2). The secret is encrypted at rest.
 */
@Entity({ tableName: 'mfa_devices' })
@Index({ name: 'mfa_devices_account_idx', properties: ['account', 'removedAt'] })
@Index({ name: 'mfa_devices_sub_user_idx', properties: ['subUser', 'removedAt'] })
export class MfaDevice {
  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @ManyToOne(() => Account, { deleteRule: 'cascade' })
  account!: Account;

  /**
   * Set when the device is a sub-user's own (ACC-9): `account` is then its root account, and the
   * device serves only that sub-user's sign-in, never the owner's.
   */
  @ManyToOne(() => SubUser, { nullable: true, deleteRule: 'cascade' })
  subUser?: SubUser | null = null;

  @Enum({ items: ['virtual', 'hardware'], type: 'string', length: 16 })
  kind!: MfaDeviceKind;

  @Property({ type: 'string', length: 64 })
  name!: string;

  @Property({ type: 'text', hidden: true })
  secretEncrypted!: string;

  /** For hardware devices: the token's serial. At most one live binding per serial. */
  @Property({ type: 'string', length: 64, nullable: true })
  hardwareSerial?: string | null = null;

  @Property({ type: 'integer', nullable: true })
  lastUsedStep?: number | null = null;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  confirmedAt?: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  removedAt?: Date | null = null;

  /** Set while bound (hardware) so that a unique index keeps a token on one account. */
  @Property({ type: 'string', length: 64, nullable: true })
  @Unique({ name: 'mfa_devices_bound_serial_unique' })
  boundSerial?: Opt<string> | null = null;
}

/** MFA-2: the pending second step of a sign-in under login protection. Single use, short-lived. */
@Entity({ tableName: 'mfa_challenges' })
@Index({ name: 'mfa_challenges_account_idx', properties: ['account'] })
export class MfaChallenge {
  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @ManyToOne(() => Account, { deleteRule: 'cascade' })
  account!: Account;

  /** Set when a sub-user signs in (ACC-9): completed only at POST /sub-users/sessions/mfa. */
  @ManyToOne(() => SubUser, { nullable: true, deleteRule: 'cascade' })
  subUser?: SubUser | null = null;

  /** The first factor's method (password, qq, …), recorded in login history on completion. */
  @Property({ type: 'string', length: 32 })
  method!: string;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'integer' })
  failedAttempts: Opt<number> = 0;

  @Property({ type: 'datetime', nullable: true })
  completedAt?: Date | null = null;

  @Property({ type: 'string', length: 64, nullable: true })
  ip?: string | null = null;

  @Property({ type: 'string', length: 512, nullable: true })
  userAgent?: string | null = null;
}

/** How a session recently proved who is behind it: its password, a second factor, or a fresh QQ/WeChat sign-in. */
export type ProofFactor = 'password' | 'mfa' | 'identity';

/**
 * A recent authentication in one session, valid until `expiresAt` (5 minutes): the sign-in that
 * opened the session, or a step-up later. Sensitive changes need one (ASVS 7.5.1); with
 * operation protection on (MFA-3), one whose factor is `mfa`.
 */
@Entity({ tableName: 'step_up_proofs' })
@Index({ name: 'step_up_proofs_session_idx', properties: ['session', 'expiresAt'] })
export class StepUpProof {
  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @ManyToOne(() => Session, { deleteRule: 'cascade' })
  session!: Session;

  @Enum({ items: ['password', 'mfa', 'identity'], type: 'string', length: 16 })
  factor!: ProofFactor;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime' })
  expiresAt!: Date;
}
