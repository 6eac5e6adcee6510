/**
 * Enterprise recharge verification (RN-7, RN-9, RN-11) as a durable workflow.
 *
 *   awaiting_payment ──matching payment──▶ verified
 *        │   │                    └──RN-1/RN-2 refuse at completion──▶ refused
 *        │   └──payment that does not match: counted, credited all the same, still waiting
 *        └──7 days without a matching payment──▶ expired
 *
 * The platform issued a random sum under 1 CNY (in the database, never in history); the bank's
 * webhook credits every payment into the account's collection account and signals its ID here.
 * Deterministic code only: Temporal APIs, the contract and pure rule constants.
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
import type { RechargeActivities } from '../activities/recharge.activities';
import {
  RECHARGE_PAYMENT_WINDOW_MS,
  type RechargeStatus,
  type RechargeVerificationState,
} from '../libs/domain/src/recharge-verification';
import {
  isPaymentArrivedSignal,
  rechargeQueries,
  rechargeSignals,
  searchAttributes,
  type PaymentArrivedSignal,
  type RechargeVerificationInput,
} from '../libs/temporal/src/contract';

/** Each activity is one database transaction: short tries, retried until done. */
const acts = proxyActivities<RechargeActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export async function rechargeVerificationWorkflow(
  input: RechargeVerificationInput,
): Promise<RechargeVerificationState> {
  const state: RechargeVerificationState = {
    verificationId: input.verificationId,
    accountId: input.accountId,
    status: 'awaiting_payment',
    deadline: null,
    unmatchedPayments: 0,
    paidAt: null,
    confirmBy: null,
    refusal: null,
    closedAt: null,
  };
  /** Payments reported and not yet looked at, in arrival order; each payment once. */
  const pending: PaymentArrivedSignal[] = [];
  const seen = new Set<string>();

  const snapshot = (): RechargeVerificationState => ({
    ...state,
    refusal: state.refusal ? { ...state.refusal } : null,
  });
  const setStatus = (status: RechargeStatus): void => {
    state.status = status;
    upsertSearchAttributes([{ key: searchAttributes.caseStatus, value: status }]);
  };
  const record = (): Promise<void> => acts.recordRechargeState({ state: snapshot() });
  const close = async (status: RechargeStatus, at = Date.now()): Promise<RechargeVerificationState> => {
    if (state.status !== status) setStatus(status);
    state.closedAt = new Date(at).toISOString();
    await record();
    return snapshot();
  };

  setHandler(rechargeQueries.state, snapshot);

  setHandler(rechargeSignals.paymentArrived, (signal) => {
    // Signals have no validator: a malformed one is dropped here, never a failing workflow task.
    if (!isPaymentArrivedSignal(signal)) {
      log.warn('paymentArrived signal ignored: a payment ID and an ISO arrival time are needed', {
        signal,
      });
      return;
    }
    // The bank may report a payment twice (a webhook retried); it is looked at once.
    if (seen.has(signal.paymentId)) return;
    seen.add(signal.paymentId);
    pending.push(signal);
  });

  try {
    // RN-9: 7 days from the issue of the sum.
    const deadlineMs = Date.now() + RECHARGE_PAYMENT_WINDOW_MS;
    state.deadline = new Date(deadlineMs).toISOString();
    await record();

    while (state.status === 'awaiting_payment') {
      const next = pending.shift();
      if (!next) {
        const remaining = deadlineMs - Date.now();
        if (remaining <= 0) break;
        await condition(() => pending.length > 0, remaining);
        continue;
      }
      const match = await acts.matchRechargePayment({
        verificationId: state.verificationId,
        paymentId: next.paymentId,
      });
      if (match.outcome !== 'match') {
        // Not a match (wrong sum, another payer's name, late…): the money is credited anyway.
        state.unmatchedPayments += 1;
        await record();
        continue;
      }
      // RN-7: confirmed within 1 business day of the money arriving; here, at once.
      state.paidAt = next.arrivedAt;
      state.confirmBy = match.confirmBy;
      const done = await acts.completeRechargeVerification({
        verificationId: state.verificationId,
        paymentId: next.paymentId,
      });
      if (done.outcome === 'verified') {
        setStatus('verified');
      } else {
        state.refusal = { rule: done.rule, code: done.code };
        setStatus('refused');
      }
    }

    await condition(allHandlersFinished);
    // An expiry happened at the deadline itself, whenever the timer's task ran.
    return state.status === 'awaiting_payment'
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
