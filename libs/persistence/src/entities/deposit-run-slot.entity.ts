import { Entity, Enum, Index, PrimaryKey, PrimaryKeyProp, Property } from '@mikro-orm/core';

export type DepositRunSlotOutcome = 'open' | 'failed';

/**
 * RN-8 hardening: one of the DEPOSIT_FAILED_RUN_LIMIT slots of a scope (an account, a business
 * licence number or a bank account). A submission claims a free slot in every scope before its
 * verification exists, with one conditional `insert … on conflict do update … where free`, so
 * simultaneous submissions can never take more slots than there are. A slot is free when
 * `countsUntil` has passed; a verified (or withdrawn, never landed, cancelled) run gives its slots
 * back at once; a failed or expired run keeps them for the window after it ended.
 */
@Entity({ tableName: 'deposit_run_slots' })
@Index({ name: 'deposit_run_slots_verification_idx', properties: ['verificationId'] })
export class DepositRunSlot {
  [PrimaryKeyProp]?: ['scope', 'slot'];

  /** `account:<id>`, `licence:<number>` or `bank:<keyed digest of the account number>`. */
  @PrimaryKey({ type: 'string', length: 120 })
  scope!: string;

  /** 1 … DEPOSIT_FAILED_RUN_LIMIT. */
  @PrimaryKey({ type: 'smallint' })
  slot!: number;

  @Property({ type: 'string', length: 26 })
  verificationId!: string;

  @Enum({ items: ['open', 'failed'], type: 'string', length: 8 })
  outcome!: DepositRunSlotOutcome;

  @Property({ type: 'datetime' })
  claimedAt!: Date;

  /** The slot is taken until then: open runs for their longest life, failed ones for the window. */
  @Property({ type: 'datetime' })
  countsUntil!: Date;
}
