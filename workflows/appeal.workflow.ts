/**
 * A manual appeal (issue 9 §3: CON-1b, AS-2, MFA-5, LOG-1, RN-8) as a durable workflow:
 *
 *   prepare checks ─▶ human review (inbox task, SLA, four eyes) ─┬─ approved ─▶ apply ─▶ approved
 *                                                                 │                └─ rule fails ─▶ rejected
 *                                                                 ├─ rejected ─────────────────────▶ rejected
 *                                                                 ├─ withdrawn by the applicant ───▶ withdrawn
 *                                                                 └─ 7 days without an answer ─────▶ abandoned
 *
 * One workflow ID per account and kind (`appeal:<kind>:<accountId>`), so one open case of a kind.
 * History holds IDs and codes only; what the applicant sent is sealed in the database.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  ParentClosePolicy,
  patched,
  setHandler,
  sleep,
  startChild,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { AppealActivities } from '../activities/appeal.activities';
import { proxyActivitiesWithSummaries, type ActivitySummaries } from './activity-summaries';
import type { AppealStatus, ReviewTaskState } from '../libs/domain/src/review';
import {
  CASE_TYPES,
  reviewQueries,
  reviewUpdates,
  searchAttributes,
  WORKFLOW_TYPES,
  type AppealInput,
  type AppealState,
  type DepositVerificationInput,
} from '../libs/temporal/src/contract';
import { processSummaries } from '../libs/temporal/src/summaries';
import { humanReview } from './human-task';

/** The appeal's steps as the Web UI's timeline shows them (issue 12 §2). */
const APPEAL_SUMMARIES: ActivitySummaries<AppealActivities> = {
  prepareAppeal: 'Check the appeal and gather what the reviewers need',
  applyAppealOutcome: 'Apply the approved appeal to the account',
  preparePayoutRerun: 'Prepare the payout sent again (payout appeal)',
  recordPayoutRerun: 'Record the new verification run of the payout',
  closeAppeal: 'Close the case and tell the applicant',
};

const acts = proxyActivitiesWithSummaries<AppealActivities>(
  {
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  },
  APPEAL_SUMMARIES,
);

/** How long a payout rerun waits for the appealed run to close before it starts the new one. */
const RERUN_START_TRIES = 60;

const STATUS_OF_TASK: Record<ReviewTaskState['status'], AppealStatus | null> = {
  open: 'in_review',
  information_requested: 'information_requested',
  awaiting_second_approval: 'awaiting_second_approval',
  completed: null,
  cancelled: null,
};

export async function appealWorkflow(input: AppealInput): Promise<AppealState> {
  const state: AppealState = {
    caseId: input.caseId,
    kind: input.kind,
    accountId: input.accountId,
    status: 'in_review',
    task: null,
    reasonCode: null,
    closedAt: null,
  };
  const snapshot = (): AppealState => ({ ...state, task: state.task ? { ...state.task } : null });
  const setStatus = (status: AppealStatus): void => {
    if (state.status === status) return;
    state.status = status;
    upsertSearchAttributes([{ key: searchAttributes.caseStatus, value: status }]);
  };
  setHandler(reviewQueries.state, snapshot);

  await acts.prepareAppeal({ caseId: input.caseId });

  const review = humanReview({
    caseId: input.caseId,
    kind: input.kind,
    accountId: input.accountId,
    onChange: (task) => {
      state.task = task;
      const status = STATUS_OF_TASK[task.status];
      if (status) setStatus(status);
    },
  });

  setHandler(
    reviewUpdates.withdraw,
    async () => {
      await review.withdraw();
      await condition(() => state.closedAt !== null);
      return snapshot();
    },
    {
      validator: () => {
        const task = review.current();
        if (!task || task.status === 'completed' || task.status === 'cancelled') {
          throw ApplicationFailure.create({
            type: 'not_withdrawable',
            message: `The case is ${state.status} and can no longer be withdrawn`,
            nonRetryable: true,
          });
        }
      },
    },
  );

  const close = async (status: AppealStatus, reasonCode: string | null): Promise<AppealState> => {
    setStatus(status);
    state.reasonCode = reasonCode;
    const closedAt = new Date(Date.now()).toISOString();
    await acts.closeAppeal({ caseId: input.caseId, status, reasonCode, closedAt });
    state.closedAt = closedAt;
    await condition(allHandlersFinished);
    return snapshot();
  };

  const outcome = await review.outcome;
  switch (outcome.kind) {
    case 'withdrawn':
      return close('withdrawn', null);
    case 'abandoned':
      return close('abandoned', 'no_answer_in_7_days');
    case 'decided':
      break;
  }
  if (outcome.decision === 'reject') return close('rejected', outcome.reasonCode);

  setStatus('applying');
  if (input.kind === 'payout-appeal') {
    const refused = await rerunPayout(input.caseId);
    return refused ? close('rejected', refused) : close('approved', outcome.reasonCode);
  }
  const applied = await acts.applyAppealOutcome({ caseId: input.caseId });
  return applied.applied ? close('approved', outcome.reasonCode) : close('rejected', applied.reasonCode);
}

/**
 * RN-8 appeal approved: the payout is sent again as a new verification run on the same details.
 * The appealed run is cancelled if it is still waiting (it records itself as cancelled), then the
 * new run starts under the account's verification ID once the old one has closed. Returns a
 * reason code when a rerun no longer applies.
 */
async function rerunPayout(caseId: string): Promise<string | null> {
  const rerun = await acts.preparePayoutRerun({ caseId });
  if ('refused' in rerun) return rerun.refused;
  if (rerun.oldRunId) {
    try {
      await getExternalWorkflowHandle(rerun.workflowId, rerun.oldRunId).cancel();
    } catch (err) {
      // Already closed: nothing to cancel.
      if (isCancellation(err)) throw err;
    }
  }
  const args: DepositVerificationInput = {
    verificationId: rerun.verificationId,
    accountId: rerun.accountId,
    maskedAccountNumber: rerun.maskedAccountNumber,
  };
  // Issue 12 §2: the rerun says what it is in the Web UI (user metadata of the start command, so
  // behind a patch for appeals already past this point).
  const summary = patched('appeal-rerun-static-summary-v1')
    ? processSummaries.depositRerun({
        verificationId: rerun.verificationId,
        accountId: rerun.accountId,
        caseId,
      })
    : {};
  for (let attempt = 1; ; attempt += 1) {
    try {
      const child = await startChild(WORKFLOW_TYPES.depositVerification, {
        workflowId: rerun.workflowId,
        args: [args],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        memo: { verificationId: rerun.verificationId },
        typedSearchAttributes: [
          { key: searchAttributes.accountId, value: String(rerun.accountId) },
          { key: searchAttributes.caseType, value: CASE_TYPES.depositVerification },
          { key: searchAttributes.caseStatus, value: 'payout_pending' },
        ],
        ...summary,
      });
      await acts.recordPayoutRerun({
        caseId,
        verificationId: rerun.verificationId,
        runId: child.firstExecutionRunId,
      });
      return null;
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError) || attempt >= RERUN_START_TRIES) throw err;
      // The cancelled run is still recording its end.
      await sleep('5 seconds');
    }
  }
}
