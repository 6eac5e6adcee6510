import { type MikroORM } from '@mikro-orm/core';
import type { BusinessCalendar } from '../libs/domain/src/business-days';
import type { Clock } from '../libs/domain/src/clock';
import { NotFoundError, RuleViolationError } from '../libs/domain/src/errors';
import {
  RECHARGE_CONFIRM_BUSINESS_DAYS,
  isOpenRechargeStatus,
  isRechargeChannel,
  sameHolderName,
  type RechargeMismatch,
  type RechargeVerificationState,
} from '../libs/domain/src/recharge-verification';
import type { SecretBox } from '../libs/domain/src/secret-box';
import { IncomingPayment, RechargeVerification } from '../libs/persistence/src/entities';
import { recordEnterpriseVerification } from '../libs/persistence/src/real-name-records';
import { withDomainFailures } from './domain-failures';

export interface RechargeActivityDeps {
  orm: MikroORM;
  clock: Clock;
  calendar: BusinessCalendar;
  /** The data SecretBox (RN-2's counter key). */
  dataBox: SecretBox;
}

export type PaymentMatch = { outcome: 'match'; confirmBy: string } | { outcome: RechargeMismatch };

export type RechargeCompletion =
  { outcome: 'verified' } | { outcome: 'refused'; rule: string; code: string; message: string };

export function createRechargeActivities(deps: RechargeActivityDeps) {
  return withDomainFailures({
    /**
     * RN-9: whether a payment into the account is the issued sum, from an account in the
     * enterprise's name, through a listed channel, within the 7 days. Names and sums never
     * leave this activity; the workflow learns the outcome only. A match is confirmed by
     * arrival + 1 business day (RN-7).
     */
    async matchRechargePayment(input: { verificationId: string; paymentId: string }): Promise<PaymentMatch> {
      const em = deps.orm.em.fork();
      const v = await em.findOne(RechargeVerification, { id: input.verificationId });
      if (!v) throw new NotFoundError('Recharge verification');
      // Another account's payment is not found: it can never verify this one.
      const p = await em.findOne(IncomingPayment, { id: input.paymentId, account: v.account.id });
      if (!p) throw new NotFoundError('Incoming payment');
      if (p.arrivedAt.getTime() < v.createdAt.getTime() || p.arrivedAt.getTime() > v.deadline.getTime()) {
        return { outcome: 'outside_window' };
      }
      if (!isRechargeChannel(p.channel)) return { outcome: 'channel_not_accepted' };
      if (p.amountFen !== v.amountFen) return { outcome: 'wrong_amount' };
      if (!sameHolderName(p.payerHolder, v.enterpriseName)) return { outcome: 'payer_name_differs' };
      const confirmBy = deps.calendar.addBusinessDays(p.arrivedAt, RECHARGE_CONFIRM_BUSINESS_DAYS);
      return { outcome: 'match', confirmBy: confirmBy.toISOString() };
    },

    /**
     * RN-9/RN-11: a matching payment makes the account enterprise-verified, in one transaction
     * with the payment's link to the verification. RN-1 and RN-2 are held where the record
     * is written (recordEnterpriseVerification); their refusal is an outcome, not a failure:
     * the run ends `refused` naming the rule, and the money stays credited.
     */
    async completeRechargeVerification(input: {
      verificationId: string;
      paymentId: string;
    }): Promise<RechargeCompletion> {
      try {
        await deps.orm.em.fork().transactional(async (tx) => {
          const v = await tx.findOneOrFail(RechargeVerification, { id: input.verificationId });
          await recordEnterpriseVerification(tx, {
            accountId: v.account.id,
            enterpriseName: v.enterpriseName,
            licenceNumber: v.licenceNumber,
            method: 'recharge',
            sourceId: v.id,
            now: deps.clock.now(),
            box: deps.dataBox,
          });
          await tx.nativeUpdate(
            IncomingPayment,
            { id: input.paymentId, rechargeVerificationId: null },
            { rechargeVerificationId: v.id },
          );
          await tx.nativeUpdate(RechargeVerification, { id: v.id }, { matchedPaymentId: input.paymentId });
        });
        return { outcome: 'verified' };
      } catch (err) {
        if (err instanceof RuleViolationError) {
          return { outcome: 'refused', rule: err.rule, code: err.code, message: err.message };
        }
        throw err;
      }
    },

    /** Mirrors the workflow's state into the database, for lists and for after the run is gone. */
    async recordRechargeState(input: { state: RechargeVerificationState }): Promise<void> {
      const s = input.state;
      await deps.orm.em.fork().nativeUpdate(
        RechargeVerification,
        { id: s.verificationId },
        {
          status: s.status,
          ...(s.deadline ? { deadline: new Date(s.deadline) } : {}),
          unmatchedPayments: s.unmatchedPayments,
          paidAt: s.paidAt ? new Date(s.paidAt) : null,
          confirmBy: s.confirmBy ? new Date(s.confirmBy) : null,
          refusalRule: s.refusal?.rule ?? null,
          refusalCode: s.refusal?.code ?? null,
          closedAt: isOpenRechargeStatus(s.status) ? null : s.closedAt ? new Date(s.closedAt) : null,
          updatedAt: deps.clock.now(),
        },
      );
    },
  });
}

export type RechargeActivities = ReturnType<typeof createRechargeActivities>;
