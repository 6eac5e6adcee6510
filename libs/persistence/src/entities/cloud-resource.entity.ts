import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Account } from './account.entity';
import { Project } from './project.entity';

export type ResourceStatus = 'running' | 'stopped' | 'released';

/** A cloud resource of an account (a server, a database, …). In use unless released. */
@Entity({ tableName: 'cloud_resources' })
@Index({ name: 'cloud_resources_account_idx', properties: ['account', 'status'] })
@Index({ name: 'cloud_resources_project_idx', properties: ['project', 'status'] })
export class CloudResource {
  [OptionalProps]?: 'project' | 'status';

  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @ManyToOne(() => Account, { deleteRule: 'cascade' })
  account!: Account;

  /** PRJ-4: null means not in any project. */
  @ManyToOne(() => Project, { nullable: true })
  project?: Project | null = null;

  /** e.g. `cloud_server`, `database`, `object_storage`. */
  @Property({ type: 'string', length: 32 })
  type!: string;

  @Property({ type: 'string', length: 128 })
  name!: string;

  @Enum({ items: ['running', 'stopped', 'released'], type: 'string', length: 16 })
  status: ResourceStatus = 'running';

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime' })
  updatedAt!: Date;
}
