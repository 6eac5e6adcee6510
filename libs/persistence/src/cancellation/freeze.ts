import type { EntityManager } from '@mikro-orm/core';
import { OPEN_CANCELLATION_STATUSES } from '../../../domain/src/cancellation';
import { ConflictError } from '../../../domain/src/errors';

/**
 * rule CAN-1 (issue 10 §2): while an account has an open cancellation application it creates
 * nothing new that would stop the cancellation (a sub-user, a collaborator invitation, a message
 * receiver, an order, a voucher, a resource, a recharge). Throws a 409
 * `cancellation_in_progress` naming the open application.
 *
 * Race with a concurrent application: call it inside the transaction that inserts the new
 * thing. It then takes `FOR KEY SHARE` on the account's row before looking, held until that
 * transaction ends; creators do not block each other (nor ordinary account updates, which take
 * `FOR NO KEY UPDATE`), and inserting a row with a foreign key to `accounts` takes the same lock
 * anyway. The application side takes {@link lockAccountForCancellation} (`FOR UPDATE`) in the
 * transaction that inserts the application row, so the two serialise: either the creator
 * commits first and the eligibility check that follows the application (in the workflow, or in
 * the same transaction after the lock) sees the new thing, or the application commits first and
 * the creator sees it here and is refused. Outside a transaction the lock would end with the
 * statement: the check still runs, but only the workflow's re-checks of eligibility cover the race.
 */
export async function assertNoOpenCancellation(em: EntityManager, accountId: number): Promise<void> {
  const ctx: unknown = em.getTransactionContext();
  const conn = em.getConnection();
  if (ctx) {
    await conn.execute('select 1 from accounts where id = ? for key share', [accountId], 'all', ctx);
  }
  const statuses = OPEN_CANCELLATION_STATUSES.map(() => '?').join(', ');
  const open = (await conn.execute(
    `select id from account_cancellations where account_id = ? and status in (${statuses}) limit 1`,
    [accountId, ...OPEN_CANCELLATION_STATUSES],
    'get',
    ctx,
  )) as { id: string } | undefined;
  if (open) {
    // rule CAN-1
    throw new ConflictError(
      'cancellation_in_progress',
      `The account has an open cancellation application (${open.id}): nothing new that would stop ` +
        'the cancellation can be created until it is withdrawn or decided',
      { applicationId: open.id },
    );
  }
}

/**
 * The application side of {@link assertNoOpenCancellation}: locks the account's row
 * (`FOR UPDATE`) in the transaction that inserts an open application, so that no creator is
 * between its check and its commit while the application is written. Call it inside that
 * transaction, before the insert (and before any eligibility check made in it).
 */
export async function lockAccountForCancellation(em: EntityManager, accountId: number): Promise<void> {
  const ctx: unknown = em.getTransactionContext();
  if (!ctx) throw new Error('lockAccountForCancellation needs a transaction');
  await em.getConnection().execute('select 1 from accounts where id = ? for update', [accountId], 'all', ctx);
}
