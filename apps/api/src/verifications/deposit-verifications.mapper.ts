import type { DepositVerificationState } from '../../../../libs/domain/src/deposit-verification';
import type { DepositVerification } from '../../../../libs/persistence/src/entities';
import type { DepositVerificationResponse } from './deposit-verifications.dto';

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

/** Row plus (when the workflow answered) its live state. Never includes the payout amount. */
export function toDepositResponse(
  row: DepositVerification,
  live?: DepositVerificationState | null,
): DepositVerificationResponse {
  return {
    verificationId: row.id,
    status: live?.status ?? row.status,
    attemptsLeft: live?.attemptsLeft ?? row.attemptsLeft,
    deadline: live ? live.deadline : iso(row.deadline),
    payoutRequestedAt: live?.payoutRequestedAt ?? iso(row.payoutRequestedAt),
    landedAt: live ? live.landedAt : iso(row.landedAt),
    appealAvailableFrom: live?.appealAvailableFrom ?? iso(row.appealAvailableFrom),
    enterpriseName: row.enterpriseName,
    bankAccount: {
      holder: row.bankAccountHolder,
      bankName: row.bankName,
      maskedAccountNumber: row.maskedAccountNumber,
    },
    refusal: refusalOf(live?.refusal ?? null, row),
    createdAt: row.createdAt.toISOString(),
    closedAt: live ? live.closedAt : iso(row.closedAt),
  };
}

/** Why a `refused` verification ended: the workflow's word while it answers, else the row's. */
function refusalOf(
  live: { rule: string; code: string } | null,
  row: DepositVerification,
): { rule: string; code: string } | null {
  if (live) return live;
  return row.refusalRule && row.refusalCode ? { rule: row.refusalRule, code: row.refusalCode } : null;
}
