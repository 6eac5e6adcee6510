import { type MikroORM } from '@mikro-orm/core';
import type { CancellationBlocker, RiskFlag } from '../libs/domain/src/cancellation';
import type { Clock } from '../libs/domain/src/clock';
import { AccountCancellation, Account } from '../libs/persistence/src/entities';
import { cancellationBlockers } from '../libs/persistence/src/cancellation/eligibility';
import { cancellationRiskFlags } from '../libs/persistence/src/cancellation/risk';
import { enqueueNotice } from '../libs/persistence/src/outbox';
import type { AccountCancellationState } from '../libs/temporal/src/contract';
import { withDomainFailures } from './domain-failures';

export interface CancellationActivityDeps {
  orm: MikroORM;
  clock: Clock;
}

/**
 * The cancellation process's own steps (issue 10): eligibility and risk, the record of its state,
 * and the result told to the owner. The execution (CAN-2 … CAN-5) is in
 * cancellation-execution.activities.ts.
 */
export function createCancellationActivities(deps: CancellationActivityDeps) {
  return withDomainFailures({
    /** CAN-1, asked again inside the workflow: before the review and just before execution. */
    async checkCancellationEligibility(input: { accountId: number }): Promise<CancellationBlocker[]> {
      return cancellationBlockers(deps.orm.em.fork(), input.accountId, deps.clock.now());
    },

    /** The risk flags that send the application to a reviewer (docs/rules-decisions.md). */
    async cancellationRiskFlags(input: { accountId: number }): Promise<RiskFlag[]> {
      return cancellationRiskFlags(deps.orm.em.fork(), input.accountId, deps.clock.now());
    },

    /** Mirrors the workflow's state onto the application row (for the owner's reads and lists). */
    async recordCancellation(input: { state: AccountCancellationState }): Promise<void> {
      const s = input.state;
      await deps.orm.em.fork().nativeUpdate(
        AccountCancellation,
        { id: s.applicationId, closedAt: null },
        {
          status: s.status,
          blockers: s.blockers,
          riskFlags: s.riskFlags,
          reasonCode: s.reasonCode,
          coolingOffEndsAt: s.coolingOffEndsAt ? new Date(s.coolingOffEndsAt) : null,
          closedAt: s.closedAt ? new Date(s.closedAt) : null,
        },
      );
    },

    /**
     * CAN-6: the result, approved or rejected (or withdrawn), goes to the security phone and the
     * security email, once per application. Queued before any contact data is erased: the outbox
     * row carries its own recipient.
     */
    async notifyCancellationResult(input: {
      applicationId: string;
      accountId: number;
      outcome: 'approved' | 'rejected' | 'withdrawn';
      reasonCode: string | null;
      blockers: CancellationBlocker[] | null;
    }): Promise<void> {
      await deps.orm.em.fork().transactional(async (em) => {
        const now = deps.clock.now();
        const marked = await em.nativeUpdate(
          AccountCancellation,
          { id: input.applicationId, resultNotifiedAt: null },
          { resultNotifiedAt: now },
        );
        if (marked !== 1) return;
        const account = await em.findOne(Account, { id: input.accountId });
        if (!account) return;
        const subject = `Account cancellation ${input.outcome}`;
        const text = resultText(input.accountId, input.outcome, input.reasonCode, input.blockers);
        if (account.securityPhone)
          enqueueNotice(em, now, { channel: 'sms', to: account.securityPhone, subject, text });
        const email = account.securityEmail ?? account.email;
        if (email) enqueueNotice(em, now, { channel: 'email', to: email, subject, text });
        await em.flush();
      });
    },
  });
}

function resultText(
  accountId: number,
  outcome: 'approved' | 'rejected' | 'withdrawn',
  reasonCode: string | null,
  blockers: CancellationBlocker[] | null,
): string {
  switch (outcome) {
    case 'approved':
      return `The cancellation of account ${accountId} was approved and is being carried out. Its data will be erased for good.`;
    case 'withdrawn':
      return `The application to cancel account ${accountId} was withdrawn. Nothing was changed.`;
    case 'rejected': {
      const reasons = blockers?.length
        ? blockers.map((b) => b.message).join('; ')
        : (reasonCode ?? 'unspecified');
      return `The application to cancel account ${accountId} was rejected: ${reasons}. Once this is dealt with you may apply again.`;
    }
  }
}

export type CancellationActivities = ReturnType<typeof createCancellationActivities>;
