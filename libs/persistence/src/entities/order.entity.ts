import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Account } from './account.entity';
import { Project } from './project.entity';

export type OrderStatus = 'unpaid' | 'in_progress' | 'complete';

/** An order placed by an account. */
@Entity({ tableName: 'orders' })
@Index({ name: 'orders_account_idx', properties: ['account', 'status'] })
@Index({ name: 'orders_project_idx', properties: ['project'] })
export class Order {
  [OptionalProps]?: 'project' | 'status';

  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @ManyToOne(() => Account, { deleteRule: 'cascade' })
  account!: Account;

  @ManyToOne(() => Project, { nullable: true })
  project?: Project | null = null;

  @Property({ type: 'string', length: 200 })
  description!: string;

  @Property({ type: 'bigint' })
  amountFen!: number;

  @Enum({ items: ['unpaid', 'in_progress', 'complete'], type: 'string', length: 16 })
  status: OrderStatus = 'unpaid';

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime' })
  updatedAt!: Date;
}
