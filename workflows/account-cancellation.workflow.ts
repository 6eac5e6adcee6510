/**
 * Account cancellation (issue 10: CAN-1 … CAN-8) as a durable workflow:
 *
 *   checking ─blockers─▶ rejected (with the reasons: CAN-1, CAN-7)
 *      │ risk flag ─▶ in_review (human task) ─reject─▶ rejected
 *      ▼
 *   cooling_off (default 15 days; the owner may withdraw) ─▶ final check ─blockers─▶ rejected
 *      ▼
 *   executing: result told (CAN-6) → cancelled + sessions revoked (CAN-2) → sign-up methods
 *   released (CAN-3, CAN-4) → data erased (CAN-5) → closed histories deleted ─▶ cancelled
 *
 * ID `account-cancellation:<accountId>`; a new application after a rejection is a new run. Every
 * execution step is an idempotent activity, so a worker lost at any point resumes without erasing
 * twice or leaving the account half-cancelled.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { CancellationActivities } from '../activities/cancellation.activities';
import type { CancellationExecutionActivities } from '../activities/cancellation-execution.activities';
import { proxyActivitiesWithSummaries, type ActivitySummaries } from './activity-summaries';
import type { CancellationStatus } from '../libs/domain/src/cancellation';
import {
  cancellationQueries,
  cancellationUpdates,
  searchAttributes,
  type AccountCancellationInput,
  type AccountCancellationState,
} from '../libs/temporal/src/contract';
import { humanReview, type HumanReview } from './human-task';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The cancellation's steps as the Web UI's timeline shows them (issue 12 §2). */
const CANCELLATION_SUMMARIES: ActivitySummaries<CancellationActivities> = {
  checkCancellationEligibility: 'Check the account can be cancelled (CAN-1)',
  cancellationRiskFlags: 'Look for risk flags that need a reviewer',
  recordCancellation: 'Record the application state',
  notifyCancellationResult: 'Tell the owner the result (CAN-6)',
};
const EXECUTION_SUMMARIES: ActivitySummaries<CancellationExecutionActivities> = {
  markAccountCancelled: 'Mark the account cancelled and end its sessions',
  releaseSignUpMethods: 'Release the sign-up methods (ACC-6)',
  eraseAccountData: "Erase the account's data and destroy its data key (CAN-5)",
  deleteClosedWorkflowHistories: "Delete the account's closed workflow histories (CAN-5)",
};

const acts = proxyActivitiesWithSummaries<CancellationActivities>(
  {
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  },
  CANCELLATION_SUMMARIES,
);
/** Execution steps: retried until done (each is idempotent); a lost worker costs one timeout. */
const exec = proxyActivitiesWithSummaries<CancellationExecutionActivities>(
  {
    startToCloseTimeout: '2 minutes',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  },
  EXECUTION_SUMMARIES,
);

const WITHDRAWABLE: readonly CancellationStatus[] = ['checking', 'in_review', 'cooling_off'];

