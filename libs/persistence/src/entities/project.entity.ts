import { Entity, Enum, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Account } from './account.entity';

export type ProjectStatus = 'active' | 'disabled';

/** A project of an account (PRJ-1). Never deleted, only disabled (PRJ-2). */
@Entity({ tableName: 'projects' })
@Unique({ name: 'projects_account_name_unique', properties: ['account', 'nameKey'] })
export class Project {
  [OptionalProps]?: 'status' | 'disabledAt' | 'description';

  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @ManyToOne(() => Account, { deleteRule: 'cascade' })
  account!: Account;

  @Property({ type: 'string', length: 64 })
  name!: string;

  /** Lower-cased name: names are unique within the account regardless of case. */
  @Property({ type: 'string', length: 64 })
  nameKey!: string;

  @Property({ type: 'string', length: 500 })
  description: string = '';

  @Enum({ items: ['active', 'disabled'], type: 'string', length: 16 })
  status: ProjectStatus = 'active';

  @Property({ type: 'datetime', nullable: true })
  disabledAt?: Date | null = null;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime' })
  updatedAt!: Date;
}
