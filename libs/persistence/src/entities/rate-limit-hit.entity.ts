import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One counted request of a sliding-window rate limit (e.g. ACC-5 "find my account" per client
 * IP). Kept in the database so every API process shares the window and restarts do not reset it.
 */
@Entity({ tableName: 'rate_limit_hits' })
@Index({ name: 'rate_limit_hits_window_idx', properties: ['bucket', 'clientKey', 'at'] })
export class RateLimitHit {
  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @Property({ type: 'string', length: 40 })
  bucket!: string;

  @Property({ type: 'string', length: 128 })
  clientKey!: string;

  @Property({ type: 'datetime' })
  at!: Date;
}
