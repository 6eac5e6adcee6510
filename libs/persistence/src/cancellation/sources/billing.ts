import type { CancellationBlocker } from '../../../../domain/src/cancellation';
import { num, plural, readRow, yuan, type CancellationBlockerSource } from '../source';

/**
 * Billing (orders, amounts owed, vouchers; apps/api/src/billing): rule CAN-1 "no unfinished
 * orders or services, nothing owed, no vouchers".
 * - Orders count while `unpaid` or `in_progress`; `complete` ones are history.
 * - Amounts owed count until settled; `count` is the total in fen.
 * - Vouchers count while unused and unexpired at `now` (the same test as `GET /vouchers?status=unused`):
 *   a used or expired voucher holds nothing of value, so it does not block
 *   (docs/rules-decisions.md).
 */
export const billingSource: CancellationBlockerSource = {
  module: 'billing',
  async blockers(em, accountId, now) {
    const row = await readRow(
      em,
      `select
         (select count(*) from orders where account_id = ? and status in ('unpaid', 'in_progress')) as orders,
         (select count(*) from owed_amounts where account_id = ? and settled_at is null) as owed_items,
         (select coalesce(sum(amount_fen), 0) from owed_amounts where account_id = ? and settled_at is null) as owed_fen,
         (select count(*) from vouchers where account_id = ? and used_at is null and expires_at > ?) as vouchers`,
      [accountId, accountId, accountId, accountId, now],
    );
    const out: CancellationBlocker[] = [];
    const orders = num(row['orders']);
    if (orders > 0) {
      out.push({
        code: 'unfinished_orders',
        message: `${plural(orders, 'order')} unpaid or in progress`,
        action: 'Pay or cancel each unpaid order and wait for the ones in progress to complete',
        count: orders,
        href: '/orders',
      });
    }
    const owedItems = num(row['owed_items']);
    const owedFen = num(row['owed_fen']);
    if (owedItems > 0) {
      out.push({
        code: 'amount_owed',
        message: `${yuan(owedFen)} owed (${plural(owedItems, 'unsettled amount')})`,
        action: 'Recharge and settle every amount owed',
        count: owedFen,
        href: '/amounts-owed',
      });
    }
    const vouchers = num(row['vouchers']);
    if (vouchers > 0) {
      out.push({
        code: 'vouchers',
        message: `${plural(vouchers, 'unused voucher')} not yet expired`,
        action: 'Use the vouchers or wait until they expire; expired and used vouchers do not count',
        count: vouchers,
        href: '/vouchers?status=unused',
      });
    }
    return out;
  },
};
