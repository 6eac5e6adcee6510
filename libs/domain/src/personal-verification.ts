/**
 * Personal verification by face recognition (RN-6), its documents (RN-4) and its limits. Pure:
 * the workflow imports it.
 */

/** RN-6: why a face verification failed, each said to the user in words of its own. */
export const FACE_FAILURE_REASONS = [
  'face_covered',
  'face_unlike_id_photo',
  'name_or_id_number_wrong',
  'face_not_in_frame',
] as const;
export type FaceFailureReason = (typeof FACE_FAILURE_REASONS)[number];

/** What each RN-6 failure says to the user. */
export const FACE_FAILURE_MESSAGES: Record<FaceFailureReason, string> = {
  face_covered: 'Your face was covered (a mask, glasses, a hand or hair); uncover it and try again',
  face_unlike_id_photo: 'Your face is too unlike the photo of your ID document; try again in good light',
  name_or_id_number_wrong: 'The name or the ID number does not match the identity register; check them',
  face_not_in_frame: 'Your face was not fully in the frame; hold the camera so the whole face shows',
};

/** The provider's answer about one session: passed, or failed with an RN-6 reason. */
export type FaceOutcome = 'passed' | FaceFailureReason;
export const FACE_OUTCOMES: readonly FaceOutcome[] = ['passed', ...FACE_FAILURE_REASONS];

/**
 * RN-4: identity documents. The China site takes the mainland resident identity card only;
 * Hong Kong, Macau and Taiwan permits and foreign passports verify on the international site.
 */
export const IDENTITY_DOCUMENT_TYPES = [
  'mainland_id_card',
  'hong_kong_macau_permit',
  'taiwan_permit',
  'foreign_passport',
] as const;
export type IdentityDocumentType = (typeof IDENTITY_DOCUMENT_TYPES)[number];

/** RN-4: the documents each site accepts (ACC-11: one site's accounts never verify on the other). */
export function siteAcceptsDocument(site: 'cn' | 'intl', documentType: IdentityDocumentType): boolean {
  return site === 'intl' || documentType === 'mainland_id_card';
}

export const PERSONAL_VERIFICATION_STATUSES = [
  'opening',
  'awaiting_liveness',
  'verified',
  'failed',
  'refused',
  'expired',
  'cancelled',
] as const;
export type PersonalVerificationStatus = (typeof PERSONAL_VERIFICATION_STATUSES)[number];
export const OPEN_PERSONAL_STATUSES: readonly PersonalVerificationStatus[] = ['opening', 'awaiting_liveness'];

/**
 * How long the workflow waits for the provider's result after opening the session: the session
 * lives 30 minutes (the user does the liveness step on the phone), then the provider is asked once
 * more, and an attempt without an answer ends `expired`.
 */
export const FACE_RESULT_WAIT_MS = 30 * 60 * 1000;

/** RN-6 "the user may try again": face verifications an account may start per Asia/Shanghai day. */
export const FACE_ATTEMPTS_PER_DAY = 5;

/** The live state of one personal verification (the workflow's query, the API's answer). */
export interface PersonalVerificationState {
  verificationId: string;
  accountId: number;
  status: PersonalVerificationStatus;
  /** The provider's session, once opened: where the user does the liveness step. */
  session: { sessionId: string; livenessUrl: string; expiresAt: string } | null;
  /** RN-6: why it failed (status `failed`). */
  failureReason: FaceFailureReason | null;
  /** A rule that refused the record at completion (status `refused`): RN-1, RN-2, RN-5. */
  refusal: { rule: string; code: string; message: string } | null;
  closedAt: string | null;
}

/** Start of the next Asia/Shanghai (UTC+8) day after `at`: when the daily attempts start again. */
export function nextShanghaiMidnight(at: Date): Date {
  const shifted = at.getTime() + 8 * 3600 * 1000;
  const dayStart = shifted - (((shifted % 86_400_000) + 86_400_000) % 86_400_000);
  return new Date(dayStart + 86_400_000 - 8 * 3600 * 1000);
}

/**
 * GB 11643-1999: the check character of an 18-character mainland ID number (the last one, 0–9 or
 * X). The sandbox's identity register knows exactly the numbers whose check character is right.
 */
export function mainlandIdChecksumValid(idNumber: string): boolean {
  if (!/^\d{17}[\dX]$/.test(idNumber)) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(idNumber[i]) * weights[i];
  return '10X98765432'[sum % 11] === idNumber[17];
}

/** A masked identity number: the first and last characters only (never the whole number in a response). */
export function maskIdentityNumber(n: string): string {
  if (n.length <= 4) return '*'.repeat(n.length);
  return `${n[0]}${'*'.repeat(n.length - 2)}${n[n.length - 1]}`;
}
