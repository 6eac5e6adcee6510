import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * ACC-3: how many accounts have a phone number as their security phone, per site. Binding
 * raises it with one conditional UPDATE (`… set bound = bound + 1 where key = ? and bound < 5`)
 * in the transaction that sets the phone, so concurrent binds cannot pass the limit.
 */
@Entity({ tableName: 'phone_bind_counts' })
export class PhoneBindCount {
  /** `<site>:<phone>` */
  @PrimaryKey({ type: 'string', length: 40 })
  key!: string;

  @Property({ type: 'integer' })
  bound!: number;
}
