import { LockMode, type EntityManager, type MikroORM } from '@mikro-orm/core';
import type { Clock } from '../libs/domain/src/clock';
import { ConflictError, NotFoundError } from '../libs/domain/src/errors';
import type { DocumentStore } from '../libs/integrations/src/documents/document-store.port';
import { destroyAccountDataKey } from '../libs/persistence/src/account-keys';
import { deleteCaseDocuments } from '../libs/persistence/src/case-documents';
import { Account, AccountCancellation } from '../libs/persistence/src/entities';
import { phoneCounterKey } from '../libs/persistence/src/phone-binding';
import { withDomainFailures } from './domain-failures';

/**
 * Deletes an account's closed workflow executions from Temporal (CAN-5): deposit verifications,
 * appeals. The running cancellation is not closed and stays until its retention ends.
 */
export interface ClosedExecutionsEraser {
  /** Deletes every closed execution whose `AccountId` is the account; returns how many. */
  deleteClosedExecutions(accountId: number): Promise<number>;
}

export interface CancellationExecutionDeps {
  orm: MikroORM;
  clock: Clock;
  documents: DocumentStore;
  temporal?: ClosedExecutionsEraser;
  /**
   * Test hook: called after each step of the erasure; a throw stands for a worker killed there
   * (the step's transaction, if open, rolls back; the retry must finish the job).
   */
  afterEraseStep?: (step: string) => void | Promise<void>;
}

/**
 * What a tombstone's password hash holds: not an argon2 hash, so no password ever verifies
 * against it (the verifier treats it as malformed and answers false).
 */
export const TOMBSTONE_PASSWORD_HASH = '!cancelled';

/** The application states in which the account may be marked cancelled (approved, executing). */
const EXECUTABLE = new Set(['cooling_off', 'executing', 'cancelled']);

/** One statement in `em`'s transaction; the number of rows it changed. */
async function run(em: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const res = (await em.getConnection().execute(sql, params, 'run', em.getTransactionContext())) as {
    affectedRows?: number;
  };
  return res.affectedRows ?? 0;
}

async function rows<T>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  return (await em.getConnection().execute(sql, params, 'all', em.getTransactionContext())) as T[];
}

