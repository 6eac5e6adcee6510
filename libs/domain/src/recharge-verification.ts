/**
 * Enterprise recharge verification (RN-9) and the enterprise verification methods (RN-7, RN-10):
 * the rules as data shared by the workflow, activities and API. Workflow code imports this file,
 * so it stays free of Node built-ins.
 */

/** RN-9: the enterprise pays the issued sum within 7 days of its issue. */
export const RECHARGE_PAYMENT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
/** RN-7: a matching payment is confirmed within 1 business day of the money arriving. */
export const RECHARGE_CONFIRM_BUSINESS_DAYS = 1;
/** RN-9: a random sum under 1 CNY, in fen (0.01–0.99 CNY). */
export const RECHARGE_MIN_FEN = 1;
export const RECHARGE_MAX_FEN = 99;

/** RN-9: the channels a recharge may come through. */
export const RECHARGE_CHANNELS = [
  'online_banking',
  'mobile_banking',
  'wire_transfer',
  'cheque',
  'intercity_counter_transfer',
  'beijing_same_city_counter_cash',
] as const;
export type RechargeChannel = (typeof RECHARGE_CHANNELS)[number];

export function isRechargeChannel(value: unknown): value is RechargeChannel {
  return typeof value === 'string' && (RECHARGE_CHANNELS as readonly string[]).includes(value);
}

export const RECHARGE_STATUSES = [
  'awaiting_payment', // the sum is issued; the enterprise pays it within 7 days
  'verified', // a matching payment arrived and the account is enterprise-verified
  'expired', // 7 days without a matching payment
  'refused', // a matching payment arrived but a rule refused the account at completion (RN-1/2/3)
  'cancelled', // an operator cancelled the workflow
] as const;
export type RechargeStatus = (typeof RECHARGE_STATUSES)[number];

export function isOpenRechargeStatus(s: RechargeStatus): boolean {
  return s === 'awaiting_payment';
}

/** Why a payment did not verify the account (RN-9): it is still credited to the balance. */
export const RECHARGE_MISMATCHES = [
  'wrong_amount',
  'payer_name_differs',
  'channel_not_accepted',
  'outside_window',
] as const;
export type RechargeMismatch = (typeof RECHARGE_MISMATCHES)[number];

/** Live state of one recharge verification, as the workflow's query answers it. IDs and times only. */
export interface RechargeVerificationState {
  verificationId: string;
  accountId: number;
  status: RechargeStatus;
  /** ISO instant: the last moment a payment may arrive (issue + 7 days). */
  deadline: string | null;
  /** Payments into the account that did not match (credited all the same). */
  unmatchedPayments: number;
  /** ISO instant at which the matching payment arrived. */
  paidAt: string | null;
  /** ISO instant by which a matching payment is confirmed (arrival + 1 business day, RN-7). */
  confirmBy: string | null;
  /** The rule and code that refused the account at completion (status `refused`). */
  refusal: { rule: string; code: string } | null;
  closedAt: string | null;
}

/** RN-10: a public institution (事业单位) by its unified social credit code: registration authority 1, type 2. */
export function isPublicInstitution(licenceNumber: string): boolean {
  return /^12[0-9A-Z]{16}$/.test(licenceNumber);
}

export type EnterpriseMethod = 'official_account' | 'deposit' | 'recharge';

/** RN-7 and RN-10: the enterprise verification methods, how long each takes, and who may use them. */
export const ENTERPRISE_METHODS: ReadonlyArray<{
  method: EnterpriseMethod;
  duration: string;
  publicInstitutions: boolean;
  path: string;
}> = [
  {
    method: 'official_account',
    duration: 'Immediate',
    publicInstitutions: true,
    path: '/verifications/enterprise/official-account',
  },
  {
    method: 'deposit',
    duration:
      'The platform pays out within 1–3 business days; once the right amount is entered, verification is immediate',
    publicInstitutions: true,
    path: '/verifications/enterprise/deposit',
  },
  {
    method: 'recharge',
    duration: 'Confirmed within 1 business day of the money arriving (pay within 7 days)',
    publicInstitutions: false,
    path: '/verifications/enterprise/recharge',
  },
];

/**
 * The platform's collection account of one account (RN-9): a virtual sub-account the bank keeps
 * for it, so every incoming transfer names the account it is for. `62` + the 16-digit account ID.
 */
export function collectionAccountNumber(accountId: number): string {
  return `62${String(accountId).padStart(16, '0')}`;
}

/** The account a collection account belongs to, or null when it is not one of ours. */
export function accountOfCollectionAccount(accountNumber: string): number | null {
  const m = /^62(\d{16})$/.exec(accountNumber);
  if (!m) return null;
  const id = Number(m[1]);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** Names compared as a bank compares a payer's name: case, width of spaces and punctuation spacing aside. */
export function sameHolderName(a: string, b: string): boolean {
  const norm = (s: string) => s.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
  return norm(a) === norm(b);
}

/** Where a recharge is paid (RN-9): the platform's bank; the account number is the account's own. */
export const PLATFORM_COLLECTION = {
  accountName: 'Account Center Technology Co., Ltd.',
  bankName: 'Sandbox Bank, Beijing Branch',
} as const;
