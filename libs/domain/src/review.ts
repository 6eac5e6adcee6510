/**
 * Human tasks: the one way a process puts a decision in front of a person (issue 9 §1).
 *
 * Pure rules shared by the review workflows (their update validators), the activities that index
 * tasks, and the API (what a staff member may do). No I/O, no clock: callers pass instants.
 */

/** Every process that asks a person for a decision. Also the `CaseType` search attribute. */
export const REVIEW_KINDS = [
  /** CON-1(b): a new security phone by appeal with documents. */
  'security-phone-appeal',
  /** AS-2: a new registration email by appeal with documents. */
  'registration-email-appeal',
  /** MFA-5: a lost MFA device unbound by appeal. */
  'mfa-device-appeal',
  /** LOG-1: cannot sign in; a new email becomes a login method. */
  'sign-in-appeal',
  /** RN-8: the deposit payout did not arrive; the reviewer has it sent again. */
  'payout-appeal',
  /** CAN-1 … CAN-8: an account cancellation with a risk flag (issue 10). */
  'account-cancellation',
] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];

/** The manual appeals (issue 9): every kind but the cancellation review. */
export const APPEAL_KINDS = [
  'security-phone-appeal',
  'registration-email-appeal',
  'mfa-device-appeal',
  'sign-in-appeal',
  'payout-appeal',
] as const satisfies readonly ReviewKind[];
export type AppealKind = (typeof APPEAL_KINDS)[number];

/** A case's status, also its `CaseStatus` search attribute. */
export const APPEAL_STATUSES = [
  'in_review',
  'information_requested',
  'awaiting_second_approval',
  'applying',
  'approved',
  'rejected',
  'withdrawn',
  'abandoned',
] as const;
export type AppealStatus = (typeof APPEAL_STATUSES)[number];
export const CLOSED_APPEAL_STATUSES: readonly AppealStatus[] = [
  'approved',
  'rejected',
  'withdrawn',
  'abandoned',
];

export const REVIEW_QUEUES = ['review', 'senior-review'] as const;
export type ReviewQueue = (typeof REVIEW_QUEUES)[number];

/**
 * A task's life:
 *   open ──claim──▶ (open, assignee) ──decide approve──▶ awaiting_second_approval ──▶ completed
 *     ▲                 │   │                                  (senior, not the first decider)
 *     └────release──────┘   ├─request information─▶ information_requested ─answer─▶ open
 *                           └─decide reject──────────────────────────────────────▶ completed
 * and `cancelled` when the case ends without a decision (withdrawn, abandoned).
 */
export const REVIEW_TASK_STATUSES = [
  'open',
  'information_requested',
  'awaiting_second_approval',
  'completed',
  'cancelled',
] as const;
export type ReviewTaskStatus = (typeof REVIEW_TASK_STATUSES)[number];

export const OPEN_TASK_STATUSES: readonly ReviewTaskStatus[] = [
  'open',
  'information_requested',
  'awaiting_second_approval',
];

export type StaffRoleName = 'reviewer' | 'senior_reviewer' | 'operator';

