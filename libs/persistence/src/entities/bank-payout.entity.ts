import { Entity, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/**
 * The platform's record of a deposit payout. The amount lives here (never in workflow history,
 * never in an API response); `idempotencyKey` makes a retried payout activity pay once.
 */
@Entity({ tableName: 'bank_payouts' })
export class BankPayout {
  [OptionalProps]?: 'bankReference' | 'landedAt';

  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @Property({ type: 'string', length: 26 })
  @Unique({ name: 'bank_payouts_verification_unique' })
  verificationId!: string;

  @Property({ type: 'string', length: 80 })
  @Unique({ name: 'bank_payouts_idempotency_key_unique' })
  idempotencyKey!: string;

  /** RN-8: 1–99 fen. */
  @Property({ type: 'integer', hidden: true })
  amountFen!: number;

  @Property({ type: 'string', length: 80, nullable: true })
  bankReference?: string | null = null;

  @Property({ type: 'datetime' })
  requestedAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  landedAt?: Date | null = null;
}
