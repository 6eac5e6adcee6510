/**
 * Personal verification by face recognition (RN-6, RN-4, RN-5, RN-1, RN-2) as a durable workflow.
 *
 *   opening ──session opened──▶ awaiting_liveness ──faceResult: passed──▶ record ──▶ verified
 *                                    │                                     └─RN-1/RN-2/RN-5─▶ refused
 *                                    ├──faceResult: an RN-6 reason──▶ failed (the user may try again)
 *                                    └──30 minutes, no result (the provider asked once more)──▶ expired
 *
 * ID `personal-verification:<accountId>`; another attempt is a new run. The input carries IDs
 * only: the name and ID number stay sealed in the database and only the activities open them.
 */
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  isCancellation,
  log,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { PersonalVerificationActivities } from '../activities/personal-verification.activities';
import {
  FACE_RESULT_WAIT_MS,
  type FaceOutcome,
  type PersonalVerificationState,
  type PersonalVerificationStatus,
} from '../libs/domain/src/personal-verification';
import {
  isFaceResultSignal,
  personalQueries,
  personalSignals,
  searchAttributes,
  type PersonalVerificationInput,
} from '../libs/temporal/src/contract';

/** One database write or one call to the face service each: short tries, retried until done. */
const acts = proxyActivities<PersonalVerificationActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function personalVerificationWorkflow(
  input: PersonalVerificationInput,
): Promise<PersonalVerificationState> {
  const state: PersonalVerificationState = {
    verificationId: input.verificationId,
    accountId: input.accountId,
    status: 'opening',
    session: null,
    failureReason: null,
    refusal: null,
    closedAt: null,
  };
  let outcome: FaceOutcome | undefined;

  const snapshot = (): PersonalVerificationState => ({
    ...state,
    session: state.session ? { ...state.session } : null,
    refusal: state.refusal ? { ...state.refusal } : null,
  });
  const record = (): Promise<void> => acts.recordPersonalVerificationState({ state: snapshot() });
  const setStatus = (status: PersonalVerificationStatus): void => {
    state.status = status;
    upsertSearchAttributes([{ key: searchAttributes.caseStatus, value: status }]);
  };

  setHandler(personalQueries.state, snapshot);
  setHandler(personalSignals.faceResult, (signal) => {
    // A malformed or foreign signal is dropped here: a failing workflow task would stall the run.
    if (!isFaceResultSignal(signal)) {
      log.warn('faceResult signal ignored: malformed');
      return;
    }
    if (!state.session || signal.sessionId !== state.session.sessionId) {
      log.warn('faceResult signal ignored: not this run’s session');
      return;
    }
    // The service may report twice; the first report counts.
    outcome ??= signal.outcome;
  });

  /** Records the end first, then shows it: whoever reads the end from the query finds it in the table too. */
  const close = async (status: PersonalVerificationStatus): Promise<PersonalVerificationState> => {
    const closedAt = new Date(Date.now()).toISOString();
    await acts.recordPersonalVerificationState({ state: { ...snapshot(), status, closedAt } });
    setStatus(status);
    state.closedAt = closedAt;
    await condition(allHandlersFinished);
    return snapshot();
  };

  try {
    await record();
    const session = await acts.openFaceSession({ verificationId: state.verificationId });
    state.session = session;
    setStatus('awaiting_liveness');
    await record();

    // RN-6: the provider answers by its signed callback; without one in time, it is asked once.
    if (!(await condition(() => outcome !== undefined, FACE_RESULT_WAIT_MS))) {
      const asked = await acts.fetchFaceResult({ verificationId: state.verificationId });
      if (asked === null) return await close('expired');
      outcome ??= asked;
    }
    const result = outcome as FaceOutcome;
    if (result !== 'passed') {
      state.failureReason = result;
      return await close('failed');
    }
    // RN-1, RN-2 (and RN-5's direction) are decided where the record is written.
    const recorded = await acts.recordPersonalIdentity({ verificationId: state.verificationId });
    if (recorded.refusal) {
      state.refusal = recorded.refusal;
      return await close('refused');
    }
    return await close('verified');
  } catch (err) {
    if (isCancellation(err)) {
      await CancellationScope.nonCancellable(() => close('cancelled'));
    }
    throw err;
  }
}
