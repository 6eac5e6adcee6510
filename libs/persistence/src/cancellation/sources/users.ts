import type { CancellationBlocker } from '../../../../domain/src/cancellation';
import { num, plural, readRow, type CancellationBlockerSource } from '../source';

/**
 * Users (sub-users, collaborators, message receivers; apps/api/src/users): rule CAN-1 "every
 * collaborator, sub-user and message receiver deleted".
 * - Collaborators are the account's own: other accounts it invited into itself, `invited` or
 *   `active` (an open invitation is a grant the owner made and holds an ACC-10 slot). The
 *   account's memberships of other root accounts do not block: another account's invitation
 *   must not be able to hold a cancellation up, and execution removes them
 *   (docs/rules-decisions.md).
 */
export const usersSource: CancellationBlockerSource = {
  module: 'users',
  async blockers(em, accountId) {
    const row = await readRow(
      em,
      `select
         (select count(*) from sub_users where account_id = ?) as sub_users,
         (select count(*) from collaborators where root_account_id = ?) as collaborators,
         (select count(*) from message_receivers where account_id = ?) as receivers`,
      [accountId, accountId, accountId],
    );
    const out: CancellationBlocker[] = [];
    const collaborators = num(row['collaborators']);
    if (collaborators > 0) {
      out.push({
        code: 'collaborators',
        message: `${plural(collaborators, 'collaborator')} (active or invited)`,
        action: 'Remove every collaborator and withdraw every open invitation',
        count: collaborators,
        href: '/collaborators',
      });
    }
    const subUsers = num(row['sub_users']);
    if (subUsers > 0) {
      out.push({
        code: 'sub_users',
        message: `${plural(subUsers, 'sub-user')}`,
        action: 'Delete every sub-user',
        count: subUsers,
        href: '/sub-users',
      });
    }
    const receivers = num(row['receivers']);
    if (receivers > 0) {
      out.push({
        code: 'message_receivers',
        message: `${plural(receivers, 'message receiver')}`,
        action: 'Delete every message receiver',
        count: receivers,
        href: '/message-receivers',
      });
    }
    return out;
  },
};
