import { num, plural, readRow, type CancellationBlockerSource } from '../source';

/**
 * Complaints (apps/api/src/assets, `GET /complaints`): rule CAN-1 "no open complaint by or
 * against the account". Both directions count: one the account made and one made against it
 * (by another account or an outside party); closed ones do not.
 */
export const complaintsSource: CancellationBlockerSource = {
  module: 'complaints',
  async blockers(em, accountId) {
    const row = await readRow(
      em,
      `select count(*) as complaints from complaints
        where status = 'open' and (complainant_id = ? or respondent_id = ?)`,
      [accountId, accountId],
    );
    const complaints = num(row['complaints']);
    if (complaints === 0) return [];
    return [
      {
        code: 'open_complaints',
        message: `${plural(complaints, 'open complaint')} by or against the account`,
        action: 'Wait until every complaint by or against the account is closed',
        count: complaints,
        href: '/complaints?status=open',
      },
    ];
  },
};
