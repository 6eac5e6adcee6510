import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Account } from './account.entity';

export type CollaboratorStatus = 'invited' | 'active';

/**
 * An existing account invited into a root account (ACC-9). While `invited` it holds a slot
 * (ACC-10) but grants nothing; once the invitee accepts it is `active` and the member acts
 * inside the root account with `permissions`. Declining or removing deletes the row.
 */
@Entity({ tableName: 'collaborators' })
@Unique({ name: 'collaborators_root_member_unique', properties: ['rootAccount', 'member'] })
@Index({ name: 'collaborators_member_idx', properties: ['member', 'status'] })
export class Collaborator {
  [OptionalProps]?: 'status' | 'acceptedAt';

  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @ManyToOne(() => Account, { deleteRule: 'cascade' })
  rootAccount!: Account;

  @ManyToOne(() => Account, { deleteRule: 'cascade' })
  member!: Account;

  @Property({ type: 'json' })
  permissions: string[] = [];

  @Enum({ items: ['invited', 'active'], type: 'string', length: 16 })
  status: CollaboratorStatus = 'invited';

  @Property({ type: 'datetime' })
  invitedAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  acceptedAt?: Date | null = null;
}
