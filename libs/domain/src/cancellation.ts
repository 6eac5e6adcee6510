/**
 * Account cancellation (CAN-1 … CAN-8, issue 10): the conditions, the process's states and its
 * durations. Pure: shared by the API, the activities and the workflow.
 */

/** CAN-1: every condition that stops a cancellation, each answered by the module owning the data. */
export const CANCELLATION_BLOCKER_CODES = [
  'unfinished_orders',
  'amount_owed',
  'cash_balance',
  'vouchers',
  'resources_in_use',
  'collaborators',
  'sub_users',
  'message_receivers',
  'open_complaints',
] as const;
export type CancellationBlockerCode = (typeof CANCELLATION_BLOCKER_CODES)[number];

/** One unmet condition: a code, a human message and what to do about it. */
export interface CancellationBlocker {
  code: CancellationBlockerCode;
  message: string;
  /** What the owner does about it. */
  action: string;
  /** How many things stand in the way (orders, sub-users, …), or the amount in fen. */
  count: number;
  /** The route that lists them. */
  href: string;
}

export const CANCELLATION_STATUSES = [
  /** Eligibility checked again inside the workflow. */
  'checking',
  /** A risk flag applied: a reviewer decides. */
  'in_review',
  /** Approved: the owner may withdraw until the cooling-off ends. */
  'cooling_off',
  'executing',
  'cancelled',
  'rejected',
  'withdrawn',
] as const;
export type CancellationStatus = (typeof CANCELLATION_STATUSES)[number];
export const OPEN_CANCELLATION_STATUSES: readonly CancellationStatus[] = [
  'checking',
  'in_review',
  'cooling_off',
  'executing',
];

/** Why a cancellation needs a person's review (docs/rules-decisions.md). */
export const RISK_FLAGS = [
  'recent_security_contact_change',
  'recent_real_name_change',
  'new_sign_in_location',
  'recent_login_method_change',
] as const;
export type RiskFlag = (typeof RISK_FLAGS)[number];

/** How far back a change counts as recent for a risk flag. */
export const RISK_LOOKBACK_MS = 7 * 24 * 60 * 60 * 1000;

/** The default cooling-off: the owner can still withdraw (CANCELLATION_COOLING_OFF_DAYS). */
export const DEFAULT_COOLING_OFF_DAYS = 15;
