import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Account } from './account.entity';

export type RealNameKind = 'personal' | 'enterprise';
export type RealNameMethod = 'deposit' | 'official_account' | 'recharge' | 'face';

/**
 * A real-name verification result. RN-1: never deleted; a change supersedes the current record
 * (supersededAt set) and inserts a new one.
 */
@Entity({ tableName: 'real_name_records' })
@Index({ name: 'real_name_records_account_idx', properties: ['account', 'supersededAt'] })
@Index({
  name: 'real_name_records_certificate_idx',
  properties: ['kind', 'certificateNumber', 'supersededAt'],
})
@Index({
  name: 'real_name_records_certificate_digest_idx',
  properties: ['kind', 'certificateDigest', 'supersededAt'],
})
// RN-1: one current record per account, whatever the completions race.
@Unique({
  name: 'real_name_records_one_current_unique',
  expression: `create unique index "real_name_records_one_current_unique" on "real_name_records" ("account_id") where "superseded_at" is null`,
})
export class RealNameRecord {
  [OptionalProps]?: 'supersededAt' | 'certificateNumber' | 'certificateSealed' | 'certificateDigest';

  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @ManyToOne(() => Account)
  account!: Account;

  @Enum({ items: ['personal', 'enterprise'], type: 'string', length: 16 })
  kind!: RealNameKind;

  /** Person's name or enterprise name. */
  @Property({ type: 'string', length: 200 })
  name!: string;

  /**
   * Legacy: the ID or licence number in plain text, as records written before issue 11 §1 hold it
   * (read as it is; `npm run migrate` seals them). New records leave it null.
   */
  @Property({ type: 'string', length: 64, nullable: true })
  certificateNumber?: string | null = null;

  /** The ID or licence number sealed under DATA_ENCRYPTION_KEY, bound to this record (see real-name-records.ts). */
  @Property({ type: 'text', nullable: true })
  certificateSealed?: string | null = null;

  /** The number's keyed digest (HMAC): how a record is found by number without holding it. */
  @Property({ type: 'string', length: 64, nullable: true })
  certificateDigest?: string | null = null;

  @Enum({ items: ['deposit', 'official_account', 'recharge', 'face'], type: 'string', length: 32 })
  method!: RealNameMethod;

  /** The process that produced it, e.g. the deposit verification ID. */
  @Property({ type: 'string', length: 64, nullable: true })
  sourceId?: string | null;

  @Property({ type: 'datetime' })
  verifiedAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  supersededAt?: Date | null = null;
}