export async function accountCancellationWorkflow(
  input: AccountCancellationInput,
): Promise<AccountCancellationState> {
  const state: AccountCancellationState = {
    applicationId: input.applicationId,
    accountId: input.accountId,
    status: 'checking',
    blockers: null,
    riskFlags: [],
    task: null,
    reasonCode: null,
    coolingOffEndsAt: null,
    closedAt: null,
  };
  let withdrawRequested = false;
  let review: HumanReview | null = null;
  /** Set once the closing state is recorded. */
  let finished = false;
  const snapshot = (): AccountCancellationState => ({
    ...state,
    blockers: state.blockers ? [...state.blockers] : null,
    riskFlags: [...state.riskFlags],
    task: state.task ? { ...state.task } : null,
  });
  const record = (): Promise<void> => acts.recordCancellation({ state: snapshot() });
  const setStatus = async (status: CancellationStatus): Promise<void> => {
    state.status = status;
    upsertSearchAttributes([{ key: searchAttributes.caseStatus, value: status }]);
    await record();
  };

  setHandler(cancellationQueries.state, snapshot);
  setHandler(
    cancellationUpdates.withdraw,
    async () => {
      withdrawRequested = true;
      const task = review?.current();
      if (review && task && task.status !== 'completed' && task.status !== 'cancelled')
        await review.withdraw();
      // Answered once the end is recorded, so the owner's next read shows it.
      await condition(() => finished);
      return snapshot();
    },
    {
      validator: () => {
        if (!WITHDRAWABLE.includes(state.status) || withdrawRequested) {
          throw ApplicationFailure.create({
            type: 'not_withdrawable',
            message: `The application is ${state.status} and can no longer be withdrawn`,
            nonRetryable: true,
          });
        }
      },
    },
  );

  const close = async (
    status: 'rejected' | 'withdrawn' | 'cancelled',
    reasons: { blockers?: AccountCancellationState['blockers']; reasonCode?: string | null } = {},
  ): Promise<AccountCancellationState> => {
    state.blockers = reasons.blockers ?? state.blockers;
    state.reasonCode = reasons.reasonCode ?? state.reasonCode;
    if (status !== 'cancelled') {
      // CAN-6: the owner hears the result on the security phone and email.
      await acts.notifyCancellationResult({
        applicationId: state.applicationId,
        accountId: state.accountId,
        outcome: status,
        reasonCode: state.reasonCode,
        blockers: state.blockers,
      });
    }
    state.closedAt = new Date(Date.now()).toISOString();
    await setStatus(status);
    finished = true;
    await condition(allHandlersFinished);
    return snapshot();
  };

  await record();
  // CAN-1, again inside the process: something may have appeared since the owner applied.
  const blockers = await acts.checkCancellationEligibility({ accountId: state.accountId });
  if (blockers.length > 0) return close('rejected', { blockers, reasonCode: 'conditions_unmet' });
  if (withdrawRequested) return close('withdrawn');

  state.riskFlags = await acts.cancellationRiskFlags({ accountId: state.accountId });
  if (state.riskFlags.length > 0) {
    await setStatus('in_review');
    review = humanReview({
      caseId: state.applicationId,
      kind: 'account-cancellation',
      accountId: state.accountId,
      onChange: (task) => {
        state.task = task;
      },
    });
    const outcome = await review.outcome;
    switch (outcome.kind) {
      case 'withdrawn':
        return close('withdrawn');
      case 'abandoned':
        return close('rejected', { reasonCode: 'no_answer_in_7_days' });
      case 'decided':
        if (outcome.decision === 'reject') return close('rejected', { reasonCode: outcome.reasonCode });
        break;
    }
  }
  if (withdrawRequested) return close('withdrawn');

  // The cooling-off: the owner sees how long is left and may still withdraw.
  const coolingMs = input.coolingOffDays * DAY_MS;
  state.coolingOffEndsAt = new Date(Date.now() + coolingMs).toISOString();
  await setStatus('cooling_off');
  if (coolingMs > 0) {
    if (await condition(() => withdrawRequested, coolingMs)) return close('withdrawn');
  }
  if (withdrawRequested) return close('withdrawn');

  const finalBlockers = await acts.checkCancellationEligibility({ accountId: state.accountId });
  if (finalBlockers.length > 0)
    return close('rejected', { blockers: finalBlockers, reasonCode: 'conditions_unmet' });

  await setStatus('executing');
  // CAN-6: told before any contact data is erased.
  await acts.notifyCancellationResult({
    applicationId: state.applicationId,
    accountId: state.accountId,
    outcome: 'approved',
    reasonCode: null,
    blockers: null,
  });
  await exec.markAccountCancelled({ accountId: state.accountId, applicationId: state.applicationId });
  await exec.releaseSignUpMethods({ accountId: state.accountId });
  await exec.eraseAccountData({ accountId: state.accountId });
  await exec.deleteClosedWorkflowHistories({ accountId: state.accountId });
  return close('cancelled');
}
