import { Entity, Enum, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { Site } from './account.entity';

/**
 * ACC-7: after a WeChat sign-in that matches several accounts, the short-lived, single-use
 * ticket with which the caller picks one. Stores the token's SHA-256 and the candidate accounts.
 */
@Entity({ tableName: 'sign_in_selection_tickets' })
export class SignInSelectionTicket {
  [OptionalProps]?: 'usedAt';

  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @Property({ type: 'string', length: 64 })
  @Unique({ name: 'sign_in_selection_tickets_token_hash_unique' })
  tokenHash!: string;

  @Enum({ items: ['cn', 'intl'], type: 'string', length: 8 })
  site!: Site;

  @Property({ type: 'string', length: 16 })
  provider!: string;

  /** Candidate account IDs in the order shown, comma separated. */
  @Property({ type: 'text' })
  accountIds!: string;

  @Property({ type: 'string', length: 64, nullable: true })
  ip?: string | null;

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  usedAt?: Date | null = null;
}
