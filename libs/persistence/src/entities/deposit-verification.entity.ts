import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { DEPOSIT_STATUSES, type DepositStatus } from '../../../domain/src/deposit-verification';
import { Account } from './account.entity';

/**
 * One enterprise deposit verification (RN-8): what the owner submitted and the last state the
 * workflow recorded. The workflow is the live source of truth while it runs; this row keeps the
 * submission (the full bank account number stays out of workflow history) and the outcome.
 */
@Entity({ tableName: 'deposit_verifications' })
@Index({ name: 'deposit_verifications_account_idx', properties: ['account', 'createdAt'] })
export class DepositVerification {
  [OptionalProps]?:
    'createdAt' | 'updatedAt' | 'status' | 'attemptsLeft' | 'runId' | 'refusalRule' | 'refusalCode';

  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @ManyToOne(() => Account)
  account!: Account;

  @Property({ type: 'string', length: 200 })
  enterpriseName!: string;

  @Property({ type: 'string', length: 64 })
  licenceNumber!: string;

  @Property({ type: 'string', length: 200 })
  bankAccountHolder!: string;

  @Property({ type: 'string', length: 200 })
  bankName!: string;

  /** Sealed with DATA_ENCRYPTION_KEY (`v1.…`, see SecretBox); rows from before that hold it plain. */
  @Property({ type: 'string', length: 160, hidden: true })
  bankAccountNumber!: string;

  @Property({ type: 'string', length: 40 })
  maskedAccountNumber!: string;

  @Property({ type: 'string', length: 128 })
  workflowId!: string;

  @Property({ type: 'string', length: 64, nullable: true })
  runId?: string | null = null;

  @Enum({ items: [...DEPOSIT_STATUSES], type: 'string', length: 32 })
  status: DepositStatus = 'payout_pending';

  @Property({ type: 'integer' })
  attemptsLeft = 2;

  @Property({ type: 'datetime', nullable: true })
  payoutRequestedAt?: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  landedAt?: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  deadline?: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  appealAvailableFrom?: Date | null = null;

  /** Status `refused`: the rule and code that refused the account at completion (e.g. RN-2). */
  @Property({ type: 'string', length: 16, nullable: true })
  refusalRule?: string | null = null;

  @Property({ type: 'string', length: 64, nullable: true })
  refusalCode?: string | null = null;

  @Property({ type: 'datetime', nullable: true })
  closedAt?: Date | null = null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
