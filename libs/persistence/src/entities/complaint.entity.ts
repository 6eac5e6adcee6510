import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Account } from './account.entity';

export type ComplaintStatus = 'open' | 'closed';

/** A complaint made by an account, possibly against another account. */
@Entity({ tableName: 'complaints' })
@Index({ name: 'complaints_complainant_idx', properties: ['complainant', 'status'] })
@Index({ name: 'complaints_respondent_idx', properties: ['respondent', 'status'] })
export class Complaint {
  [OptionalProps]?: 'status' | 'closedAt' | 'respondent' | 'complainant';

  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  /** The account that complained (null: an outside party complained about `respondent`). */
  @ManyToOne(() => Account, { nullable: true, deleteRule: 'cascade' })
  complainant?: Account | null = null;

  /** The account complained against, if any. */
  @ManyToOne(() => Account, { nullable: true, deleteRule: 'cascade' })
  respondent?: Account | null = null;

  @Property({ type: 'string', length: 200 })
  subject!: string;

  @Enum({ items: ['open', 'closed'], type: 'string', length: 16 })
  status: ComplaintStatus = 'open';

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  closedAt?: Date | null = null;
}
