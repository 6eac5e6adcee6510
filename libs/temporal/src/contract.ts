/**
 * The Temporal contract: every task queue, workflow type, workflow ID, signal, query, update
 * and search attribute key is defined here and nowhere else. Workflow code imports this file
 * (relatively), so it may only depend on @temporalio/workflow and @temporalio/common.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AmountEntryResult, DepositVerificationState } from '../../domain/src/deposit-verification';
import type { FaceOutcome, PersonalVerificationState } from '../../domain/src/personal-verification';
import type { RechargeVerificationState } from '../../domain/src/recharge-verification';
import type { CancellationBlocker, CancellationStatus, RiskFlag } from '../../domain/src/cancellation';
import type {
  AppealKind,
  AppealStatus,
  ReviewDecision,
  ReviewTaskState,
  StaffActor,
} from '../../domain/src/review';

export const TASK_QUEUES = {
  /** Workflows and activities of Account Center. */
  accountCenter: 'account-center',
} as const;

export const WORKFLOW_TYPES = {
  depositVerification: 'depositVerificationWorkflow',
  appeal: 'appealWorkflow',
  accountCancellation: 'accountCancellationWorkflow',
  personalVerification: 'personalVerificationWorkflow',
  rechargeVerification: 'rechargeVerificationWorkflow',
} as const;

/** Business-key workflow IDs: one open deposit verification per account. */
export const workflowIds = {
  depositVerification: (accountId: number | string): string => `deposit-verification:${accountId}`,
  /** One open appeal per account and kind (issue 9): a new case of the same kind is a new run. */
  appeal: (kind: AppealKind, accountId: number | string): string => `appeal:${kind}:${accountId}`,
  /** One open cancellation per account (CAN-7: a new application is a new run of the same ID). */
  accountCancellation: (accountId: number | string): string => `account-cancellation:${accountId}`,
  /** One open personal verification by face per account (RN-6: a new attempt is a new run). */
  personalVerification: (accountId: number | string): string => `personal-verification:${accountId}`,
  /** One open recharge verification per account (RN-9); a new attempt is a new run of the same ID. */
  rechargeVerification: (accountId: number | string): string => `recharge-verification:${accountId}`,
} as const;

export const CASE_TYPES = {
  depositVerification: 'enterprise-deposit-verification',
  accountCancellation: 'account-cancellation',
  personalVerification: 'personal-face-verification',
  rechargeVerification: 'enterprise-recharge-verification',
} as const;

/** Custom search attributes; registered by scripts/temporal-dev-server.sh and docs/operations.md. */
export const searchAttributes = {
  accountId: defineSearchAttributeKey('AccountId', SearchAttributeType.KEYWORD),
  caseType: defineSearchAttributeKey('CaseType', SearchAttributeType.KEYWORD),
  caseStatus: defineSearchAttributeKey('CaseStatus', SearchAttributeType.KEYWORD),
  /** The staff ID working a human task (absent while nobody has claimed it). */
  assignee: defineSearchAttributeKey('Assignee', SearchAttributeType.KEYWORD),
  /** When the open human task is due (absent when none is open). */
  dueAt: defineSearchAttributeKey('DueAt', SearchAttributeType.DATETIME),
} as const;

/** name → type, as `temporal operator search-attribute create` wants them. */
export const SEARCH_ATTRIBUTE_REGISTRY: ReadonlyArray<{ name: string; type: 'Keyword' | 'Datetime' }> = [
  { name: searchAttributes.accountId.name, type: 'Keyword' },
  { name: searchAttributes.caseType.name, type: 'Keyword' },
  { name: searchAttributes.caseStatus.name, type: 'Keyword' },
  { name: searchAttributes.assignee.name, type: 'Keyword' },
  { name: searchAttributes.dueAt.name, type: 'Datetime' },
];

// ---- deposit verification (RN-8) ----

export interface DepositVerificationInput {
  verificationId: string;
  accountId: number;
  maskedAccountNumber: string;
}

