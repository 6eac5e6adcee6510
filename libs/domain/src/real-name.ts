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
