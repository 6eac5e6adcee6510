/**
 * A human task inside a workflow: the platform's one way to put a decision in front of a person
 * (issue 9 §1). A workflow calls `humanReview()`; it creates the task through an activity (the
 * inbox table is its index), answers the staff's Workflow Updates (claim, release, reassign,
 * request information, decide) and the applicant's (answer, withdraw), escalates at the due time
 * and abandons the case after 7 days without an answer. It returns once the task is decided or
 * cancelled; the caller applies the outcome.
 *
 * Every update is validated with the shared rules (`mayAct`) before it reaches history, runs
 * under one mutex (handlers never interleave), and is answered only after the inbox row is
 * written, so what the reviewer sees next is what they did.
 */
import { Mutex } from 'async-mutex';
import {
  ApplicationFailure,
  condition,
  isCancellation,
  setHandler,
  upsertSearchAttributes,
  uuid4,
} from '@temporalio/workflow';
import type { ReviewActivities } from '../activities/review.activities';
import { proxyActivitiesWithSummaries, type ActivitySummaries } from './activity-summaries';
import {
  FORBIDDEN_REVIEW_REFUSALS,
  mayAct,
  REVIEW_DECISIONS,
  REVIEW_POLICIES,
  REVIEW_REFUSALS,
  type ReviewEventInput,
  type ReviewKind,
  type ReviewTaskState,
  type StaffActor,
} from '../libs/domain/src/review';
import { reviewUpdates, searchAttributes, type DecideUpdate } from '../libs/temporal/src/contract';

/** The human task's steps as the Web UI's timeline shows them (issue 12 §2). */
const REVIEW_SUMMARIES: ActivitySummaries<ReviewActivities> = {
  openReviewTask: 'Open the human task in the staff inbox',
  recordReviewTask: 'Record the human task (claim, decision, escalation)',
};

/**
 * Writes the caller is waiting for (an update's answer): short tries, bounded in all, so a
 * database outage answers the staff member with 503 instead of hanging the request.
 */
const inUpdate = proxyActivitiesWithSummaries<ReviewActivities>(
  {
    startToCloseTimeout: '10 seconds',
    scheduleToCloseTimeout: '30 seconds',
    retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '5 seconds' },
  },
  REVIEW_SUMMARIES,
);
/** Writes nobody waits for (creation, escalation, abandonment): retried until done. */
const background = proxyActivitiesWithSummaries<ReviewActivities>(
  {
    startToCloseTimeout: '10 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  },
  REVIEW_SUMMARIES,
);

export type ReviewOutcome =
  | {
      kind: 'decided';
      decision: 'approve' | 'reject';
      reasonCode: string;
      decidedBy: string;
      approvedBy: string | null;
    }
  | { kind: 'withdrawn' }
  | { kind: 'abandoned' };

export interface HumanReviewOptions {
  caseId: string;
  kind: ReviewKind;
  accountId: number | null;
  /** Told of every change, so the calling workflow can move its own status and search attributes. */
  onChange?: (task: ReviewTaskState) => void;
}

export interface HumanReview {
  /** The task as it is now (null until created). */
  current(): ReviewTaskState | null;
  /** Resolves with the outcome once the task is decided, withdrawn or abandoned. */
  outcome: Promise<ReviewOutcome>;
  /** The applicant withdraws: accepted while the task is open. */
  withdraw(): Promise<void>;
}

/** The larger of two numbers (workflow code may not touch `Math`, for its `random`). */
const atLeast = (min: number, value: number): number => (value > min ? value : min);

function refuse(code: string, message: string): never {
  throw ApplicationFailure.create({
    type: code,
    message,
    nonRetryable: true,
    details: [{ forbidden: FORBIDDEN_REVIEW_REFUSALS.includes(code) }],
  });
}

function isActor(value: unknown): value is StaffActor {
  if (typeof value !== 'object' || value === null) return false;
  // Exactly a staff ID and a role: nothing else (an email, a name) may ride into history.
  if (Object.keys(value).some((k) => k !== 'staffId' && k !== 'role')) return false;
  const { staffId, role } = value as Record<string, unknown>;
  return (
    typeof staffId === 'string' &&
    staffId.length > 0 &&
    staffId.length <= 26 &&
    (role === 'reviewer' || role === 'senior_reviewer' || role === 'operator')
  );
}

/** Notes and documents are named by ULIDs (their rows hold 26 characters). */
function isShortId(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9A-HJKMNP-TV-Z]{26}$/.test(value);
}