export interface PayoutLandedSignal {
  /** ISO instant at which the bank credited the payout. */
  landedAt: string;
  bankReference: string;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A well-formed payoutLanded signal: an ISO date-time with its zone that is a real instant, and a
 * bank reference. Signals have no validators, so the workflow checks this itself before it uses one.
 */
export function isLandedSignal(value: unknown): value is PayoutLandedSignal {
  if (typeof value !== 'object' || value === null) return false;
  const { landedAt, bankReference } = value as Record<string, unknown>;
  return (
    typeof landedAt === 'string' &&
    ISO_INSTANT.test(landedAt) &&
    !Number.isNaN(Date.parse(landedAt)) &&
    typeof bankReference === 'string' &&
    bankReference.length > 0 &&
    bankReference.length <= 200
  );
}

export interface SubmitAmountUpdate {
  amountFen: number;
}

export const depositSignals = {
  /** Sent by the API when the bank's webhook reports the payout landed. */
  payoutLanded: defineSignal<[PayoutLandedSignal]>('payoutLanded'),
} as const;

export const depositQueries = {
  state: defineQuery<DepositVerificationState>('state'),
} as const;

export const depositUpdates = {
  /** The owner enters the amount seen on the bank statement. */
  submitAmount: defineUpdate<AmountEntryResult, [SubmitAmountUpdate]>('submitAmount'),
  /** The owner withdraws a verification whose payout has not landed (e.g. a wrong account number). */
  withdraw: defineUpdate<DepositVerificationState, []>('withdraw'),
} as const;

/**
 * Workflow Update IDs. An amount entry's ID is derived from the client's idempotency key, so a
 * retried request or a double click is the same update: Temporal applies it once and answers every
 * copy with its outcome, also after the run has closed. `generation` moves on only past an entry
 * that ended `entry_unavailable` (nothing was spent), so that the same key can be tried again.
 */
export const depositUpdateIds = {
  submitAmount: (entryKey: string, generation = 0): string =>
    generation === 0 ? `amount:${entryKey}` : `amount:${entryKey}#${generation}`,
} as const;

/** Messages the workflow's update validator rejects with; the API maps them to 4xx. */
export const DEPOSIT_UPDATE_REJECTIONS = {
  malformedAmount: 'amount_malformed',
  notAwaitingAmount: 'not_awaiting_amount',
  notWithdrawable: 'not_withdrawable',
  /** The amount could not be checked in time (database or worker trouble); no attempt was spent. */
  entryUnavailable: 'entry_unavailable',
} as const;

/** `patched()` IDs of the deposit workflow's versioned changes; never rename or remove one. */
export const DEPOSIT_PATCHES = {
  /**
   * Activities run inside the amount entry update have bounded timeouts, and an attempt is spent
   * only once the amount has been checked.
   */
  boundedEntryActivities: 'deposit-entry-bounded-activities-v1',
  /**
   * The workflow's own activities (recording state, the payout) have a 10-second start-to-close
   * timeout instead of a minute: a worker killed during one costs seconds.
   */
  shortActivityTimeouts: 'deposit-short-activity-timeouts-v1',
  /**
   * A withdraw accepted before the landing arrives wins: a landing in the same workflow task no
   * longer carries the verification on behind the owner's back.
   */
  withdrawWinsLanding: 'deposit-withdraw-wins-landing-v1',
  /**
   * A right amount that a rule refuses at completion (RN-2's limit, RN-1, RN-3) ends the run
   * `refused` with the rule and code, instead of leaving it waiting for an amount until it expires.
   */
  refusedAtCompletion: 'deposit-refused-at-completion-v1',
} as const;

// ---- recharge verification (RN-9) ----

/** The workflow's input: IDs only; names, numbers and the issued sum stay in the database. */
export interface RechargeVerificationInput {
  verificationId: string;
  accountId: number;
}

/** The bank reported money into the account's collection account: our payment row's ID only. */
export interface PaymentArrivedSignal {
  paymentId: string;
  /** ISO instant at which the money arrived. */
  arrivedAt: string;
}

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** A well-formed paymentArrived signal (signals have no validators; the workflow checks this). */
export function isPaymentArrivedSignal(value: unknown): value is PaymentArrivedSignal {
  if (typeof value !== 'object' || value === null) return false;
  const { paymentId, arrivedAt } = value as Record<string, unknown>;
  return (
    typeof paymentId === 'string' &&
    ULID.test(paymentId) &&
    typeof arrivedAt === 'string' &&
    ISO_INSTANT.test(arrivedAt) &&
    !Number.isNaN(Date.parse(arrivedAt))
  );
}

export const rechargeSignals = {
  /** Sent by the API when the bank's webhook reports money into the account's collection account. */
  paymentArrived: defineSignal<[PaymentArrivedSignal]>('paymentArrived'),
} as const;

export const rechargeQueries = {
  state: defineQuery<RechargeVerificationState>('state'),
} as const;

/** `patched()` IDs of the recharge workflow's versioned changes; never rename or remove one. */
export const RECHARGE_PATCHES = {} as const;

// ---- human tasks and appeals (issue 9) ----

/** The workflow's input: IDs only; what the applicant sent stays in the database. */
export interface AppealInput {
  caseId: string;
  kind: AppealKind;
  accountId: number;
}

export interface AppealState {
  caseId: string;
  kind: AppealKind;
  accountId: number;
  status: AppealStatus;
  task: ReviewTaskState | null;
  /** The reason code of a rejection (the reviewer's, or why an approval could not be applied). */
  reasonCode: string | null;
  closedAt: string | null;
}

export interface ClaimUpdate {
  actor: StaffActor;
}
export interface ReassignUpdate {
  actor: StaffActor;
  /** The new assignee, or null to put the task back in its queue. */
  to: StaffActor | null;
}
export interface RequestInformationUpdate {
  actor: StaffActor;
  /** The note (in the database) that says what is needed; history holds its ID only. */
  noteId: string;
}
export interface DecideUpdate {
  actor: StaffActor;
  decision: ReviewDecision;
  reasonCode: string;
  noteId: string | null;
}
export interface AnswerInformationUpdate {
  /** The applicant's answer note, if any, and the documents sent with it: IDs only. */
  noteId: string | null;
  documentIds: string[];
}

export const reviewQueries = {
  state: defineQuery<AppealState>('state'),
} as const;

/**
 * Every human step is a Workflow Update: its validator refuses (before anything reaches history)
 * an action the task's state or the actor's role does not allow, and the caller gets the task as
 * it is afterwards, already written to the inbox table.
 */
export const reviewUpdates = {
  claim: defineUpdate<ReviewTaskState, [ClaimUpdate]>('claim'),
  release: defineUpdate<ReviewTaskState, [ClaimUpdate]>('release'),
  reassign: defineUpdate<ReviewTaskState, [ReassignUpdate]>('reassign'),
  requestInformation: defineUpdate<ReviewTaskState, [RequestInformationUpdate]>('requestInformation'),
  decide: defineUpdate<ReviewTaskState, [DecideUpdate]>('decide'),
  /** The applicant answers an information request. */
  answerInformation: defineUpdate<ReviewTaskState, [AnswerInformationUpdate]>('answerInformation'),
  /** The applicant withdraws the open case. */
  withdraw: defineUpdate<AppealState, []>('withdraw'),
} as const;

/** Update IDs from the client's Idempotency-Key: a retried request is the same update. */
export const reviewUpdateIds = {
  action: (taskOrCaseId: string, action: string, key: string): string => `${action}:${taskOrCaseId}:${key}`,
} as const;

/** `patched()` IDs of the appeal workflow's versioned changes; never rename or remove one. */
export const APPEAL_PATCHES = {} as const;

// ---- account cancellation (issue 10: CAN-1 … CAN-8) ----

export interface AccountCancellationInput {
  applicationId: string;
  accountId: number;
  /** The cooling-off in days (CANCELLATION_COOLING_OFF_DAYS), fixed when the run starts. */
  coolingOffDays: number;
}

export interface AccountCancellationState {
  applicationId: string;
  accountId: number;
  status: CancellationStatus;
  /** CAN-1 / CAN-7: the unmet conditions that stopped it (or null). */
  blockers: CancellationBlocker[] | null;
  riskFlags: RiskFlag[];
  /** The review task, when a risk flag sent it to a person. */
  task: ReviewTaskState | null;
  /** The reviewer's reason code of a rejection. */
  reasonCode: string | null;
  coolingOffEndsAt: string | null;
  closedAt: string | null;
}

export const cancellationQueries = {
  state: defineQuery<AccountCancellationState>('state'),
} as const;

export const cancellationUpdates = {
  /** The owner withdraws the application (before execution starts). */
  withdraw: defineUpdate<AccountCancellationState, []>('withdraw'),
} as const;

/** `patched()` IDs of the cancellation workflow's versioned changes; never rename or remove one. */
export const CANCELLATION_PATCHES = {} as const;

// ---- personal verification by face (issue 11: RN-6, RN-4, RN-5) ----

/** IDs only: name and ID number stay sealed in the database, read by the activities. */
export interface PersonalVerificationInput {
  verificationId: string;
  accountId: number;
}

/** The face service's result, from its verified (signed) callback. */
export interface FaceResultSignal {
  sessionId: string;
  outcome: FaceOutcome;
}

const FACE_OUTCOME_VALUES: readonly string[] = [
  'passed',
  'face_covered',
  'face_unlike_id_photo',
  'name_or_id_number_wrong',
  'face_not_in_frame',
];

/** A well-formed faceResult signal (signals have no validators: the workflow checks it itself). */
export function isFaceResultSignal(value: unknown): value is FaceResultSignal {
  if (typeof value !== 'object' || value === null) return false;
  const { sessionId, outcome } = value as Record<string, unknown>;
  return (
    typeof sessionId === 'string' &&
    sessionId.length > 0 &&
    sessionId.length <= 80 &&
    typeof outcome === 'string' &&
    FACE_OUTCOME_VALUES.includes(outcome)
  );
}

export const personalSignals = {
  /** Sent by the API when the face service's signed callback reports a session's result. */
  faceResult: defineSignal<[FaceResultSignal]>('faceResult'),
} as const;

export const personalQueries = {
  state: defineQuery<PersonalVerificationState>('state'),
} as const;

/** `patched()` IDs of the personal verification workflow's versioned changes; never rename or remove one. */
export const PERSONAL_PATCHES = {} as const;
