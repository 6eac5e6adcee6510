import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * ACC-12: the 60-second resend cooldown of one destination and purpose. A send claims the slot
 * with one atomic statement (insert if absent, else move `last_sent_at` forward only when the
 * cooldown has passed), so two simultaneous sends cannot both go out.
 */
@Entity({ tableName: 'code_send_slots' })
export class CodeSendSlot {
  /** `<site>:<purpose>:<destination>` */
  @PrimaryKey({ type: 'string', length: 320 })
  key!: string;

  @Property({ type: 'datetime' })
  lastSentAt!: Date;
}
