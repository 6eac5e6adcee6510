import {
  PLATFORM_COLLECTION,
  RECHARGE_CHANNELS,
  collectionAccountNumber,
  type RechargeVerificationState,
} from '../../../../libs/domain/src/recharge-verification';
import type { RechargeVerification } from '../../../../libs/persistence/src/entities';
import type { RechargeVerificationResponse } from './enterprise-verification.dto';

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

/** Row plus (when the workflow answered) its live state. */
export function toRechargeResponse(
  row: RechargeVerification,
  live?: RechargeVerificationState | null,
): RechargeVerificationResponse {
  const refusal =
    live?.refusal ??
    (row.refusalRule && row.refusalCode ? { rule: row.refusalRule, code: row.refusalCode } : null);
  return {
    verificationId: row.id,
    status: live?.status ?? row.status,
    amountFen: row.amountFen,
    payTo: { ...PLATFORM_COLLECTION, accountNumber: collectionAccountNumber(row.account.id) },
    channels: [...RECHARGE_CHANNELS],
    deadline: live?.deadline ?? row.deadline.toISOString(),
    enterpriseName: row.enterpriseName,
    unmatchedPayments: live?.unmatchedPayments ?? row.unmatchedPayments,
    paidAt: live ? live.paidAt : iso(row.paidAt),
    confirmBy: live ? live.confirmBy : iso(row.confirmBy),
    refusal,
    createdAt: row.createdAt.toISOString(),
    closedAt: live ? live.closedAt : iso(row.closedAt),
  };
}
