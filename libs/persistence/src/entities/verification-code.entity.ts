import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { Site } from './account.entity';

export type CodeChannel = 'sms' | 'email';

/**
 * A one-time verification code sent by SMS or email. Only an HMAC of the code is stored. A
 * code dies when used, after its expiry, after its last try, or when a newer code for the same
 * purpose and destination replaces it. Confirming the *current* phone or email of a two-step
 * change yields a short-lived proof (stored hashed) that the second step spends.
 */
@Entity({ tableName: 'verification_codes' })
@Index({
  name: 'verification_codes_destination_idx',
  properties: ['site', 'purpose', 'destination', 'sentAt'],
})
@Index({ name: 'verification_codes_account_idx', properties: ['accountId', 'purpose'] })
export class VerificationCode {
  [OptionalProps]?:
    'attempts' | 'consumedAt' | 'supersededAt' | 'proofHash' | 'proofExpiresAt' | 'proofUsedAt' | 'accountId';

  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @Enum({ items: ['cn', 'intl'], type: 'string', length: 8 })
  site!: Site;

  /** e.g. sign_up, phone_current, phone_new, security_email_current, security_email_new, login_email. */
  @Property({ type: 'string', length: 40 })
  purpose!: string;

  @Enum({ items: ['sms', 'email'], type: 'string', length: 8 })
  channel!: CodeChannel;

  /** Normalised phone number or lower-cased email. */
  @Property({ type: 'string', length: 254 })
  destination!: string;

  /** The account the code acts for (null for sign-up). */
  @Property({ type: 'bigint', nullable: true })
  accountId?: number | null = null;

  @Property({ type: 'string', length: 64, hidden: true })
  codeHash!: string;

  @Property({ type: 'integer' })
  attempts = 0;

  @Property({ type: 'datetime' })
  sentAt!: Date;

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  consumedAt?: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  supersededAt?: Date | null = null;

  @Property({ type: 'string', length: 64, nullable: true, hidden: true })
  @Unique({ name: 'verification_codes_proof_hash_unique' })
  proofHash?: string | null = null;

  @Property({ type: 'datetime', nullable: true })
  proofExpiresAt?: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  proofUsedAt?: Date | null = null;
}
