import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';

export type SandboxTransferStatus = 'in_transit' | 'landed' | 'undeliverable';

/**
 * The sandbox bank's own ledger: what a real bank would hold on its side. Only the sandbox
 * adapter reads or writes it.
 */
@Entity({ tableName: 'sandbox_bank_transfers' })
@Index({ name: 'sandbox_bank_transfers_due_idx', properties: ['status', 'landsAt'] })
@Index({ name: 'sandbox_bank_transfers_account_hash_idx', properties: ['accountNumberHash'] })
export class SandboxBankTransfer {
  [OptionalProps]?:
    'landedAt' | 'webhookDeliveredAt' | 'webhookAttempts' | 'nextWebhookAt' | 'lastWebhookError';

  /** The bank's reference for the transfer. */
  @PrimaryKey({ type: 'string', length: 40 })
  reference!: string;

  @Property({ type: 'string', length: 80 })
  @Unique({ name: 'sandbox_bank_transfers_idempotency_key_unique' })
  idempotencyKey!: string;

  /**
   * The account is never kept in plaintext: a keyed hash finds an account's transfers (the
   * statement), and number and holder are sealed (AES-256-GCM) under the bank's own key, bound to
   * the transfer's reference.
   */
  @Property({ type: 'string', length: 64 })
  accountNumberHash!: string;

  @Property({ type: 'text' })
  accountNumberSealed!: string;

  @Property({ type: 'text' })
  accountHolderSealed!: string;

  @Property({ type: 'integer' })
  amountFen!: number;

  @Enum({ items: ['in_transit', 'landed', 'undeliverable'], type: 'string', length: 16 })
  status!: SandboxTransferStatus;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  /** When the money reaches the account (null: it never will — unknown account). */
  @Property({ type: 'datetime', nullable: true })
  landsAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  landedAt?: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  webhookDeliveredAt?: Date | null = null;

  @Property({ type: 'integer' })
  webhookAttempts = 0;

  @Property({ type: 'datetime', nullable: true })
  nextWebhookAt?: Date | null = null;

  @Property({ type: 'string', length: 500, nullable: true })
  lastWebhookError?: string | null = null;
}
