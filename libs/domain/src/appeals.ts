/**
 * Manual appeals (issue 9 §3): what each kind asks of the applicant, the documents it needs,
 * and how an applicant's answers are compared with the real-name record. Pure: shared by the
 * API (validation at submission) and the activities (the comparison, the outcome).
 */
import type { AppealKind } from './review';

/** Whose documents a case needs: a person's, or an enterprise's (from the account's real name). */
export type ApplicantType = 'person' | 'enterprise';

/** A person's identity as the applicant gives it (MFA-5), compared with the real-name record. */
export interface PersonIdentity {
  realName: string;
  idNumber: string;
}

/** An enterprise's identity as the applicant gives it (MFA-5). */
export interface EnterpriseIdentity {
  companyName: string;
  certificateNumber: string;
  applicantName: string;
  applicantIdNumber: string;
}

/** What the applicant sent, per kind; stored sealed, never in workflow history. */
export type AppealDetails =
  | { kind: 'security-phone-appeal'; newPhone: string }
  | { kind: 'registration-email-appeal'; newEmail: string }
  | {
      kind: 'mfa-device-appeal';
      reachablePhone: string;
      person?: PersonIdentity;
      enterprise?: EnterpriseIdentity;
    }
  | {
      kind: 'sign-in-appeal';
      newEmail: string;
      /** The account's basic information, as the owner remembers it (checked by the reviewer). */
      basicInfo: {
        registeredIn?: string;
        signUpMethod?: string;
        realName?: string;
        recentActivity?: string;
      };
    }
  | { kind: 'payout-appeal'; verificationId: string };

/** Document labels each kind needs, for a person and for an enterprise (CON-1, AS-2, MFA-5, RN-8). */
export const REQUIRED_DOCUMENTS: Record<AppealKind, Record<ApplicantType, readonly string[]>> = {
  // CON-1(b): a person holds their ID card (front and back); an enterprise sends its business
  // licence and the legal representative's ID card (no hand-held photo).
  'security-phone-appeal': {
    person: ['id_front_in_hand', 'id_back_in_hand'],
    enterprise: ['licence', 'legal_rep_id_front', 'legal_rep_id_back'],
  },
  // AS-2: the same documents as CON-1(b), matched to the real-name record.
  'registration-email-appeal': {
    person: ['id_front_in_hand', 'id_back_in_hand'],
    enterprise: ['licence', 'legal_rep_id_front', 'legal_rep_id_back'],
  },
  // MFA-5: a hand-held ID photo; an enterprise adds its licence photo.
  'mfa-device-appeal': {
    person: ['id_in_hand'],
    enterprise: ['licence', 'id_in_hand'],
  },
  // LOG-1: the account's basic information is enough; documents are optional.
  'sign-in-appeal': { person: [], enterprise: [] },
  // RN-8: a bank statement of the account the payout went to.
  'payout-appeal': { person: ['bank_statement'], enterprise: ['bank_statement'] },
};

/** Kinds an applicant without a session may open (they cannot sign in: LOG-1, MFA-5, CON-1b). */
export const SESSIONLESS_KINDS: readonly AppealKind[] = [
  'sign-in-appeal',
  'mfa-device-appeal',
  'security-phone-appeal',
];
/** Kinds the signed-in owner opens. */
export const OWNER_KINDS: readonly AppealKind[] = [
  'registration-email-appeal',
  'payout-appeal',
  'security-phone-appeal',
  'mfa-device-appeal',
];

export type MatchResult = 'match' | 'mismatch' | 'no_record' | 'not_given';

/** What the reviewer sees of a comparison: match or mismatch, never the numbers. */
export interface IdentityChecks {
  realName: MatchResult;
  idNumber: MatchResult;
  companyName?: MatchResult;
  certificateNumber?: MatchResult;
}

/** Names compare without case and inner spacing; certificate numbers without case. */
export function sameName(a: string, b: string): boolean {
  const norm = (s: string): string => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
  return norm(a) === norm(b);
}

export function sameCertificate(a: string, b: string): boolean {
  return a.trim().toUpperCase() === b.trim().toUpperCase();
}

/**
 * MFA-5 / AS-2: compares what the applicant gave with the account's current real-name record.
 * A person's record is compared with the person's name and ID number; an enterprise's with the
 * company name and certificate number (the applicant's own ID is checked by the reviewer against
 * the hand-held photo).
 */
export function compareIdentity(
  record: { kind: 'personal' | 'enterprise'; name: string; certificateNumber: string } | null,
  given: { person?: PersonIdentity; enterprise?: EnterpriseIdentity },
): IdentityChecks {
  const cmp = (
    recordValue: string | undefined,
    value: string | undefined,
    same: (a: string, b: string) => boolean,
  ) =>
    value === undefined
      ? 'not_given'
      : recordValue === undefined
        ? 'no_record'
        : same(recordValue, value)
          ? 'match'
          : 'mismatch';
  if (given.enterprise) {
    const rec = record?.kind === 'enterprise' ? record : null;
    return {
      realName: 'not_given',
      idNumber: 'not_given',
      companyName: cmp(rec?.name, given.enterprise.companyName, sameName),
      certificateNumber: cmp(rec?.certificateNumber, given.enterprise.certificateNumber, sameCertificate),
    };
  }
  const rec = record?.kind === 'personal' ? record : null;
  return {
    realName: cmp(rec?.name, given.person?.realName, sameName),
    idNumber: cmp(rec?.certificateNumber, given.person?.idNumber, sameCertificate),
  };
}

/** The sealing context of a case's details: sealed values copied to another case do not open. */
export const appealDetailsContext = (caseId: string): string => `appeal-details:${caseId}`;
export const appealContactContext = (caseId: string): string => `appeal-contact:${caseId}`;

/** Human names of the kinds, for notices. */
export const APPEAL_TITLES: Record<AppealKind, string> = {
  'security-phone-appeal': 'security phone appeal',
  'registration-email-appeal': 'registration email appeal',
  'mfa-device-appeal': 'lost MFA device appeal',
  'sign-in-appeal': 'sign-in appeal',
  'payout-appeal': 'deposit payout appeal',
};
