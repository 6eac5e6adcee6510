import { RuleViolationError } from './errors';
import type { SecretBox } from './secret-box';

/** RN-2: one personal identity (ID number) or one enterprise (licence number) verifies at most 3 accounts. */
export const REAL_NAME_ACCOUNT_LIMIT = 3;

/** RN-1: real-name information changes at most once in any 30 days. */
export const REAL_NAME_CHANGE_INTERVAL_MS = 30 * 24 * 3600 * 1000;

/**
 * RN-1: when an account's current real-name record may be replaced by another identity. The
 * first verification is no change, and neither is RN-5's personal → enterprise step (the rules
 * grant it as a path of its own). Any other replacement by a different identity is a change,
 * allowed once the current record is 30 days old. Null: allowed now.
 */
export function realNameChangeAllowedFrom(
  current: { kind: 'personal' | 'enterprise'; verifiedAt: Date } | null,
  next: { kind: 'personal' | 'enterprise'; certificateNumber?: string },
  now: Date,
): Date | null {
  if (!current) return null;
  if (current.kind === 'personal' && next.kind === 'enterprise') return null;
  const from = new Date(current.verifiedAt.getTime() + REAL_NAME_CHANGE_INTERVAL_MS);
  return from.getTime() > now.getTime() ? from : null;
}

/** rule RN-1: the refusal of an identity change within 30 days, saying from when it may change. */
export function realNameChangeTooSoon(changeAllowedFrom: Date): RuleViolationError {
  return new RuleViolationError(
    'RN-1',
    'real_name_change_too_soon',
    `Real-name information changes at most once in 30 days; it may change again from ${changeAllowedFrom.toISOString()}`,
    { changeAllowedFrom: changeAllowedFrom.toISOString() },
  );
}

/**
 * rule RN-2: the refusal when an identity's slots are all taken, the same early at submission and
 * at completion (where the slot is taken, and which is what counts).
 */
export function realNameLimitReached(kind: 'personal' | 'enterprise'): RuleViolationError {
  return kind === 'personal'
    ? new RuleViolationError(
        'RN-2',
        'personal_account_limit',
        `This identity already verifies ${REAL_NAME_ACCOUNT_LIMIT} accounts; free a slot by changing the identity on one of them`,
        { field: 'idNumber', limit: REAL_NAME_ACCOUNT_LIMIT },
      )
    : new RuleViolationError(
        'RN-2',
        'enterprise_account_limit',
        `This enterprise already verifies ${REAL_NAME_ACCOUNT_LIMIT} accounts; free a slot by changing the identity on one of them`,
        { field: 'licenceNumber', limit: REAL_NAME_ACCOUNT_LIMIT },
      );
}

/**
 * Identity numbers of real-name records (issue 11 §1): stored sealed (AES-256-GCM under
 * DATA_ENCRYPTION_KEY, bound to the record) and found by a keyed digest (HMAC-SHA-256 under a key
 * derived from the same configured secret), never in plain text. The digest is the one RN-2's
 * counters are keyed by, so a record and its identity's slot meet on it.
 */
export function certificateDigest(
  box: SecretBox,
  kind: 'personal' | 'enterprise',
  certificateNumber: string,
): string {
  return box.digest(certificateNumber, `real-name:${kind}-certificate-number`);
}

/** rule RN-3: an account is verified for at most one enterprise; every enterprise route refuses alike. */
export function alreadyEnterpriseVerified(): RuleViolationError {
  return new RuleViolationError(
    'RN-3',
    'already_enterprise_verified',
    'This account is already enterprise-verified',
  );
}