/**
 * Runs a human task to its end. Call once per task, from the workflow's main coroutine; the
 * handlers it sets answer while the caller awaits `outcome`.
 */
export function humanReview(opts: HumanReviewOptions): HumanReview {
  const policy = REVIEW_POLICIES[opts.kind];
  const lock = new Mutex();
  let state: ReviewTaskState | null = null;
  let seq = 0;
  let withdrawRequested = false;
  /** When the open information request was made: the SLA clock stops from then. */
  let informationRequestedAt = 0;

  const requireTask = (): ReviewTaskState => {
    if (!state) refuse(REVIEW_REFUSALS.taskClosed, 'The task is not created yet');
    return state;
  };

  const publish = (s: ReviewTaskState): void => {
    upsertSearchAttributes([
      { key: searchAttributes.assignee, value: s.assigneeId ?? null },
      {
        key: searchAttributes.dueAt,
        value: s.closedAt ? null : new Date(s.dueAt),
      },
    ]);
    opts.onChange?.(s);
  };

  /**
   * Records `next` (inbox row + audit event) and only then makes it the task's state: a write
   * that fails leaves the task as it was, and the caller is told. A failed write's version is
   * never reused: it may have committed with only its answer lost, and the next write must still
   * be newer than it (the row takes only newer versions) and get an event ID of its own.
   */
  const commit = async (
    next: ReviewTaskState,
    event: ReviewEventInput,
    acts: ReviewActivities,
  ): Promise<ReviewTaskState> => {
    seq += 1;
    const version = seq;
    try {
      await acts.recordReviewTask({
        state: next,
        version,
        event: { ...event, id: `${next.taskId}:${version}` },
      });
    } catch (err) {
      if (isCancellation(err)) throw err;
      refuse('review_unavailable', 'The inbox could not be written now; nothing changed, try again');
    }
    state = next;
    publish(next);
    return next;
  };

  const guard = (
    actor: unknown,
    action: Parameters<typeof mayAct>[2],
    extra?: Parameters<typeof mayAct>[3],
  ) => {
    if (!isActor(actor)) refuse(REVIEW_REFUSALS.malformed, 'actor must name a staff member and role');
    const verdict = mayAct(requireTask(), actor, action, extra);
    if (!verdict.ok) refuse(verdict.code, verdict.message);
  };

  const now = (): string => new Date(Date.now()).toISOString();

  /**
   * Handlers run one at a time, and only once the task exists: the inbox row is written before
   * the workflow learns that its creation succeeded, so a claim can arrive in between.
   */
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> =>
    lock.runExclusive(async () => {
      await condition(() => state !== null);
      return fn();
    });

  /**
   * A validator judges the task's state only once the task exists; before that it checks the
   * input's shape, and the handler judges the rest when the task is there.
   */
  const judged = (actor: unknown, check: () => void): void => {
    if (!isActor(actor)) refuse(REVIEW_REFUSALS.malformed, 'actor must name a staff member and role');
    if (state !== null) check();
  };

  setHandler(
    reviewUpdates.claim,
    ({ actor }) =>
      exclusive(async () => {
        // Re-judged under the lock: of two claims accepted in one task, the second finds it taken.
        guard(actor, 'claim');
        const s = requireTask();
        return commit(
          { ...s, assigneeId: actor.staffId },
          { type: 'claimed', actor: `staff:${actor.staffId}` },
          inUpdate,
        );
      }),
    { validator: ({ actor }) => judged(actor, () => guard(actor, 'claim')) },
  );

  setHandler(
    reviewUpdates.release,
    ({ actor }) =>
      exclusive(async () => {
        guard(actor, 'release');
        return commit(
          { ...requireTask(), assigneeId: null },
          { type: 'released', actor: `staff:${actor.staffId}` },
          inUpdate,
        );
      }),
    { validator: ({ actor }) => judged(actor, () => guard(actor, 'release')) },
  );

  const reassignGuard = (actor: unknown, to: unknown): void => {
    if (to !== null && !isActor(to))
      refuse(REVIEW_REFUSALS.malformed, 'to must name a staff member or be null');
    if (to === null) {
      if (!isActor(actor)) refuse(REVIEW_REFUSALS.malformed, 'actor must name a staff member and role');
      if (actor.role === 'reviewer')
        refuse(REVIEW_REFUSALS.roleNotAllowed, 'Only a senior reviewer or an operator reassigns tasks');
      const s = requireTask();
      const verdict = mayAct(s, actor, 'comment');
      if (!verdict.ok) refuse(verdict.code, verdict.message);
      return;
    }
    guard(actor, 'reassign', { target: to });
  };

  setHandler(
    reviewUpdates.reassign,
    ({ actor, to }) =>
      exclusive(async () => {
        reassignGuard(actor, to);
        return commit(
          { ...requireTask(), assigneeId: to ? to.staffId : null },
          {
            type: 'reassigned',
            actor: `staff:${actor.staffId}`,
            detail: { to: to ? to.staffId : null },
          },
          inUpdate,
        );
      }),
    { validator: ({ actor, to }) => judged(actor, () => reassignGuard(actor, to)) },
  );

  setHandler(
    reviewUpdates.requestInformation,
    ({ actor, noteId }) =>
      exclusive(async () => {
        guard(actor, 'request_information');
        const at = Date.now();
        informationRequestedAt = at;
        return commit(
          {
            ...requireTask(),
            status: 'information_requested',
            informationDueAt: new Date(at + policy.informationWaitMs).toISOString(),
          },
          { type: 'information_requested', actor: `staff:${actor.staffId}`, noteId },
          inUpdate,
        );
      }),
    {
      validator: ({ actor, noteId }) => {
        if (!isShortId(noteId)) refuse(REVIEW_REFUSALS.malformed, 'noteId is required');
        judged(actor, () => guard(actor, 'request_information'));
      },
    },
  );

  setHandler(
    reviewUpdates.answerInformation,
    ({ noteId, documentIds }) =>
      exclusive(async () => {
        const s = requireTask();
        if (s.status !== 'information_requested') {
          refuse(REVIEW_REFUSALS.notAwaitingInformation, 'No information is requested on this case');
        }
        // The SLA clock stops while the applicant is asked: the due time moves by the wait.
        const waited = atLeast(0, Date.now() - informationRequestedAt);
        return commit(
          {
            ...s,
            status: 'open',
            informationDueAt: null,
            dueAt: new Date(Date.parse(s.dueAt) + waited).toISOString(),
          },
          { type: 'answered', actor: 'applicant', noteId, detail: { documentIds } },
          inUpdate,
        );
      }),
    {
      validator: ({ noteId, documentIds }) => {
        if (noteId !== null && !isShortId(noteId)) refuse(REVIEW_REFUSALS.malformed, 'noteId is malformed');
        if (!Array.isArray(documentIds) || documentIds.length > 8 || !documentIds.every(isShortId)) {
          refuse(REVIEW_REFUSALS.malformed, 'documentIds must be at most 8 document IDs');
        }
        if (noteId === null && documentIds.length === 0) {
          refuse(REVIEW_REFUSALS.malformed, 'An answer needs a note or documents');
        }
        if (state?.status !== 'information_requested') {
          refuse(REVIEW_REFUSALS.notAwaitingInformation, 'No information is requested on this case');
        }
      },
    },
  );

  setHandler(
    reviewUpdates.decide,
    ({ actor, decision, reasonCode, noteId }) =>
      exclusive(async () => {
        guard(actor, 'decide', { decision, reasonCode });
        const s = requireTask();
        const closed = now();
        const by = `staff:${actor.staffId}`;
        if (s.status === 'awaiting_second_approval') {
          const first = s.firstDecision!;
          return commit(
            {
              ...s,
              status: 'completed',
              closedAt: closed,
              finalDecision:
                decision === 'approve'
                  ? {
                      decision,
                      reasonCode: first.reasonCode,
                      decidedBy: first.staffId,
                      approvedBy: actor.staffId,
                    }
                  : { decision, reasonCode, decidedBy: actor.staffId, approvedBy: null },
            },
            { type: 'second_approval', actor: by, noteId, detail: { decision, reasonCode } },
            inUpdate,
          );
        }
        if (decision === 'approve' && policy.secondApproval) {
          // Four eyes: the approval waits for a different senior reviewer.
          return commit(
            {
              ...s,
              status: 'awaiting_second_approval',
              queue: 'senior-review',
              assigneeId: null,
              firstDecision: { staffId: actor.staffId, decision, reasonCode },
            },
            {
              type: 'decided',
              actor: by,
              noteId,
              detail: { decision, reasonCode, needsSecondApproval: true },
            },
            inUpdate,
          );
        }
        return commit(
          {
            ...s,
            status: 'completed',
            closedAt: closed,
            finalDecision: { decision, reasonCode, decidedBy: actor.staffId, approvedBy: null },
          },
          { type: 'decided', actor: by, noteId, detail: { decision, reasonCode } },
          inUpdate,
        );
      }),
    {
      validator: ({ actor, decision, reasonCode, noteId }: DecideUpdate) => {
        if (!REVIEW_DECISIONS.includes(decision)) {
          refuse(REVIEW_REFUSALS.decisionNotAllowed, 'decision must be approve or reject');
        }
        if (noteId !== null && !isShortId(noteId)) refuse(REVIEW_REFUSALS.malformed, 'noteId is malformed');
        judged(actor, () => guard(actor, 'decide', { decision, reasonCode }));
      },
    },
  );

  const closeWithout = async (reason: 'withdrawn' | 'abandoned'): Promise<void> => {
    const s = requireTask();
    await commit(
      { ...s, status: 'cancelled', cancelReason: reason, closedAt: now(), assigneeId: s.assigneeId },
      { type: reason, actor: reason === 'withdrawn' ? 'applicant' : 'system' },
      reason === 'withdrawn' ? inUpdate : background,
    );
  };

  const isClosed = (): boolean => state?.status === 'completed' || state?.status === 'cancelled';

  const run = async (): Promise<ReviewOutcome> => {
    const createdAt = now();
    const created = await background.openReviewTask({
      taskId: uuid4(),
      caseId: opts.caseId,
      kind: opts.kind,
      createdAt,
    });
    const initial: ReviewTaskState = {
      taskId: created.taskId,
      caseId: opts.caseId,
      kind: opts.kind,
      accountId: opts.accountId,
      queue: 'review',
      status: 'open',
      priority: policy.priority,
      assigneeId: null,
      createdAt,
      dueAt: created.dueAt,
      informationDueAt: null,
      escalated: false,
      firstDecision: null,
      finalDecision: null,
      cancelReason: null,
      closedAt: null,
    };
    await commit(initial, { type: 'created', actor: 'system', detail: { dueAt: created.dueAt } }, background);

    for (;;) {
      if (isClosed()) break;
      if (withdrawRequested) {
        await lock.runExclusive(() => closeWithout('withdrawn'));
        break;
      }
      const s = requireTask();
      if (s.status === 'information_requested') {
        const left = Date.parse(s.informationDueAt!) - Date.now();
        const changed = await condition(
          () => withdrawRequested || requireTask().status !== 'information_requested',
          atLeast(1, left),
        );
        if (!changed) {
          // Seven days of silence: the case closes as abandoned.
          await lock.runExclusive(async () => {
            if (requireTask().status === 'information_requested') await closeWithout('abandoned');
          });
        }
        continue;
      }
      if (s.queue === 'review' && s.status === 'open' && !s.escalated) {
        const left = Date.parse(s.dueAt) - Date.now();
        const dueAt = s.dueAt;
        const changed =
          left > 0 &&
          (await condition(
            () =>
              withdrawRequested ||
              isClosed() ||
              requireTask().status !== 'open' ||
              requireTask().queue !== 'review' ||
              requireTask().dueAt !== dueAt,
            left,
          ));
        if (!changed) {
          // The due time passed undecided: the task goes to the senior queue, with a notice.
          await lock.runExclusive(async () => {
            const now2 = requireTask();
            if (now2.status !== 'open' || now2.queue !== 'review') return;
            await commit(
              { ...now2, queue: 'senior-review', escalated: true, assigneeId: null },
              { type: 'escalated', actor: 'system', detail: { from: 'review', to: 'senior-review' } },
              background,
            );
          });
        }
        continue;
      }
      // Nothing timed to do: wait for the next change.
      const before = requireTask();
      await condition(() => withdrawRequested || isClosed() || requireTask() !== before);
    }

    const last = requireTask();
    if (last.status === 'cancelled')
      return { kind: last.cancelReason === 'withdrawn' ? 'withdrawn' : 'abandoned' };
    const d = last.finalDecision!;
    return {
      kind: 'decided',
      decision: d.decision,
      reasonCode: d.reasonCode,
      decidedBy: d.decidedBy,
      approvedBy: d.approvedBy,
    };
  };

  const outcome = run();

  return {
    current: () => state,
    outcome,
    async withdraw(): Promise<void> {
      withdrawRequested = true;
      await condition(isClosed);
    },
  };
}