export const REVIEW_DECISIONS = ['approve', 'reject'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** Reason codes a decision carries, per kind and decision (the catalogue reviewers choose from). */
export const REASON_CATALOGUE: Record<ReviewKind, Record<ReviewDecision, readonly string[]>> = {
  'security-phone-appeal': {
    approve: ['documents_verified'],
    reject: ['documents_unreadable', 'documents_mismatch', 'identity_not_proven', 'suspected_fraud'],
  },
  'registration-email-appeal': {
    approve: ['documents_verified'],
    reject: ['documents_unreadable', 'documents_mismatch', 'identity_not_proven', 'suspected_fraud'],
  },
  'mfa-device-appeal': {
    approve: ['identity_verified'],
    reject: ['real_name_mismatch', 'documents_unreadable', 'identity_not_proven', 'suspected_fraud'],
  },
  'sign-in-appeal': {
    approve: ['ownership_verified'],
    reject: ['account_details_wrong', 'ownership_not_proven', 'suspected_fraud'],
  },
  'payout-appeal': {
    approve: ['payout_lost_resend'],
    reject: ['payout_delivered', 'statement_unreadable', 'wrong_bank_details'],
  },
  'account-cancellation': {
    approve: ['owner_confirmed'],
    reject: ['owner_not_confirmed', 'suspected_takeover', 'dispute_pending'],
  },
};

export interface ReviewPolicy {
  /** Business days from creation (or from the applicant's answer) to the due time. */
  slaBusinessDays: number;
  /** How long an information request waits for the applicant before the case is abandoned. */
  informationWaitMs: number;
  /** Four eyes: an approval is applied only after a second, different senior reviewer approves. */
  secondApproval: boolean;
  /** 1 (highest) … 5; the inbox sorts on it. */
  priority: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Per kind. Every appeal changes a sign-in factor, a contact or sends money again, so every
 * approval needs four eyes (issue 9 §1; docs/rules-decisions.md).
 */
export const REVIEW_POLICIES: Record<ReviewKind, ReviewPolicy> = {
  'security-phone-appeal': {
    slaBusinessDays: 2,
    informationWaitMs: 7 * DAY_MS,
    secondApproval: true,
    priority: 2,
  },
  'registration-email-appeal': {
    slaBusinessDays: 2,
    informationWaitMs: 7 * DAY_MS,
    secondApproval: true,
    priority: 3,
  },
  'mfa-device-appeal': {
    slaBusinessDays: 2,
    informationWaitMs: 7 * DAY_MS,
    secondApproval: true,
    priority: 2,
  },
  'sign-in-appeal': { slaBusinessDays: 2, informationWaitMs: 7 * DAY_MS, secondApproval: true, priority: 2 },
  'payout-appeal': { slaBusinessDays: 2, informationWaitMs: 7 * DAY_MS, secondApproval: true, priority: 3 },
  // The owner can still withdraw during the cooling-off, so one reviewer decides (rules-decisions).
  'account-cancellation': {
    slaBusinessDays: 2,
    informationWaitMs: 7 * DAY_MS,
    secondApproval: false,
    priority: 3,
  },
};

/** What a staff member does to a task. */
export type ReviewAction =
  'claim' | 'release' | 'reassign' | 'comment' | 'request_information' | 'decide' | 'view';

/** The live state of a task, as the workflow holds it (no personal data: IDs and codes only). */
export interface ReviewTaskState {
  taskId: string;
  caseId: string;
  kind: ReviewKind;
  accountId: number | null;
  queue: ReviewQueue;
  status: ReviewTaskStatus;
  priority: number;
  assigneeId: string | null;
  createdAt: string;
  dueAt: string;
  /** Set while information is requested: when the case is abandoned without an answer. */
  informationDueAt: string | null;
  escalated: boolean;
  firstDecision: { staffId: string; decision: ReviewDecision; reasonCode: string } | null;
  finalDecision: {
    decision: ReviewDecision;
    reasonCode: string;
    decidedBy: string;
    approvedBy: string | null;
  } | null;
  /** Why a task ended without a decision. */
  cancelReason: 'withdrawn' | 'abandoned' | null;
  closedAt: string | null;
}

export interface StaffActor {
  staffId: string;
  role: StaffRoleName;
}

/** Why an action is refused; the code the API answers with (409 unless noted in the map). */
export const REVIEW_REFUSALS = {
  taskClosed: 'task_not_open',
  notClaimed: 'task_not_claimed_by_you',
  alreadyClaimed: 'task_already_claimed',
  roleNotAllowed: 'role_not_allowed',
  queueNotAllowed: 'queue_not_allowed',
  sameReviewer: 'second_approval_same_reviewer',
  decisionNotAllowed: 'decision_not_allowed',
  reasonNotAllowed: 'reason_not_allowed',
  awaitingInformation: 'information_requested',
  notAwaitingInformation: 'not_awaiting_information',
  targetNotAllowed: 'reassign_target_not_allowed',
  malformed: 'malformed_review_action',
} as const;
export type ReviewRefusal = (typeof REVIEW_REFUSALS)[keyof typeof REVIEW_REFUSALS];

/** Refusals that are about who asks (403) rather than the task's state (409). */
export const FORBIDDEN_REVIEW_REFUSALS: readonly string[] = [
  REVIEW_REFUSALS.roleNotAllowed,
  REVIEW_REFUSALS.queueNotAllowed,
  REVIEW_REFUSALS.sameReviewer,
];

/** Queues a role works: reviewers the first line, seniors both, operators none (they reassign). */
export function queuesOf(role: StaffRoleName): readonly ReviewQueue[] {
  switch (role) {
    case 'reviewer':
      return ['review'];
    case 'senior_reviewer':
      return ['review', 'senior-review'];
    case 'operator':
      return [];
  }
}

export type Verdict = { ok: true } | { ok: false; code: ReviewRefusal; message: string };

const OK: Verdict = { ok: true };
const no = (code: ReviewRefusal, message: string): Verdict => ({ ok: false, code, message });

function isOpen(s: ReviewTaskState): boolean {
  return OPEN_TASK_STATUSES.includes(s.status);
}

/**
 * Whether `actor` may take `action` on the task now. One function for the workflow's update
 * validators (refused before anything reaches history) and the API (the case view's buttons).
 */
export function mayAct(
  s: ReviewTaskState,
  actor: StaffActor,
  action: ReviewAction,
  extra: { decision?: ReviewDecision; reasonCode?: string; target?: StaffActor } = {},
): Verdict {
  if (action === 'view') return OK;
  if (!isOpen(s)) return no(REVIEW_REFUSALS.taskClosed, `The task is ${s.status}`);
  switch (action) {
    case 'comment':
      return OK;
    case 'reassign': {
      if (actor.role === 'reviewer') {
        return no(REVIEW_REFUSALS.roleNotAllowed, 'Only a senior reviewer or an operator reassigns tasks');
      }
      const target = extra.target;
      if (!target || !queuesOf(target.role).includes(s.queue)) {
        return no(REVIEW_REFUSALS.targetNotAllowed, `The new assignee cannot work the ${s.queue} queue`);
      }
      if (s.firstDecision?.staffId === target.staffId && s.status === 'awaiting_second_approval') {
        return no(REVIEW_REFUSALS.sameReviewer, 'The first decider cannot give the second approval');
      }
      return OK;
    }
    case 'claim':
      if (!queuesOf(actor.role).includes(s.queue)) {
        return no(REVIEW_REFUSALS.queueNotAllowed, `Your role does not work the ${s.queue} queue`);
      }
      if (s.assigneeId !== null) {
        return no(REVIEW_REFUSALS.alreadyClaimed, 'Another reviewer has claimed this task');
      }
      if (s.status === 'awaiting_second_approval' && s.firstDecision?.staffId === actor.staffId) {
        return no(
          REVIEW_REFUSALS.sameReviewer,
          'You gave the first approval; another senior reviewer gives the second',
        );
      }
      return OK;
    case 'release':
      if (s.assigneeId !== actor.staffId)
        return no(REVIEW_REFUSALS.notClaimed, 'You have not claimed this task');
      return OK;
    case 'request_information':
      if (s.assigneeId !== actor.staffId)
        return no(REVIEW_REFUSALS.notClaimed, 'You have not claimed this task');
      if (s.status !== 'open') {
        return no(
          s.status === 'information_requested'
            ? REVIEW_REFUSALS.awaitingInformation
            : REVIEW_REFUSALS.decisionNotAllowed,
          `Information cannot be requested while the task is ${s.status}`,
        );
      }
      return OK;
    case 'decide': {
      if (!queuesOf(actor.role).includes(s.queue)) {
        return no(REVIEW_REFUSALS.queueNotAllowed, `Your role does not work the ${s.queue} queue`);
      }
      if (s.assigneeId !== actor.staffId)
        return no(REVIEW_REFUSALS.notClaimed, 'You have not claimed this task');
      if (s.status === 'information_requested') {
        return no(REVIEW_REFUSALS.awaitingInformation, 'The applicant has not answered yet');
      }
      if (s.status === 'awaiting_second_approval' && s.firstDecision?.staffId === actor.staffId) {
        return no(REVIEW_REFUSALS.sameReviewer, 'The same person cannot give both approvals');
      }
      const decision = extra.decision;
      if (!decision || !REVIEW_DECISIONS.includes(decision)) {
        return no(REVIEW_REFUSALS.decisionNotAllowed, 'The decision must be approve or reject');
      }
      const reasons = REASON_CATALOGUE[s.kind][decision];
      if (!extra.reasonCode || !reasons.includes(extra.reasonCode)) {
        return no(
          REVIEW_REFUSALS.reasonNotAllowed,
          `The reason for ${decision} must be one of: ${reasons.join(', ')}`,
        );
      }
      return OK;
    }
  }
}

/** The audit trail's event types: every action on a case, with who and when. */
export const REVIEW_EVENT_TYPES = [
  'created',
  'claimed',
  'released',
  'reassigned',
  'commented',
  'information_requested',
  'answered',
  'decided',
  'second_approval',
  'escalated',
  'abandoned',
  'withdrawn',
  'document_opened',
  'outcome_applied',
  'outcome_refused',
] as const;
export type ReviewEventType = (typeof REVIEW_EVENT_TYPES)[number];

/** An audit event as a workflow asks for it to be written. */
export interface ReviewEventInput {
  type: ReviewEventType;
  /** `staff:<id>`, `applicant` or `system`. */
  actor: string;
  noteId?: string | null;
  /** Codes and IDs only. */
  detail?: Record<string, unknown>;
}
