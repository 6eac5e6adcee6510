import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Requests counted in one fixed window of one limit, for one client (an address) or for everyone
 * (`*`). One row per window, changed by an atomic insert-or-increment that returns the new count,
 * so every API process shares the count and it is taken before the request is looked at.
 */
@Entity({ tableName: 'rate_limit_windows' })
@Index({ name: 'rate_limit_windows_start_idx', properties: ['windowStart'] })
export class RateLimitWindow {
  @PrimaryKey({ type: 'string', length: 40 })
  bucket!: string;

  @PrimaryKey({ type: 'string', length: 128 })
  clientKey!: string;

  @PrimaryKey({ type: 'datetime' })
  windowStart!: Date;

  @Property({ type: 'integer' })
  count!: number;
}
