import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * RN-2: how many accounts a personal identity or an enterprise verifies, per site (ACC-11).
 * Completing a verification raises it with one conditional UPDATE (`… set held = held + 1 where
 * held < 3`) in the transaction that writes the real-name record, so concurrent completions
 * cannot pass the limit; superseding a record lowers its identity's count in the same way.
 */
@Entity({ tableName: 'real_name_slots' })
export class RealNameSlot {
  /** `<site>:<personal|enterprise>:<keyed digest of the ID or licence number>` (never the number). */
  @PrimaryKey({ type: 'string', length: 100 })
  key!: string;

  @Property({ type: 'integer' })
  held!: number;
}
