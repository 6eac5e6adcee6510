import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type {
  FaceFailureReason,
  IdentityDocumentType,
  PersonalVerificationStatus,
} from '../../../domain/src/personal-verification';
import { Account } from './account.entity';

/**
 * One personal verification by face (RN-6): what the user submitted, and how it ended, mirrored
 * from its workflow (`personal-verification:<accountId>`). Name and ID number are sealed under the
 * account's data key (CAN-5); the ID number is found by its keyed digest (RN-2, find my account).
 */
@Entity({ tableName: 'personal_verifications' })
@Index({ name: 'personal_verifications_account_idx', properties: ['account', 'createdAt'] })
export class PersonalVerification {
  [OptionalProps]?:
    | 'status'
    | 'providerSessionId'
    | 'failureReason'
    | 'refusalRule'
    | 'refusalCode'
    | 'runId'
    | 'closedAt'
    | 'updatedAt';

  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @ManyToOne(() => Account)
  account!: Account;

  @Enum({
    items: ['mainland_id_card', 'hong_kong_macau_permit', 'taiwan_permit', 'foreign_passport'],
    type: 'string',
    length: 32,
  })
  documentType!: IdentityDocumentType;

  @Property({ type: 'text' })
  nameSealed!: string;

  @Property({ type: 'text' })
  idNumberSealed!: string;

  /** Keyed digest (HMAC) of the ID number: equality lookups without the number. */
  @Property({ type: 'string', length: 64 })
  idNumberDigest!: string;

  /** The ID number masked for display (first and last characters). */
  @Property({ type: 'string', length: 40 })
  maskedIdNumber!: string;

  @Enum({
    items: ['opening', 'awaiting_liveness', 'verified', 'failed', 'refused', 'expired', 'cancelled'],
    type: 'string',
    length: 20,
  })
  status: PersonalVerificationStatus = 'opening';

  /** The face service's session. */
  @Property({ type: 'string', length: 80, nullable: true })
  @Unique({ name: 'personal_verifications_provider_session_unique' })
  providerSessionId?: string | null = null;

  @Property({ type: 'string', length: 40, nullable: true })
  failureReason?: FaceFailureReason | null = null;

  @Property({ type: 'string', length: 16, nullable: true })
  refusalRule?: string | null = null;

  @Property({ type: 'string', length: 60, nullable: true })
  refusalCode?: string | null = null;

  @Property({ type: 'string', length: 80 })
  workflowId!: string;

  @Property({ type: 'string', length: 64, nullable: true })
  runId?: string | null = null;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  closedAt?: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  updatedAt?: Date | null = null;
}

/**
 * RN-6: face verifications an account started on one Asia/Shanghai day. Starting one raises it
 * with one conditional upsert (`… where attempts < limit`), so simultaneous starts cannot pass it.
 */
@Entity({ tableName: 'face_attempt_days' })
export class FaceAttemptDay {
  @PrimaryKey({ type: 'bigint' })
  accountId!: number;

  /** YYYY-MM-DD in Asia/Shanghai. */
  @PrimaryKey({ type: 'string', length: 10 })
  localDate!: string;

  @Property({ type: 'integer' })
  attempts!: number;
}
