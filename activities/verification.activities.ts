import { randomInt } from 'node:crypto';
import { type MikroORM } from '@mikro-orm/core';
import { type BusinessCalendar } from '../libs/domain/src/business-days';
import type { Clock } from '../libs/domain/src/clock';
import {
  DEPOSIT_APPEAL_AFTER_BUSINESS_DAYS,
  DEPOSIT_FAILED_RUN_WINDOW_MS,
  DEPOSIT_FAILED_STATUSES,
  DEPOSIT_MAX_FEN,
  DEPOSIT_MIN_FEN,
  isOpenDepositStatus,
  type DepositVerificationState,
} from '../libs/domain/src/deposit-verification';
import { NotFoundError } from '../libs/domain/src/errors';
import { newId } from '../libs/domain/src/ids';
import { openBankAccountNumber, type SecretBox } from '../libs/domain/src/secret-box';
import { AccountKeyring } from '../libs/persistence/src/account-keys';
import type { BankGateway } from '../libs/integrations/src/bank/bank-gateway.port';
import { isUniqueViolation } from '../libs/persistence/src/database';
import { recordEnterpriseVerification } from '../libs/persistence/src/real-name-records';
import { BankPayout, DepositRunSlot, DepositVerification } from '../libs/persistence/src/entities';
import { withDomainFailures } from './domain-failures';

export interface VerificationActivityDeps {
  orm: MikroORM;
  bank: BankGateway;
  clock: Clock;
  calendar: BusinessCalendar;
  /** Opens the bank account numbers sealed at rest (DATA_ENCRYPTION_KEY, and the account data keys it seals). */
  dataBox: SecretBox;
  /** Draws the payout amount; injectable so tests can know it. Default: uniform 1–99 fen. */
  drawAmountFen?: () => number;
}

export interface PayoutRequested {
  payoutRequestedAt: string;
  appealAvailableFrom: string;
}

/** Idempotency key of the payout for one verification: a retried activity reuses it. */
export const payoutIdempotencyKey = (verificationId: string): string => `deposit-payout:${verificationId}`;

