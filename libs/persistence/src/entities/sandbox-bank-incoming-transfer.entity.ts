import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/**
 * The sandbox bank's side of a transfer INTO the platform's collection accounts (RN-9): what a
 * payer sent, through which channel, and when it reaches the account. Only the sandbox adapter
 * reads or writes it. The payer's account is kept sealed under the bank's own key.
 */
@Entity({ tableName: 'sandbox_bank_incoming_transfers' })
@Index({ name: 'sandbox_bank_incoming_due_idx', properties: ['status', 'arrivesAt'] })
export class SandboxBankIncomingTransfer {
  [OptionalProps]?:
    'arrivedAt' | 'webhookDeliveredAt' | 'webhookAttempts' | 'nextWebhookAt' | 'lastWebhookError';

  @PrimaryKey({ type: 'string', length: 40 })
  reference!: string;

  @Property({ type: 'string', length: 80 })
  @Unique({ name: 'sandbox_bank_incoming_idempotency_key_unique' })
  idempotencyKey!: string;

  /** The beneficiary: a collection account of the platform. */
  @Property({ type: 'string', length: 40 })
  beneficiaryAccount!: string;

  /** As the bank names it; RN-9 accepts the channels of RECHARGE_CHANNELS only. */
  @Property({ type: 'string', length: 40 })
  channel!: string;

  @Property({ type: 'text' })
  payerAccountSealed!: string;

  @Property({ type: 'text' })
  payerHolderSealed!: string;

  @Property({ type: 'integer' })
  amountFen!: number;

  @Enum({ items: ['in_transit', 'arrived'], type: 'string', length: 16 })
  status!: 'in_transit' | 'arrived';

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime' })
  arrivesAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  arrivedAt?: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  webhookDeliveredAt?: Date | null = null;

  @Property({ type: 'integer' })
  webhookAttempts = 0;

  @Property({ type: 'datetime', nullable: true })
  nextWebhookAt?: Date | null = null;

  @Property({ type: 'string', length: 500, nullable: true })
  lastWebhookError?: string | null = null;
}
