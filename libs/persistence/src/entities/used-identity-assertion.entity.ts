import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Third-party assertions already accepted, by their ID: like an OAuth authorization code, an
 * assertion works once. Rows past `expiresAt` can be purged; an expired assertion is refused anyway.
 */
@Entity({ tableName: 'used_identity_assertions' })
export class UsedIdentityAssertion {
  @PrimaryKey({ type: 'string', length: 64 })
  id!: string;

  @Property({ type: 'string', length: 16 })
  provider!: string;

  @Property({ type: 'datetime' })
  usedAt!: Date;

  @Property({ type: 'datetime' })
  expiresAt!: Date;
}
