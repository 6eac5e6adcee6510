/**
 * Enterprise deposit verification (RN-7, RN-8, RN-11) as a durable workflow.
 *
 *   payout_pending ──payoutLanded──▶ awaiting_amount ──right amount──▶ verified
 *        │  │                              │  ├──2nd wrong amount──▶ failed
 *        │  └─withdraw (update)─▶ withdrawn │  └──7 days, no right amount──▶ expired
 *        └─15 days, nothing landed─▶ payout_not_received
 *
 * Deterministic code only: Temporal APIs, the contract and pure rule constants.
 */
import { Mutex } from 'async-mutex';
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  log,
  patched,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { VerificationActivities } from '../activities/verification.activities';
import {
  DEPOSIT_AMOUNT_WINDOW_MS,
  DEPOSIT_MAX_ATTEMPTS,
  DEPOSIT_MAX_FEN,
  DEPOSIT_MIN_FEN,
  DEPOSIT_PAYOUT_WAIT_MS,
  type AmountEntryResult,
  type DepositStatus,
  type DepositVerificationState,
} from '../libs/domain/src/deposit-verification';
import {
  DEPOSIT_PATCHES,
  DEPOSIT_UPDATE_REJECTIONS,
  depositQueries,
  depositSignals,
  depositUpdates,
  isLandedSignal,
  searchAttributes,
  type DepositVerificationInput,
  type PayoutLandedSignal,
} from '../libs/temporal/src/contract';
import { proxyActivitiesWithSummaries, type ActivitySummaries } from './activity-summaries';

/** The steps as the Web UI's timeline shows them (issue 12 §2). */
const SUMMARIES: ActivitySummaries<VerificationActivities> = {
  requestDepositPayout: 'Send the small payout to the company bank account',
  checkDepositAmount: 'Check the amount the owner entered',
  markEnterpriseVerified: 'Make the account enterprise-verified (RN-11)',
  recordDepositState: 'Record the verification state for the owner',
};

const acts = proxyActivitiesWithSummaries<VerificationActivities>(
  {
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
  },
  SUMMARIES,
);
/**
 * The same activities with a short start-to-close timeout (patch shortActivityTimeouts): each is
 * one database write or one bank call, so a try that has not finished in 10 seconds is on a worker
 * that died, and the next try starts on another one.
 */
const quickActs = proxyActivitiesWithSummaries<VerificationActivities>(
  {
    startToCloseTimeout: '10 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
  },
  SUMMARIES,
);

/**
 * Activities of an amount entry (patch boundedEntryActivities): the caller is waiting, so every
 * try is short. The check has a bound in all; past it the entry fails `entry_unavailable` and
 * spends nothing, so the owner simply tries again.
 */
const entryCheck = proxyActivitiesWithSummaries<VerificationActivities>(
  {
    startToCloseTimeout: '10 seconds',
    scheduleToCloseTimeout: '1 minute',
    retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '5 seconds' },
  },
  SUMMARIES,
);
/**
 * What follows a checked amount must happen (a right amount verifies the account, RN-11): short
 * tries, retried until done, so a lost worker is noticed in seconds rather than a minute.
 */
const entryEffects = proxyActivitiesWithSummaries<VerificationActivities>(
  {
    startToCloseTimeout: '10 seconds',
    retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
  },
  SUMMARIES,
);

/** The rule and code of an activity's non-retryable RuleViolationError, or null for any other failure. */
function ruleRefusal(err: unknown): { rule: string; code: string } | null {
  const cause = err instanceof ActivityFailure ? err.cause : undefined;
  if (!(cause instanceof ApplicationFailure) || cause.type !== 'RuleViolationError') return null;
  const details = (cause.details?.[0] ?? {}) as Record<string, unknown>;
  return typeof details.rule === 'string' && typeof details.code === 'string'
    ? { rule: details.rule, code: details.code }
    : null;
}

