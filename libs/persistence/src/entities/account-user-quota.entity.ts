import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * ACC-10 counter: how many sub-users and collaborators (invited or active) a root account holds.
 * Taken with one conditional UPDATE (`used = used + 1 where used < limit`) in the same
 * transaction as the insert, so two parallel creates at the limit cannot both succeed.
 */
@Entity({ tableName: 'account_user_quotas' })
export class AccountUserQuota {
  @PrimaryKey({ type: 'bigint', autoincrement: false })
  accountId!: number;

  @Property({ type: 'integer' })
  used!: number;
}
