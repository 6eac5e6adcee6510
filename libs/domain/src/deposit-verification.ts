/**
 * Enterprise deposit verification (RN-7, RN-8): the rules as data shared by the workflow,
 * activities and API. Workflow code imports this file, so it stays free of Node built-ins.
 */

/** RN-8: the user has 7 days from the moment the payout lands. */
export const DEPOSIT_AMOUNT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
/** RN-8: two attempts to enter the amount. */
export const DEPOSIT_MAX_ATTEMPTS = 2;
/** RN-8: a random amount between 0.01 and 0.99 CNY, in fen. */
export const DEPOSIT_MIN_FEN = 1;
export const DEPOSIT_MAX_FEN = 99;
/** RN-8: after 3 business days without a payout the user may appeal with a bank statement. */
export const DEPOSIT_APPEAL_AFTER_BUSINESS_DAYS = 3;
/**
 * How long the workflow waits for the bank to report the payout before giving up
 * (a wrong account number never lands). Our choice, documented in docs/rules-decisions.md:
 * 15 calendar days covers 3 business days across the longest public holiday.
 */
export const DEPOSIT_PAYOUT_WAIT_MS = 15 * 24 * 60 * 60 * 1000;

/**
 * RN-8 hardening (our choice, docs/rules-decisions.md): at most 3 verifications that are open or
 * failed within 30 days, per account, per business licence number and per bank account. Two
 * guesses from 1–99 fen win 2 runs in 99; this bounds the guesses any of those can buy.
 */
export const DEPOSIT_FAILED_RUN_LIMIT = 3;
export const DEPOSIT_FAILED_RUN_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;
/**
 * How long an open run's slot counts at most, should its end never be recorded (a submission
 * abandoned half-way): the longest run (payout wait + amount window, plus a day) and the window.
 */
export const DEPOSIT_OPEN_SLOT_MAX_MS =
  DEPOSIT_PAYOUT_WAIT_MS + DEPOSIT_AMOUNT_WINDOW_MS + 24 * 60 * 60 * 1000 + DEPOSIT_FAILED_RUN_WINDOW_MS;
/** Final statuses that count as a failed run: the payout landed and no right amount came. */
export const DEPOSIT_FAILED_STATUSES: readonly DepositStatus[] = ['failed', 'expired'];

export const DEPOSIT_STATUSES = [
  'payout_pending', // waiting for the bank to land the payout
  'awaiting_amount', // payout landed; the owner enters the amount
  'verified',
  'failed', // two wrong amounts
  'expired', // 7 days without a right amount
  'payout_not_received', // the payout never landed in time
  'withdrawn', // the owner withdrew it before the payout landed
  'refused', // the right amount came, but a rule refused the account at completion (RN-2, RN-1, RN-3)
  'cancelled', // an operator cancelled the workflow (Temporal UI)
] as const;
export type DepositStatus = (typeof DEPOSIT_STATUSES)[number];

export const OPEN_DEPOSIT_STATUSES: readonly DepositStatus[] = ['payout_pending', 'awaiting_amount'];

export function isOpenDepositStatus(s: DepositStatus): boolean {
  return OPEN_DEPOSIT_STATUSES.includes(s);
}

/** Live state of one verification, as the workflow's query answers it. Never holds the amount. */
export interface DepositVerificationState {
  verificationId: string;
  accountId: number;
  status: DepositStatus;
  attemptsLeft: number;
  /** ISO instant; set once the payout has landed. */
  deadline: string | null;
  payoutRequestedAt: string | null;
  landedAt: string | null;
  /** ISO instant from which an appeal for a missing payout may be opened (RN-8). */
  appealAvailableFrom: string | null;
  maskedAccountNumber: string;
  /** The rule and code that refused the account at completion (status `refused`); runs before it lack it. */
  refusal?: { rule: string; code: string } | null;
  closedAt: string | null;
}

export type AmountEntryResult =
  | { outcome: 'verified'; attemptsLeft: number }
  | { outcome: 'wrong_amount'; attemptsLeft: number }
  | { outcome: 'failed'; attemptsLeft: 0 };
