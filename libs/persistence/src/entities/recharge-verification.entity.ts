import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { RECHARGE_STATUSES, type RechargeStatus } from '../../../domain/src/recharge-verification';
import { Account } from './account.entity';

/**
 * One enterprise recharge verification (RN-9): what the owner submitted, the sum the platform
 * issued, and the last state the workflow recorded. The workflow is the live source of truth
 * while it runs; this row keeps the submission (names and numbers stay out of workflow history).
 */
@Entity({ tableName: 'recharge_verifications' })
@Index({ name: 'recharge_verifications_account_idx', properties: ['account', 'createdAt'] })
export class RechargeVerification {
  [OptionalProps]?:
    | 'createdAt'
    | 'updatedAt'
    | 'status'
    | 'runId'
    | 'unmatchedPayments'
    | 'matchedPaymentId'
    | 'paidAt'
    | 'confirmBy'
    | 'refusalRule'
    | 'refusalCode'
    | 'closedAt';

  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @ManyToOne(() => Account)
  account!: Account;

  @Property({ type: 'string', length: 200 })
  enterpriseName!: string;

  @Property({ type: 'string', length: 64 })
  licenceNumber!: string;

  /** The sum the platform issued, 1–99 fen (RN-9). Shown to the owner: it is what they pay. */
  @Property({ type: 'integer' })
  amountFen!: number;

  @Property({ type: 'datetime' })
  deadline!: Date;

  @Property({ type: 'string', length: 128 })
  workflowId!: string;

  @Property({ type: 'string', length: 64, nullable: true })
  runId?: string | null = null;

  @Enum({ items: [...RECHARGE_STATUSES], type: 'string', length: 32 })
  status: RechargeStatus = 'awaiting_payment';

  @Property({ type: 'integer' })
  unmatchedPayments = 0;

  @Property({ type: 'string', length: 26, nullable: true })
  matchedPaymentId?: string | null = null;

  @Property({ type: 'datetime', nullable: true })
  paidAt?: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  confirmBy?: Date | null = null;

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
