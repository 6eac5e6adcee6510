import { type MikroORM } from '@mikro-orm/core';
import {
  APPEAL_TITLES,
  appealContactContext,
  appealDetailsContext,
  compareIdentity,
  type AppealDetails,
} from '../libs/domain/src/appeals';
import type { Clock } from '../libs/domain/src/clock';
import { normalizePhone } from '../libs/domain/src/contact';
import { isOpenDepositStatus } from '../libs/domain/src/deposit-verification';
import { NotFoundError } from '../libs/domain/src/errors';
import { newId } from '../libs/domain/src/ids';
import { maskEmail, maskPhone } from '../libs/domain/src/masking';
import type { AppealKind, AppealStatus } from '../libs/domain/src/review';
import { openBankAccountNumber, sealBankAccountNumber, type SecretBox } from '../libs/domain/src/secret-box';
import { AccountKeyring } from '../libs/persistence/src/account-keys';
import type { BankGateway } from '../libs/integrations/src/bank/bank-gateway.port';
import { isUniqueViolation } from '../libs/persistence/src/database';
import {
  Account,
  AccountMfaSettings,
  AppealCase,
  BankPayout,
  DepositVerification,
  LoginIdentity,
  MfaDevice,
  RealNameRecord,
  RegisteredEmail,
  Session,
} from '../libs/persistence/src/entities';
import { emailLoginRefusal, uniqueKeyFor } from '../libs/persistence/src/login-emails';
import { enqueueNotice, tellAccountOwner } from '../libs/persistence/src/outbox';
import { movePhoneBinding } from '../libs/persistence/src/phone-binding';
import { workflowIds } from '../libs/temporal/src/contract';
import { openCertificate } from '../libs/persistence/src/real-name-records';
import { withDomainFailures } from './domain-failures';

export interface AppealActivityDeps {
  orm: MikroORM;
  clock: Clock;
  bank: BankGateway;
  /** Opens what the applicant sent (DATA_ENCRYPTION_KEY, and the account data keys it seals). */
  dataBox: SecretBox;
}

export type ApplyResult = { applied: true } | { applied: false; reasonCode: string };

export type PayoutRerun =
  | { refused: string }
  | {
      verificationId: string;
      accountId: number;
      maskedAccountNumber: string;
      workflowId: string;
      /** The appealed run, to be cancelled if still open. */
      oldRunId: string | null;
    };

/** An approved outcome that cannot be applied now: the case closes rejected with this code. */
class Refusal extends Error {
  constructor(readonly reasonCode: string) {
    super(reasonCode);
  }
}

type Em = ReturnType<MikroORM['em']['fork']>;

/** An email login method of the account (its uniqueness key per AS-1 / ACC-7), in `em`'s unit of work. */
function addEmailLogin(
  em: Em,
  account: Account,
  email: string,
  role: 'registration' | 'associated',
  now: Date,
): void {
  em.create(LoginIdentity, {
    id: newId(),
    account: account.id,
    site: account.site,
    kind: 'email',
    subject: email,
    uniqueKey: uniqueKeyFor('email', email, role, account.id),
    role,
    createdAt: now,
  });
}

/**
 * The appeals' side effects (issue 9 §3). Each is idempotent: the outcome is applied in one
 * transaction that first marks the case applied, so a retried activity applies nothing twice.
 */
