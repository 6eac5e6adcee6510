import { num, readRow, yuan, type CancellationBlockerSource } from '../source';

/**
 * Ledger (the cash balance; apps/api/src/billing/ledger.service.ts): rule CAN-1 "no cash
 * balance". The balance is the `account_balances` row (kept in the same transaction as every
 * ledger entry), or the sum of the ledger for an account that has never posted through it.
 * Any balance above zero blocks, refunds included; zero is eligible (the ledger never goes below
 * zero: a debt is an amount owed, billing's condition). `count` is the balance in fen.
 */
export const ledgerSource: CancellationBlockerSource = {
  module: 'ledger',
  async blockers(em, accountId) {
    const row = await readRow(
      em,
      `select coalesce(
         (select balance_fen from account_balances where account_id = ?),
         (select coalesce(sum(amount_fen), 0) from ledger_entries where account_id = ?)
       ) as balance_fen`,
      [accountId, accountId],
    );
    const balance = num(row['balance_fen']);
    if (balance <= 0) return [];
    return [
      {
        code: 'cash_balance',
        message: `A cash balance of ${yuan(balance)} remains`,
        action: 'Withdraw the whole balance (POST /withdrawals) so that it is zero',
        count: balance,
        href: '/balance',
      },
    ];
  },
};