function reject(type: string, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

export async function depositVerificationWorkflow(
  input: DepositVerificationInput,
): Promise<DepositVerificationState> {
  const state: DepositVerificationState = {
    verificationId: input.verificationId,
    accountId: input.accountId,
    status: 'payout_pending',
    attemptsLeft: DEPOSIT_MAX_ATTEMPTS,
    deadline: null,
    payoutRequestedAt: null,
    landedAt: null,
    appealAvailableFrom: null,
    maskedAccountNumber: input.maskedAccountNumber,
    closedAt: null,
  };
  // Versioned change: runs started before it replay the original entry handler.
  const boundedEntries = patched(DEPOSIT_PATCHES.boundedEntryActivities);
  const main = patched(DEPOSIT_PATCHES.shortActivityTimeouts) ? quickActs : acts;
  const withdrawWins = patched(DEPOSIT_PATCHES.withdrawWinsLanding);
  const refusedEnds = patched(DEPOSIT_PATCHES.refusedAtCompletion);
  let landed: PayoutLandedSignal | undefined;
  let withdrawRequested = false;
  let deadlineMs = Number.POSITIVE_INFINITY;
  /** Amount entries run one at a time, in arrival order (the SDK's recommended handler lock). */
  const entries = new Mutex();

  const snapshot = (): DepositVerificationState => ({
    ...state,
    ...(state.refusal ? { refusal: { ...state.refusal } } : {}),
  });

  const setStatus = (status: DepositStatus): void => {
    state.status = status;
    upsertSearchAttributes([{ key: searchAttributes.caseStatus, value: status }]);
  };

  const record = (): Promise<void> => main.recordDepositState({ state: snapshot() });

  /**
   * RN-8 (patch boundedEntryActivities): the amount is checked first, with a bounded timeout;
   * only a checked amount spends one of the two attempts. Entries run one at a time (entryQueue).
   */
  const enterChecked = async (amountFen: number): Promise<AmountEntryResult> => {
    let matched: boolean;
    try {
      matched = await entryCheck.checkDepositAmount({ verificationId: state.verificationId, amountFen });
    } catch (err) {
      if (isCancellation(err)) throw err;
      reject(
        DEPOSIT_UPDATE_REJECTIONS.entryUnavailable,
        'the amount could not be checked now; no attempt was spent',
      );
    }
    state.attemptsLeft -= 1;
    if (matched) {
      try {
        await entryEffects.markEnterpriseVerified({ verificationId: state.verificationId });
      } catch (err) {
        // Patch refusedAtCompletion: a rule that refuses the account where the record is written
        // (RN-2's limit, RN-1, RN-3) ends the run `refused`, naming it. The entry is still answered
        // with the rule's refusal; the main coroutine then closes the run.
        const refusal = refusedEnds ? ruleRefusal(err) : null;
        if (refusal) {
          state.refusal = refusal;
          setStatus('refused');
        }
        throw err;
      }
      setStatus('verified');
      return { outcome: 'verified', attemptsLeft: state.attemptsLeft };
    }
    if (state.attemptsLeft <= 0) {
      setStatus('failed');
      return { outcome: 'failed', attemptsLeft: 0 };
    }
    await entryEffects.recordDepositState({ state: snapshot() });
    return { outcome: 'wrong_amount', attemptsLeft: state.attemptsLeft };
  };

  setHandler(depositQueries.state, snapshot);

  setHandler(depositSignals.payoutLanded, (signal) => {
    // Signals have no validator: a malformed one (an operator's typo) is dropped here, or every
    // workflow task would fail on it. The bank's webhook and the runbook send ISO times.
    if (!isLandedSignal(signal)) {
      log.warn('payoutLanded signal ignored: landedAt must be an ISO date-time', { signal });
      return;
    }
    // The bank may report twice; the first report counts.
    if (!landed && state.status === 'payout_pending') landed = signal;
  });

  /**
   * The status an update is judged on: a landed signal that arrived in the same workflow task
   * counts, although the main coroutine has not yet moved the status on.
   */
  const effectiveStatus = (): DepositStatus =>
    state.status === 'payout_pending' && landed && !withdrawRequested ? 'awaiting_amount' : state.status;

  setHandler(
    depositUpdates.withdraw,
    () => {
      withdrawRequested = true;
      return snapshot();
    },
    {
      validator: () => {
        if (state.status !== 'payout_pending' || landed || withdrawRequested) {
          reject(
            DEPOSIT_UPDATE_REJECTIONS.notWithdrawable,
            `cannot withdraw a verification in status ${state.status}`,
          );
        }
      },
    },
  );

  setHandler(
    depositUpdates.submitAmount,
    async ({ amountFen }): Promise<AmountEntryResult> =>
      entries.runExclusive(async (): Promise<AmountEntryResult> => {
        // Accepted on a landing seen in the same task: wait until the main coroutine applied it.
        await condition(() => state.status !== 'payout_pending');
        if (state.status !== 'awaiting_amount') {
          reject(DEPOSIT_UPDATE_REJECTIONS.notAwaitingAmount, `the verification is ${state.status}`);
        }
        if (boundedEntries) return enterChecked(amountFen);
        // RN-8: every well-formed entry spends one of the two attempts.
        state.attemptsLeft -= 1;
        const matched = await acts.checkDepositAmount({ verificationId: state.verificationId, amountFen });
        if (matched) {
          await acts.markEnterpriseVerified({ verificationId: state.verificationId });
          setStatus('verified');
          return { outcome: 'verified', attemptsLeft: state.attemptsLeft };
        }
        if (state.attemptsLeft <= 0) {
          setStatus('failed');
          return { outcome: 'failed', attemptsLeft: 0 };
        }
        await record();
        return { outcome: 'wrong_amount', attemptsLeft: state.attemptsLeft };
      }),
    {
      // Malformed input is refused before it is written to history: no attempt is spent.
      validator: ({ amountFen }) => {
        if (
          typeof amountFen !== 'number' ||
          !Number.isInteger(amountFen) ||
          amountFen < DEPOSIT_MIN_FEN ||
          amountFen > DEPOSIT_MAX_FEN
        ) {
          reject(
            DEPOSIT_UPDATE_REJECTIONS.malformedAmount,
            `amountFen must be a whole number of fen from ${DEPOSIT_MIN_FEN} to ${DEPOSIT_MAX_FEN}`,
          );
        }
        if (effectiveStatus() !== 'awaiting_amount' || Date.now() >= deadlineMs) {
          reject(DEPOSIT_UPDATE_REJECTIONS.notAwaitingAmount, `the verification is ${state.status}`);
        }
      },
    },
  );

  const close = async (status: DepositStatus, at = Date.now()): Promise<DepositVerificationState> => {
    if (state.status !== status) setStatus(status);
    state.closedAt = new Date(at).toISOString();
    await record();
    return snapshot();
  };

  try {
    await record();
    const payout = await main.requestDepositPayout({ verificationId: state.verificationId });
    state.payoutRequestedAt = payout.payoutRequestedAt;
    state.appealAvailableFrom = payout.appealAvailableFrom;
    await record();

    const arrived = await condition(() => landed !== undefined || withdrawRequested, DEPOSIT_PAYOUT_WAIT_MS);
    // A withdraw is accepted only while nothing has landed (its validator), so when both are
    // set the owner was told first: it stays withdrawn, whatever order the handlers ran in.
    if (!landed || (withdrawWins && withdrawRequested)) {
      const result = await close(arrived ? 'withdrawn' : 'payout_not_received');
      await condition(allHandlersFinished);
      return result;
    }

    // RN-8: 7 days and 2 attempts, counted from the moment the payout landed.
    state.landedAt = landed.landedAt;
    deadlineMs = Date.parse(landed.landedAt) + DEPOSIT_AMOUNT_WINDOW_MS;
    state.deadline = new Date(deadlineMs).toISOString();
    setStatus('awaiting_amount');
    await record();

    const remaining = deadlineMs - Date.now();
    if (remaining > 0) await condition(() => state.status !== 'awaiting_amount', remaining);
    // An entry accepted before the deadline is still answered.
    await condition(allHandlersFinished);
    // An expiry happened at the deadline itself, whenever the timer's task ran.
    return state.status === 'awaiting_amount'
      ? await close('expired', deadlineMs)
      : await close(state.status);
  } catch (err) {
    if (isCancellation(err)) {
      // An operator cancelled the workflow: record it, then end as cancelled.
      await CancellationScope.nonCancellable(() => close('cancelled'));
    }
    throw err;
  }
}
