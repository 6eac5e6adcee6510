import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Account } from './account.entity';

/**
 * Money the bank reported into an account's collection account (RN-9). Written with its ledger
 * credit (kind `recharge`, reference `bank:<reference>`) in one transaction, once per bank reference: every payment is credited, matched or not.
 */
@Entity({ tableName: 'incoming_payments' })
@Index({ name: 'incoming_payments_account_idx', properties: ['account', 'arrivedAt'] })
export class IncomingPayment {
  [OptionalProps]?: 'rechargeVerificationId';

  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @Property({ type: 'string', length: 80 })
  @Unique({ name: 'incoming_payments_bank_reference_unique' })
  bankReference!: string;

  @ManyToOne(() => Account)
  account!: Account;

  /** As the bank names it; RN-9 accepts the channels of RECHARGE_CHANNELS only. */
  @Property({ type: 'string', length: 40 })
  channel!: string;

  /** The payer account's holder, as the bank reports it (an enterprise's name). */
  @Property({ type: 'string', length: 200 })
  payerHolder!: string;

  @Property({ type: 'string', length: 40 })
  payerAccountMasked!: string;

  @Property({ type: 'integer' })
  amountFen!: number;

  @Property({ type: 'datetime' })
  arrivedAt!: Date;

  /** The recharge verification it matched, if any. */
  @Property({ type: 'string', length: 26, nullable: true })
  rechargeVerificationId?: string | null = null;

  @Property({ type: 'datetime' })
  createdAt!: Date;
}