async function lockAccount(em: EntityManager, accountId: number): Promise<Account> {
  const account = await em.findOne(
    Account,
    { id: accountId },
    { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
  );
  if (!account) throw new NotFoundError('Account');
  return account;
}

function assertCancelled(account: Account): void {
  if (account.status !== 'cancelled') {
    throw new ConflictError(
      'account_not_cancelled',
      'The account is not cancelled: its sign-up methods and data are kept',
    );
  }
}

/**
 * rule ACC-3: frees the account's slot on its security phone and clears the phone, in `em`'s
 * transaction under the account's row lock: the phone is cleared once, so the slot is freed once.
 */
async function releaseSecurityPhone(em: EntityManager, account: Account): Promise<void> {
  if (!account.securityPhone) return;
  await run(em, 'update phone_bind_counts set bound = bound - 1 where key = ? and bound > 0', [
    phoneCounterKey(account.site, account.securityPhone),
  ]);
  await run(em, 'update accounts set security_phone = null where id = ?', [account.id]);
}

/**
 * The execution of an approved account cancellation (issue 10 §4), as idempotent activities the
 * cancellation workflow calls in this order: markAccountCancelled → releaseSignUpMethods →
 * eraseAccountData → deleteClosedWorkflowHistories. Each may be retried or repeated after a
 * worker died anywhere inside it, and ends in the same state; none of them touches
 * `account_cancellations` (the workflow records its end there).
 */
export function createCancellationExecutionActivities(deps: CancellationExecutionDeps) {
  const step = async (name: string): Promise<void> => {
    await deps.afterEraseStep?.(name);
  };

  return withDomainFailures({
    /**
     * rule CAN-2: in one transaction the account becomes `cancelled` and every way into it ends:
     * owner and sub-user sessions revoked, their step-up proofs and pending second steps deleted,
     * collaborators' memberships of it removed. A retry changes nothing more.
     */
    async markAccountCancelled(input: { accountId: number; applicationId: string }): Promise<void> {
      await deps.orm.em.fork().transactional(async (em) => {
        const application = await em.findOne(AccountCancellation, {
          id: input.applicationId,
          accountId: input.accountId,
        });
        if (!application) throw new NotFoundError('Cancellation application');
        if (!EXECUTABLE.has(application.status)) {
          throw new ConflictError(
            'cancellation_not_approved',
            `The application is ${application.status}: the account is not cancelled`,
          );
        }
        const account = await lockAccount(em, input.accountId);
        const now = deps.clock.now();
        if (account.status !== 'cancelled') {
          await run(
            em,
            `update accounts set status = 'cancelled', cancelled_at = ?, updated_at = ? where id = ?`,
            [now, now, account.id],
          );
        }
        // Owner and sub-user sessions alike belong to the root account.
        await run(
          em,
          'delete from step_up_proofs where session_id in (select id from sessions where account_id = ?)',
          [account.id],
        );
        await run(em, 'update sessions set revoked_at = ? where account_id = ? and revoked_at is null', [
          now,
          account.id,
        ]);
        await run(em, 'delete from mfa_challenges where account_id = ? and completed_at is null', [
          account.id,
        ]);
        // Collaborators lose their access to it; the slots they held (ACC-10) are given back.
        const removed = await run(em, 'delete from collaborators where root_account_id = ?', [account.id]);
        if (removed > 0) {
          await run(em, 'update account_user_quotas set used = greatest(used - ?, 0) where account_id = ?', [
            removed,
            account.id,
          ]);
        }
      });
    },

    /**
     * rule CAN-3: third-party identities are not touched at the provider (there is nothing to
     * call); only their link to this account goes. rule CAN-4: the uniqueness keys of its email
     * and QQ / WeChat / Official Account identities are released so the same sign-up method can
     * register a new account; the registration email's `registered_emails` row is released, not
     * deleted (ACC-6: it still never becomes a login email of another account). The security
     * phone's ACC-3 slot is freed too.
     */
    async releaseSignUpMethods(input: { accountId: number }): Promise<void> {
      await deps.orm.em.fork().transactional(async (em) => {
        const account = await lockAccount(em, input.accountId);
        assertCancelled(account);
        const now = deps.clock.now();
        await run(em, 'delete from login_identities where account_id = ?', [account.id]);
        await run(
          em,
          'update registered_emails set released_at = ?, account_id = null where account_id = ? and released_at is null',
          [now, account.id],
        );
        await run(em, 'update accounts set email = null where id = ? and email is not null', [account.id]);
        await releaseSecurityPhone(em, account);
      });
    },

    /**
     * rule CAN-5: the account's profile, business data and transaction records are erased for
     * good; the accounts row stays as the tombstone (docs/rules-decisions.md says what it keeps).
     * Documents first (blobs, then rows, per case: resumable), then every row in one transaction,
     * so a worker killed half-way leaves either everything or nothing of the rows, and the retry
     * deletes what is left without failing on what is gone. The same transaction destroys the
     * account's data key (crypto-shredding): copies of what it sealed no longer open.
     */
    async eraseAccountData(input: { accountId: number }): Promise<{ deletedRows: number }> {
      const em0 = deps.orm.em.fork();
      const account = await em0.findOne(Account, { id: input.accountId }, { refresh: true });
      if (!account) throw new NotFoundError('Account');
      assertCancelled(account);
      const id = account.id;
      let deletedRows = 0;

      // Every case of the account: its appeals, and any review task about it (the cancellation's).
      const cases = await rows<{ id: string }>(
        em0,
        `select id from appeal_cases where account_id = ?
         union select case_id as id from review_tasks where account_id = ?`,
        [id, id],
      );
      for (const c of cases) {
        deletedRows += await deleteCaseDocuments(em0, deps.documents, c.id, deps.clock.now());
        await step('documents');
      }

      deletedRows += await em0.transactional(async (em) => {
        const locked = await lockAccount(em, id);
        let n = 0;
        const del = async (name: string, sql: string, params: unknown[]): Promise<void> => {
          n += await run(em, sql, params);
          await step(name);
        };
        // Sign-in: sessions (after their proofs), second steps, devices, settings, history.
        await del(
          'step_up_proofs',
          'delete from step_up_proofs where session_id in (select id from sessions where account_id = ?)',
          [id],
        );
        await del('sessions', 'delete from sessions where account_id = ?', [id]);
        await del('mfa_challenges', 'delete from mfa_challenges where account_id = ?', [id]);
        await del('mfa_devices', 'delete from mfa_devices where account_id = ?', [id]);
        await del('account_mfa_settings', 'delete from account_mfa_settings where account_id = ?', [id]);
        await del('login_events', 'delete from login_events where account_id = ?', [id]);
        await del(
          'sign_in_failure_days',
          `delete from sign_in_failure_days where subject = ?
             or subject in (select 'sub_user:' || id from sub_users where account_id = ?)`,
          [`account:${id}`, id],
        );
        await del('verification_codes', 'delete from verification_codes where account_id = ?', [id]);

        // Users under the root account, and its memberships of other root accounts (ACC-9, ACC-10).
        await del('message_receivers', 'delete from message_receivers where account_id = ?', [id]);
        const memberships = await rows<{ root: string; n: string }>(
          em,
          'select root_account_id as root, count(*) as n from collaborators where member_id = ? group by root_account_id',
          [id],
        );
        for (const m of memberships) {
          await run(em, 'update account_user_quotas set used = greatest(used - ?, 0) where account_id = ?', [
            Number(m.n),
            m.root,
          ]);
        }
        await del('collaborators', 'delete from collaborators where member_id = ? or root_account_id = ?', [
          id,
          id,
        ]);
        await del('sub_users', 'delete from sub_users where account_id = ?', [id]);
        await del('account_user_quotas', 'delete from account_user_quotas where account_id = ?', [id]);

        // Business data and transaction records.
        await del('cloud_resources', 'delete from cloud_resources where account_id = ?', [id]);
        await del('orders', 'delete from orders where account_id = ?', [id]);
        await del('owed_amounts', 'delete from owed_amounts where account_id = ?', [id]);
        await del('ledger_entries', 'delete from ledger_entries where account_id = ?', [id]);
        await del('vouchers', 'delete from vouchers where account_id = ?', [id]);
        await del('projects', 'delete from projects where account_id = ?', [id]);
        await del('account_balances', 'delete from account_balances where account_id = ?', [id]);
        // Its own complaints and those nobody else owns go; another account's complaint about it
        // stays that account's record, no longer pointing at the erased account.
        await del(
          'complaints',
          'delete from complaints where complainant_id = ? or (respondent_id = ? and complainant_id is null)',
          [id, id],
        );
        await run(em, 'update complaints set respondent_id = null where respondent_id = ?', [id]);
        await del(
          'icp_filing_transfers',
          `delete from icp_filing_transfers where from_account_id = ? or to_account_id = ?
             or filing_id in (select id from icp_filings where account_id = ?)`,
          [id, id, id],
        );
        await del('icp_filings', 'delete from icp_filings where account_id = ?', [id]);
        await del('account_domains', 'delete from account_domains where account_id = ?', [id]);

        // Real-name identity and enterprise verification (RN-1, RN-7, RN-8).
        await del('real_name_records', 'delete from real_name_records where account_id = ?', [id]);
        await del(
          'bank_payouts',
          'delete from bank_payouts where verification_id in (select id from deposit_verifications where account_id = ?)',
          [id],
        );
        // RN-8's failed-run slots of a licence or a bank account outlive the account until their
        // window ends (docs/rules-decisions.md): cancelling must not buy a guesser new runs.
        await del(
          'deposit_run_slots',
          `delete from deposit_run_slots where scope = ?
             or (outcome = 'open' and verification_id in (select id from deposit_verifications where account_id = ?))`,
          [`account:${id}`, id],
        );
        await del('deposit_verifications', 'delete from deposit_verifications where account_id = ?', [id]);
        // Personal verifications by face (RN-6): name and ID number, sealed under the account's key.
        await del('personal_verifications', 'delete from personal_verifications where account_id = ?', [id]);
        await del('face_attempt_days', 'delete from face_attempt_days where account_id = ?', [id]);
        // Recharge verifications and the payments the bank reported (RN-9): names and masked numbers.
        await del('incoming_payments', 'delete from incoming_payments where account_id = ?', [id]);
        await del('recharge_verifications', 'delete from recharge_verifications where account_id = ?', [id]);

        // Appeals and human tasks: audit events, notes, tasks, cases (documents went first).
        const caseIds = `(select id from appeal_cases where account_id = ? union select case_id from review_tasks where account_id = ?)`;
        await del('review_events', `delete from review_events where case_id in ${caseIds}`, [id, id]);
        await del('review_notes', `delete from review_notes where case_id in ${caseIds}`, [id, id]);
        await del(
          'review_tasks',
          'delete from review_tasks where account_id = ? or case_id in (select id from appeal_cases where account_id = ?)',
          [id, id],
        );
        await del('appeal_cases', 'delete from appeal_cases where account_id = ?', [id]);

        // Crypto-shredding: the account's data key is destroyed with its rows, in this transaction,
        // so whatever it sealed (bank account numbers, appeal details and contact, document keys)
        // opens no more from any copy: a backup, a log, a blob left behind. Idempotent; not counted.
        await destroyAccountDataKey(em, id, deps.clock.now());
        await step('account_data_key');

        // The tombstone: the ID, its status and dates; nothing that identifies a person.
        await releaseSecurityPhone(em, locked);
        await run(
          em,
          `update accounts set email = null, security_email = null, password_hash = ?, password_changed_at = null,
             real_name_status = 'unverified', updated_at = ? where id = ?`,
          [TOMBSTONE_PASSWORD_HASH, deps.clock.now(), id],
        );
        await step('tombstone');
        return n;
      });
      return { deletedRows };
    },

    /**
     * rule CAN-5: the account's closed workflow executions (deposit and recharge verifications, appeals) are
     * deleted from Temporal; the running cancellation is not closed and stays until its retention.
     * Deleting what is already gone deletes nothing, so a retry is harmless.
     */
    async deleteClosedWorkflowHistories(input: { accountId: number }): Promise<number> {
      if (!deps.temporal) return 0;
      return deps.temporal.deleteClosedExecutions(input.accountId);
    },
  });
}

export type CancellationExecutionActivities = ReturnType<typeof createCancellationExecutionActivities>;