export function createVerificationActivities(deps: VerificationActivityDeps) {
  const draw = deps.drawAmountFen ?? (() => randomInt(DEPOSIT_MIN_FEN, DEPOSIT_MAX_FEN + 1));
  // Numbers are sealed under the account's data key (CAN-5); older ones under the global key.
  const keyring = new AccountKeyring(deps.dataBox);

  async function loadVerification(
    em: ReturnType<MikroORM['em']['fork']>,
    id: string,
  ): Promise<DepositVerification> {
    const v = await em.findOne(DepositVerification, { id }, { populate: ['bankAccountNumber'] });
    if (!v) throw new NotFoundError('Deposit verification');
    return v;
  }

  return withDomainFailures({
    /**
     * RN-8: pays a random 1–99 fen to the submitted account. The amount is drawn here, stored
     * once per verification, and sent under a fixed idempotency key, so a retry pays once.
     */
    async requestDepositPayout(input: { verificationId: string }): Promise<PayoutRequested> {
      const em = deps.orm.em.fork();
      const v = await loadVerification(em, input.verificationId);
      let payout = await em.findOne(BankPayout, { verificationId: v.id });
      if (!payout) {
        payout = em.create(BankPayout, {
          id: newId(),
          verificationId: v.id,
          idempotencyKey: payoutIdempotencyKey(v.id),
          amountFen: draw(),
          requestedAt: deps.clock.now(),
        });
        try {
          await em.flush();
        } catch (err) {
          if (!isUniqueViolation(err)) throw err;
          em.clear();
          payout = await em.findOneOrFail(BankPayout, { verificationId: v.id });
        }
      }
      const accepted = await deps.bank.sendPayout({
        idempotencyKey: payout.idempotencyKey,
        accountNumber: openBankAccountNumber(
          await keyring.boxToOpen(em, v.account.id, v.bankAccountNumber),
          v.id,
          v.bankAccountNumber,
        ),
        accountHolder: v.bankAccountHolder,
        bankName: v.bankName,
        amountFen: payout.amountFen,
      });
      const requestedAt = payout.requestedAt;
      const appealAvailableFrom = deps.calendar.addBusinessDays(
        requestedAt,
        DEPOSIT_APPEAL_AFTER_BUSINESS_DAYS,
      );
      await em.nativeUpdate(BankPayout, { id: payout.id }, { bankReference: accepted.reference });
      await em.nativeUpdate(
        DepositVerification,
        { id: v.id },
        { payoutRequestedAt: requestedAt, appealAvailableFrom, updatedAt: deps.clock.now() },
      );
      return {
        payoutRequestedAt: requestedAt.toISOString(),
        appealAvailableFrom: appealAvailableFrom.toISOString(),
      };
    },

    /** Compares an entered amount with the payout. The amount itself never leaves this activity. */
    async checkDepositAmount(input: { verificationId: string; amountFen: number }): Promise<boolean> {
      const em = deps.orm.em.fork();
      const payout = await em.findOne(
        BankPayout,
        { verificationId: input.verificationId },
        { populate: ['amountFen'] },
      );
      if (!payout) throw new NotFoundError('Payout');
      return payout.amountFen === input.amountFen;
    },

    /**
     * RN-8/RN-11: the right amount makes the account enterprise-verified at once. RN-1: the
     * current real-name record is superseded, never deleted, and a change of identity waits 30
     * days. RN-2: the enterprise's slot is taken here, in the transaction that writes the record
     * (the check at submission was days ago); a full enterprise is a non-retryable RN-2 refusal
     * that fails the amount entry and leaves the account as it was. Idempotent per verification.
     */
    async markEnterpriseVerified(input: { verificationId: string }): Promise<void> {
      await deps.orm.em.fork().transactional(async (tx) => {
        const v = await tx.findOneOrFail(DepositVerification, { id: input.verificationId });
        await recordEnterpriseVerification(tx, {
          accountId: v.account.id,
          enterpriseName: v.enterpriseName,
          licenceNumber: v.licenceNumber,
          method: 'deposit',
          sourceId: v.id,
          now: deps.clock.now(),
          box: deps.dataBox,
        });
      });
    },

    /**
     * Mirrors the workflow's state into the database, for lists and for after the workflow is gone.
     * When the run has ended it also settles its RN-8 run-limit slots, in the same transaction: a
     * failed or expired run keeps them for the window after it ended, any other end frees them.
     */
    async recordDepositState(input: { state: DepositVerificationState }): Promise<void> {
      const s = input.state;
      await deps.orm.em.fork().transactional(async (tx) => {
        await tx.nativeUpdate(
          DepositVerification,
          { id: s.verificationId },
          {
            status: s.status,
            attemptsLeft: s.attemptsLeft,
            deadline: s.deadline ? new Date(s.deadline) : null,
            landedAt: s.landedAt ? new Date(s.landedAt) : null,
            closedAt: s.closedAt ? new Date(s.closedAt) : null,
            ...(s.refusal ? { refusalRule: s.refusal.rule, refusalCode: s.refusal.code } : {}),
            updatedAt: deps.clock.now(),
          },
        );
        if (isOpenDepositStatus(s.status) || !s.closedAt) return;
        if (DEPOSIT_FAILED_STATUSES.includes(s.status)) {
          // Only the run's own slots: one it held past their longest life may be someone else's now.
          await tx.nativeUpdate(
            DepositRunSlot,
            { verificationId: s.verificationId },
            {
              outcome: 'failed',
              countsUntil: new Date(Date.parse(s.closedAt) + DEPOSIT_FAILED_RUN_WINDOW_MS),
            },
          );
        } else {
          await tx.nativeDelete(DepositRunSlot, { verificationId: s.verificationId });
        }
      });
    },
  });
}

export type VerificationActivities = ReturnType<typeof createVerificationActivities>;
