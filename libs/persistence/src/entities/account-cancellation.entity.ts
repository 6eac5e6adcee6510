import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import {
  CANCELLATION_STATUSES,
  type CancellationBlocker,
  type CancellationStatus,
  type RiskFlag,
} from '../../../domain/src/cancellation';

/**
 * An application to cancel an account (issue 10) and the last state its workflow
 * (`account-cancellation:<accountId>`) recorded. One open application per account, held by a
 * partial unique index; a rejected one may be made again (CAN-7) as a new row and a new run.
 * No personal data: the account ID, codes and times.
 */
@Entity({ tableName: 'account_cancellations' })
@Index({ name: 'account_cancellations_account_idx', properties: ['accountId', 'createdAt'] })
@Unique({
  name: 'account_cancellations_one_open_unique',
  expression: `create unique index "account_cancellations_one_open_unique" on "account_cancellations" ("account_id") where "status" in ('checking', 'in_review', 'cooling_off', 'executing')`,
})
export class AccountCancellation {
  [OptionalProps]?:
    | 'status'
    | 'runId'
    | 'blockers'
    | 'riskFlags'
    | 'reasonCode'
    | 'coolingOffEndsAt'
    | 'closedAt'
    | 'resultNotifiedAt';

  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  /** Not a foreign key: the account row becomes a tombstone, and this row outlives its data. */
  @Property({ type: 'bigint' })
  accountId!: number;

  @Enum({ items: [...CANCELLATION_STATUSES], type: 'string', length: 16 })
  status: CancellationStatus = 'checking';

  @Property({ type: 'string', length: 128 })
  workflowId!: string;

  @Property({ type: 'string', length: 64, nullable: true })
  runId?: string | null = null;

  /** CAN-1 / CAN-7: the conditions that stopped it, as the workflow found them. */
  @Property({ type: 'json', nullable: true })
  blockers?: CancellationBlocker[] | null = null;

  @Property({ type: 'json' })
  riskFlags: RiskFlag[] = [];

  @Property({ type: 'string', length: 64, nullable: true })
  reasonCode?: string | null = null;

  @Property({ type: 'datetime', nullable: true })
  coolingOffEndsAt?: Date | null = null;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  closedAt?: Date | null = null;

  /** CAN-6: when the result was queued for the security phone and email (once). */
  @Property({ type: 'datetime', nullable: true })
  resultNotifiedAt?: Date | null = null;
}
