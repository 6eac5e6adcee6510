import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/core';
import { RuleViolationError } from '../../../../libs/domain/src/errors';
import { MAX_USERS_PER_ACCOUNT } from '../../../../libs/domain/src/permissions';
import { execWrite } from '../common/sql';

/**
 * ACC-10: at most 1000 sub-users and collaborators (invited or active) per root account. One
 * counter row per account, taken with a conditional UPDATE inside the caller's transaction: the
 * UPDATE locks the row, so a parallel taker waits and then re-checks `used < limit` against the
 * committed value. Never read-then-write.
 */
@Injectable()
export class UserQuotaService {
  /** Takes one slot or throws ACC-10. Call inside a transaction, before inserting the user. */
  async take(tem: EntityManager, accountId: number): Promise<void> {
    // First use: the row starts from what the account already holds.
    await execWrite(
      tem,
      `insert into account_user_quotas (account_id, used) values (?, ` +
        `(select count(*) from sub_users where account_id = ?) + ` +
        `(select count(*) from collaborators where root_account_id = ?)) ` +
        `on conflict (account_id) do nothing`,
      [accountId, accountId, accountId],
    );
    const taken = await execWrite(
      tem,
      'update account_user_quotas set used = used + 1 where account_id = ? and used < ?',
      [accountId, MAX_USERS_PER_ACCOUNT],
    );
    if (taken !== 1) {
      // rule ACC-10
      throw new RuleViolationError(
        'ACC-10',
        'user_limit_reached',
        `A root account has at most ${MAX_USERS_PER_ACCOUNT} sub-users and collaborators together`,
        { limit: MAX_USERS_PER_ACCOUNT },
      );
    }
  }

  /** Gives one slot back. Call inside the transaction that deletes the user. */
  async release(tem: EntityManager, accountId: number): Promise<void> {
    await execWrite(tem, 'update account_user_quotas set used = used - 1 where account_id = ? and used > 0', [
      accountId,
    ]);
  }
}