export function createAppealActivities(deps: AppealActivityDeps) {
  // The account's values are sealed under its data key (CAN-5); older ones under the global key.
  const keyring = new AccountKeyring(deps.dataBox);
  const details = async (em: Em, c: AppealCase): Promise<AppealDetails> =>
    JSON.parse(
      (await keyring.boxToOpen(em, c.accountId, c.detailsSealed)).open(
        c.detailsSealed,
        appealDetailsContext(c.id),
      ),
    ) as AppealDetails;

  const loadCase = async (em: Em, caseId: string): Promise<AppealCase> => {
    const c = await em.findOne(AppealCase, { id: caseId }, { populate: ['detailsSealed', 'contactSealed'] });
    if (!c) throw new NotFoundError('Appeal case');
    return c;
  };

  const activeAccount = async (em: Em, id: number): Promise<Account> => {
    const account = await em.findOne(Account, { id, status: 'active' });
    if (!account) throw new Refusal('account_not_active');
    return account;
  };

  /** CON-1(b): binds the new security phone; ACC-3's limit is checked again now. */
  const applyPhone = async (em: Em, c: AppealCase, newPhone: string): Promise<void> => {
    const account = await activeAccount(em, c.accountId);
    const phone = normalizePhone(newPhone);
    if (!phone) throw new Refusal('phone_invalid');
    const old = account.securityPhone ?? null;
    if (old === phone) return;
    // rule ACC-3: counted before it is checked, in this transaction.
    if (!(await movePhoneBinding(em, account.site, phone, old))) throw new Refusal('phone_limit_reached');
    await em.nativeUpdate(
      Account,
      { id: account.id },
      { securityPhone: phone, securityContactChangedAt: deps.clock.now(), updatedAt: deps.clock.now() },
    );
    const now = deps.clock.now();
    const text = `By an approved appeal, the security phone of account ${account.id} is now ${maskPhone(phone)}. If this was not you, contact support at once.`;
    // CON-1: the old and the new channels are told.
    if (old)
      enqueueNotice(em, now, { channel: 'sms', to: old, subject: 'Your security phone was changed', text });
    enqueueNotice(em, now, { channel: 'sms', to: phone, subject: 'Your security phone was changed', text });
    const email = account.securityEmail ?? account.email;
    if (email)
      enqueueNotice(em, now, {
        channel: 'email',
        to: email,
        subject: 'Your security phone was changed',
        text,
      });
  };

  /** AS-2: the registration email changes; the new one must belong to no account, checked now. */
  const applyRegistrationEmail = async (em: Em, c: AppealCase, rawEmail: string): Promise<void> => {
    const account = await activeAccount(em, c.accountId);
    const email = rawEmail.trim().toLowerCase();
    if (account.email === email) return;
    const refusal = await emailLoginRefusal(em, account.site, email, account.id);
    if (refusal) throw new Refusal(refusal === 'login_method_already_bound' ? 'email_taken' : refusal);
    const old = account.email ?? null;
    const now = deps.clock.now();
    await em.nativeUpdate(Account, { id: account.id }, { email, updatedAt: now });
    const moved = await em.nativeUpdate(
      LoginIdentity,
      { account: account.id, kind: 'email', role: 'registration' },
      { subject: email, uniqueKey: uniqueKeyFor('email', email, 'registration', account.id) },
    );
    if (moved === 0) {
      addEmailLogin(em, account, email, 'registration', now);
    }
    // ACC-6: the new address registered this account now; the old one stays recorded for good.
    em.create(RegisteredEmail, {
      id: newId(),
      site: account.site,
      email,
      accountId: account.id,
      registeredAt: now,
    });
    const text = `By an approved appeal, the registration email of account ${account.id} is now ${maskEmail(email)}. If this was not you, contact support at once.`;
    if (old)
      enqueueNotice(em, now, {
        channel: 'email',
        to: old,
        subject: 'Your registration email was changed',
        text,
      });
    enqueueNotice(em, now, {
      channel: 'email',
      to: email,
      subject: 'Your registration email was changed',
      text,
    });
    if (account.securityPhone) {
      enqueueNotice(em, now, {
        channel: 'sms',
        to: account.securityPhone,
        subject: 'Registration email changed',
        text,
      });
    }
  };

  /** MFA-5: every MFA device of the owner is unbound, protection turned off, every session ended. */
  const applyMfaUnbind = async (em: Em, c: AppealCase): Promise<void> => {
    const account = await activeAccount(em, c.accountId);
    const now = deps.clock.now();
    await em.nativeUpdate(
      MfaDevice,
      { account: account.id, subUser: null, removedAt: null },
      { removedAt: now, boundSerial: null },
    );
    await em.nativeUpdate(
      AccountMfaSettings,
      { account: account.id },
      { loginProtection: false, operationProtection: false, updatedAt: now },
    );
    await em.nativeUpdate(
      Session,
      { account: account.id, subUser: null, revokedAt: null },
      { revokedAt: now },
    );
    tellAccountOwner(
      em,
      now,
      account,
      'Your MFA device was unbound',
      `By an approved appeal, every MFA device of account ${account.id} was unbound and every session ended. Sign in and bind a new device.`,
    );
  };

  /** LOG-1: the new email becomes a login method; the owner is told how to sign in. */
  const applySignInEmail = async (em: Em, c: AppealCase, rawEmail: string): Promise<void> => {
    const account = await activeAccount(em, c.accountId);
    const email = rawEmail.trim().toLowerCase();
    const refusal = await emailLoginRefusal(em, account.site, email, account.id);
    if (refusal === 'login_method_already_bound') return;
    if (refusal) throw new Refusal(refusal === 'identity_associated_elsewhere' ? 'email_taken' : refusal);
    const now = deps.clock.now();
    addEmailLogin(em, account, email, 'associated', now);
    enqueueNotice(em, now, {
      channel: 'email',
      to: email,
      subject: 'You can sign in again',
      text: `By an approved appeal, this email is now a login method of account ${account.id}. Sign in with this email and the account's password; if you do not know the password, reset it with this email.`,
    });
    tellAccountOwner(
      em,
      now,
      account,
      'A login email was added',
      `By an approved appeal, ${maskEmail(email)} became a login method of account ${account.id}.`,
    );
  };

  return withDomainFailures({
    /**
     * What the reviewer sees beside the documents: whether the applicant matches the real-name
     * record (match or mismatch, never the numbers), and for a payout the bank's trace.
     */
    async prepareAppeal(input: { caseId: string }): Promise<void> {
      const em = deps.orm.em.fork();
      const c = await loadCase(em, input.caseId);
      const d = await details(em, c);
      const record = await em.findOne(RealNameRecord, { account: c.accountId, supersededAt: null });
      const checks: Record<string, unknown> = {
        realNameRecord: record ? record.kind : 'none',
      };
      switch (d.kind) {
        case 'mfa-device-appeal':
          checks.identity = compareIdentity(
            // The record's number is sealed (issue 11 §1): opened here, compared, never stored.
            record
              ? {
                  kind: record.kind,
                  name: record.name,
                  certificateNumber: openCertificate(deps.dataBox, record),
                }
              : null,
            { person: d.person, enterprise: d.enterprise },
          );
          break;
        case 'sign-in-appeal': {
          const account = await em.findOne(Account, { id: c.accountId });
          const month = account ? account.createdAt.toISOString().slice(0, 7) : null;
          checks.basicInfo = {
            registeredIn:
              d.basicInfo.registeredIn === undefined
                ? 'not_given'
                : d.basicInfo.registeredIn === month
                  ? 'match'
                  : 'mismatch',
            signUpMethod:
              d.basicInfo.signUpMethod === undefined
                ? 'not_given'
                : d.basicInfo.signUpMethod === account?.signUpMethod
                  ? 'match'
                  : 'mismatch',
          };
          break;
        }
        case 'payout-appeal': {
          const payout = await em.findOne(BankPayout, { verificationId: d.verificationId });
          checks.bankTrace = payout?.bankReference
            ? await deps.bank.traceTransfer(payout.bankReference)
            : { status: 'unknown', detail: 'No payout was sent' };
          break;
        }
        case 'security-phone-appeal':
        case 'registration-email-appeal':
          break;
      }
      await em.nativeUpdate(AppealCase, { id: c.id }, { checks });
    },

    /** Applies an approved appeal once; a rule that no longer holds refuses it with a reason code. */
    async applyAppealOutcome(input: { caseId: string }): Promise<ApplyResult> {
      try {
        return await deps.orm.em.fork().transactional(async (em) => {
          const c = await loadCase(em, input.caseId);
          const marked = await em.nativeUpdate(
            AppealCase,
            { id: c.id, appliedAt: null },
            { appliedAt: deps.clock.now() },
          );
          if (marked === 0) return { applied: true } as const;
          const d = await details(em, c);
          switch (d.kind) {
            case 'security-phone-appeal':
              await applyPhone(em, c, d.newPhone);
              break;
            case 'registration-email-appeal':
              await applyRegistrationEmail(em, c, d.newEmail);
              break;
            case 'mfa-device-appeal':
              await applyMfaUnbind(em, c);
              break;
            case 'sign-in-appeal':
              await applySignInEmail(em, c, d.newEmail);
              break;
            case 'payout-appeal':
              throw new Refusal('payout_rerun_by_workflow');
          }
          await em.flush();
          return { applied: true } as const;
        });
      } catch (err) {
        if (err instanceof Refusal) return { applied: false, reasonCode: err.reasonCode };
        if (isUniqueViolation(err)) return { applied: false, reasonCode: 'email_taken' };
        throw err;
      }
    },

    /**
     * RN-8 appeal approved: a new verification run on the same details. Writes the new row once
     * (its ID is kept on the case), so a retried activity reuses it.
     */
    async preparePayoutRerun(input: { caseId: string }): Promise<PayoutRerun> {
      return deps.orm.em.fork().transactional(async (em) => {
        const c = await loadCase(em, input.caseId);
        const d = await details(em, c);
        if (d.kind !== 'payout-appeal') throw new NotFoundError('Payout appeal');
        const old = await em.findOne(
          DepositVerification,
          { id: d.verificationId },
          { populate: ['bankAccountNumber'] },
        );
        if (!old) return { refused: 'verification_not_found' };
        // Only a run still open is cancelled: one that has ended (payout_not_received, the usual
        // case by the time an appeal is decided) has nothing to cancel, and a cancel request to a
        // closed run is not always answered, which would hold the rerun forever.
        const openRun = isOpenDepositStatus(old.status) ? (old.runId ?? null) : null;
        const existing =
          typeof c.checks.rerunVerificationId === 'string' ? c.checks.rerunVerificationId : null;
        if (existing) {
          const row = await em.findOneOrFail(DepositVerification, { id: existing });
          return {
            verificationId: row.id,
            accountId: c.accountId,
            maskedAccountNumber: row.maskedAccountNumber,
            workflowId: row.workflowId,
            oldRunId: openRun,
          };
        }
        if (old.status === 'verified') return { refused: 'already_verified' };
        // The owner started another verification meanwhile: that one stands.
        const newer = await em.count(DepositVerification, {
          account: c.accountId,
          createdAt: { $gt: old.createdAt },
          id: { $ne: old.id },
        });
        if (newer > 0) return { refused: 'verification_superseded' };
        const id = newId();
        const now = deps.clock.now();
        const number = openBankAccountNumber(
          await keyring.boxToOpen(em, c.accountId, old.bankAccountNumber),
          old.id,
          old.bankAccountNumber,
        );
        em.create(DepositVerification, {
          id,
          account: c.accountId,
          enterpriseName: old.enterpriseName,
          licenceNumber: old.licenceNumber,
          bankAccountHolder: old.bankAccountHolder,
          bankName: old.bankName,
          bankAccountNumber: sealBankAccountNumber(await keyring.boxFor(em, c.accountId), id, number),
          maskedAccountNumber: old.maskedAccountNumber,
          workflowId: workflowIds.depositVerification(c.accountId),
          createdAt: now,
          updatedAt: now,
        });
        await em.nativeUpdate(AppealCase, { id: c.id }, { checks: { ...c.checks, rerunVerificationId: id } });
        await em.flush();
        return {
          verificationId: id,
          accountId: c.accountId,
          maskedAccountNumber: old.maskedAccountNumber,
          workflowId: workflowIds.depositVerification(c.accountId),
          oldRunId: openRun,
        };
      });
    },

    /** The rerun's workflow started: its run ID is saved and the case marked applied. */
    async recordPayoutRerun(input: { caseId: string; verificationId: string; runId: string }): Promise<void> {
      const em = deps.orm.em.fork();
      await em.nativeUpdate(DepositVerification, { id: input.verificationId }, { runId: input.runId });
      await em.nativeUpdate(
        AppealCase,
        { id: input.caseId, appliedAt: null },
        { appliedAt: deps.clock.now() },
      );
    },

    /**
     * Records the case's end and tells the applicant, once: to the contact they proved, and to
     * the account's own channels when they applied signed in.
     */
    async closeAppeal(input: {
      caseId: string;
      status: AppealStatus;
      reasonCode: string | null;
      closedAt: string;
    }): Promise<void> {
      await deps.orm.em.fork().transactional(async (em) => {
        const c = await loadCase(em, input.caseId);
        const closed = await em.nativeUpdate(
          AppealCase,
          { id: c.id, closedAt: null },
          { status: input.status, reasonCode: input.reasonCode, closedAt: new Date(input.closedAt) },
        );
        if (closed === 0) return;
        const text = outcomeText(c.kind, c.id, input.status, input.reasonCode);
        const subject = `Your ${APPEAL_TITLES[c.kind]}: ${input.status}`;
        const now = deps.clock.now();
        if (c.contactSealed) {
          const contact = (await keyring.boxToOpen(em, c.accountId, c.contactSealed)).open(
            c.contactSealed,
            appealContactContext(c.id),
          );
          enqueueNotice(em, now, {
            channel: contact.includes('@') ? 'email' : 'sms',
            to: contact,
            subject,
            text,
          });
        } else {
          const account = await em.findOne(Account, { id: c.accountId });
          if (account) tellAccountOwner(em, now, account, subject, text);
        }
        await em.flush();
      });
    },
  });
}

function outcomeText(
  kind: AppealKind,
  caseId: string,
  status: AppealStatus,
  reasonCode: string | null,
): string {
  const title = APPEAL_TITLES[kind];
  switch (status) {
    case 'approved':
      return `Your ${title} (case ${caseId}) was approved and its outcome applied.`;
    case 'rejected':
      return `Your ${title} (case ${caseId}) was rejected (reason: ${reasonCode ?? 'unspecified'}). You may apply again once the reason is dealt with.`;
    case 'withdrawn':
      return `Your ${title} (case ${caseId}) was withdrawn.`;
    case 'abandoned':
      return `Your ${title} (case ${caseId}) was closed: the information asked for did not arrive within 7 days.`;
    case 'in_review':
    case 'information_requested':
    case 'awaiting_second_approval':
    case 'applying':
      return `Your ${title} (case ${caseId}) is ${status.replace(/_/g, ' ')}.`;
  }
}

export type AppealActivities = ReturnType<typeof createAppealActivities>;
