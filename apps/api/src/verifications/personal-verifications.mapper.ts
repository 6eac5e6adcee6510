import {
  FACE_FAILURE_MESSAGES,
  type PersonalVerificationState,
} from '../../../../libs/domain/src/personal-verification';
import type { PersonalVerification } from '../../../../libs/persistence/src/entities';
import type { PersonalVerificationResponse } from './personal-verifications.dto';

/** Row plus (when the workflow answered) its live state. Never the name or the whole ID number. */
export function toPersonalResponse(
  row: PersonalVerification,
  live?: PersonalVerificationState | null,
): PersonalVerificationResponse {
  const failureReason = live ? live.failureReason : (row.failureReason ?? null);
  const refusal = live
    ? live.refusal && { rule: live.refusal.rule, code: live.refusal.code }
    : row.refusalRule && row.refusalCode
      ? { rule: row.refusalRule, code: row.refusalCode }
      : null;
  return {
    verificationId: row.id,
    status: live?.status ?? row.status,
    documentType: row.documentType,
    maskedIdNumber: row.maskedIdNumber,
    session: live?.session && live.status === 'awaiting_liveness' ? { ...live.session } : null,
    failureReason,
    failureMessage: failureReason ? FACE_FAILURE_MESSAGES[failureReason] : null,
    refusal: refusal ?? null,
    createdAt: row.createdAt.toISOString(),
    closedAt: live ? live.closedAt : (row.closedAt?.toISOString() ?? null),
  };
}
