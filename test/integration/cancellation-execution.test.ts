/**
 * The execution of an approved account cancellation (issue 10 §4), activity by activity, over the
 * real database, the real API and the platform's document store: a rich account is built through
 * the API, then the activities run in the workflow's order (markAccountCancelled →
 * releaseSignUpMethods → eraseAccountData → deleteClosedWorkflowHistories). The end-to-end runs
 * through the workflow live in the cancellation workflow's own tests.
 */
import { existsSync } from 'node:fs';
import { TypedSearchAttributes } from '@temporalio/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import {
  createCancellationExecutionActivities,
  TOMBSTONE_PASSWORD_HASH,
  type CancellationExecutionDeps,
} from '../../activities/cancellation-execution.activities';
import { readFileSync } from 'node:fs';
import { TemporalClosedExecutionsEraser } from '../../apps/worker/src/closed-executions';
import { decodeKey32 } from '../../libs/config/src/config';
import { appealDetailsContext } from '../../libs/domain/src/appeals';
import { DocumentCipher } from '../../libs/domain/src/documents';
import { newId } from '../../libs/domain/src/ids';
import {
  SecretBox,
  isAccountSealed,
  openBankAccountNumber,
  sealBankAccountNumber,
} from '../../libs/domain/src/secret-box';
import { AccountKeyring, DESTROYED_KEY } from '../../libs/persistence/src/account-keys';
import { FilesystemDocumentStore } from '../../libs/integrations/src/documents/filesystem-document-store';
import {
  Account,
  AccountCancellation,
  AccountDataKey,
  BankPayout,
  DepositRunSlot,
  DepositVerification,
  RealNameRecord,
  ReviewEvent,
  ReviewNote,
  ReviewTask,
} from '../../libs/persistence/src/entities';
import { movePhoneBinding, phoneCounterKey } from '../../libs/persistence/src/phone-binding';
import { searchAttributes, workflowIds } from '../../libs/temporal/src/contract';
import {
  eventually,
  requestCode,
  signUpAndSignIn,
  uniqueEmail,
  type TestAccount,
} from '../support/factories';
import {
  providerAssertion,
  signUpWithProvider,
  uniquePhone,
  uniqueSubject,
} from '../support/identity-fixtures';
import {
  admin,
  call,
  createCollaborator,
  createSubUser,
  expectOk,
  ORG_ENV,
  type TestSubUser,
} from '../support/org-fixtures';
import { ManualClock, startPlatform, type Platform } from '../support/platform';

jest.setTimeout(180_000);

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]);

interface RichAccount {
  owner: TestAccount;
  subUser: TestSubUser;
  /** An account acting inside the owner's account (X-Account-Id). */
  collaborator: TestAccount;
  /** An account the owner collaborates in. */
  otherRoot: TestAccount;
  caseId: string;
  storageKeys: string[];
  phone: string;
  applicationId: string;
  verificationId: string;
}

describe('account cancellation: execution (issue 10 §4)', () => {
  let p: Platform;
  let store: FilesystemDocumentStore;
  /** The platform's DATA_ENCRYPTION_KEY: what a person holding the global key could open. */
  let globalBox: SecretBox;
  let keyring: AccountKeyring;
  let cipher: DocumentCipher;
  const clock = new ManualClock(new Date().toISOString());

  beforeAll(async () => {
    p = await startPlatform({ env: ORG_ENV, clock });
    store = new FilesystemDocumentStore(p.config.documents.dir);
    const dataKey = decodeKey32(p.config.dataEncryptionKey)!;
    globalBox = new SecretBox(dataKey);
    keyring = new AccountKeyring(globalBox);
    cipher = new DocumentCipher(dataKey);
  });
  afterAll(async () => {
    await p.close();
  });

  const activities = (extra: Partial<CancellationExecutionDeps> = {}) =>
    createCancellationExecutionActivities({ orm: p.orm, clock: p.clock, documents: store, ...extra });

  const sql = async <T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> =>
    (await p.orm.em.fork().getConnection().execute(text, params, 'all')) as T[];

  async function uploadDocument(token: string, caseId: string): Promise<void> {
    const form = new FormData();
    form.append('files', new Blob([JPEG]), 'front.jpg');
    form.append('labels', 'id_front_in_hand');
    const res = await fetch(`${p.url}/appeals/${caseId}/documents`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${token}` },
    });
    if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
  }

  /** An account holding data in every table the erasure must empty, built through the API where it can be. */
  async function richAccount(): Promise<RichAccount> {
    const owner = await signUpAndSignIn(p.http);
    const ownerCaller = { token: owner.token, accountId: owner.accountId };
    // Login history and a failed sign-in day.
    expect((await p.http.post('/sessions', { email: owner.email, password: 'Wrong-passw0rd' })).status).toBe(
      401,
    );
    const subUser = await createSubUser(p.http, ownerCaller, ['projects:read']);
    const collaborator = await createCollaborator(p.http, owner, ['projects:read']);
    const otherRoot = await signUpAndSignIn(p.http);
    const invited = await expectOk(
      call(p.http, { token: otherRoot.token }, 'POST', '/collaborators', {
        accountId: owner.accountId,
        permissions: [],
      }),
      201,
    );
    await expectOk(
      call(p.http, { token: owner.token }, 'POST', `/collaborator-invitations/${invited.id}/accept`),
    );

    const project = await expectOk(call(p.http, ownerCaller, 'POST', '/projects', { name: 'Prod' }), 201);
    const a = `/accounts/${owner.accountId}`;
    await admin(p.http, `${a}/resources`, { name: 'web-1', projectId: project.id });
    await admin(p.http, `${a}/recharges`, { amountFen: 5000 });
    await admin(p.http, `${a}/charges`, { amountFen: 100, projectId: project.id });
    await admin(p.http, `${a}/vouchers`, {
      amountFen: 100,
      expiresAt: new Date(p.clock.now().getTime() + 86_400_000).toISOString(),
    });
    await admin(p.http, `${a}/orders`, { amountFen: 300, projectId: project.id });
    await admin(p.http, `${a}/owed-amounts`, { amountFen: 200 });
    await admin(p.http, '/complaints', { complainantAccountId: owner.accountId, subject: 'noisy neighbour' });
    await admin(p.http, '/complaints', { respondentAccountId: owner.accountId, subject: 'outside report' });
    await admin(p.http, '/complaints', {
      complainantAccountId: otherRoot.accountId,
      respondentAccountId: owner.accountId,
      subject: 'about the owner',
    });
    await admin(p.http, `${a}/domains`, { name: `d${owner.accountId}.example.com` });
    await admin(p.http, `${a}/icp-filings`, { filingNumber: `京ICP备${owner.accountId}号` });
    await expectOk(
      p.http.post('/message-receivers', { name: 'ops', email: uniqueEmail('receiver') }, owner.token),
      201,
    );
    await expectOk(p.http.post('/mfa/devices/virtual', { name: 'phone' }, owner.token), 201);

    const appeal = await expectOk(
      p.http.post(
        '/appeals',
        { kind: 'registration-email-appeal', newEmail: uniqueEmail('appeal') },
        owner.token,
      ),
      201,
    );
    const caseId = appeal.caseId as string;
    await uploadDocument(owner.token, caseId);

    // What the workflows and the bank would have written: review rows, a deposit verification.
    const em = p.orm.em.fork();
    const now = p.clock.now();
    const taskId = `${caseId}:1`;
    em.create(ReviewTask, {
      id: taskId,
      caseId,
      workflowId: `appeal:registration-email-appeal:${owner.accountId}`,
      runId: 'run-1',
      kind: 'registration-email-appeal',
      queue: 'review',
      status: 'open',
      accountId: owner.accountId,
      priority: 0,
      createdAt: now,
      dueAt: now,
      state: {},
    });
    const noteId = newId();
    em.create(ReviewNote, {
      id: noteId,
      caseId,
      author: 'applicant',
      kind: 'answer',
      body: 'my old mailbox is gone',
      idempotencyKey: noteId,
      createdAt: now,
    });
    em.create(ReviewEvent, { id: `${taskId}:1`, caseId, taskId, type: 'created', actor: 'system', at: now });
    const verificationId = newId();
    // Sealed as the API seals it: under the account's data key.
    const accountBox = await keyring.boxFor(em, owner.accountId);
    em.create(DepositVerification, {
      id: verificationId,
      account: owner.accountId,
      enterpriseName: 'Acme Cloud Ltd',
      licenceNumber: '91110000MA01ABCD2X',
      bankAccountHolder: 'Acme Cloud Ltd',
      bankName: 'Industrial and Commercial Bank of China',
      bankAccountNumber: sealBankAccountNumber(accountBox, verificationId, '6222020200001235'),
      maskedAccountNumber: '****1234',
      workflowId: workflowIds.depositVerification(owner.accountId),
    });
    em.create(BankPayout, {
      id: newId(),
      verificationId,
      idempotencyKey: `deposit-payout:${verificationId}`,
      amountFen: 37,
      requestedAt: now,
    });
    const slot = { verificationId, claimedAt: now, countsUntil: new Date(now.getTime() + 86_400_000) };
    em.create(DepositRunSlot, { scope: `account:${owner.accountId}`, slot: 1, outcome: 'open', ...slot });
    em.create(DepositRunSlot, { scope: `bank:${verificationId}`, slot: 1, outcome: 'open', ...slot });
    em.create(DepositRunSlot, { scope: `licence:${verificationId}`, slot: 1, outcome: 'failed', ...slot });
    em.create(RealNameRecord, {
      id: newId(),
      account: owner.accountId,
      kind: 'personal',
      name: 'Zhang San',
      certificateNumber: '11010119900307777X',
      method: 'face',
      verifiedAt: now,
    });
    const applicationId = newId();
    em.create(AccountCancellation, {
      id: applicationId,
      accountId: owner.accountId,
      status: 'executing',
      riskFlags: [],
      workflowId: workflowIds.accountCancellation(owner.accountId),
      createdAt: now,
    });
    await em.flush();
    // ACC-3: the security phone holds one of the number's slots.
    const phone = uniquePhone();
    await p.orm.em.fork().transactional(async (tx) => {
      expect(await movePhoneBinding(tx, 'cn', phone, null)).toBe(true);
      await tx.nativeUpdate(
        Account,
        { id: owner.accountId },
        { securityPhone: phone, securityEmail: uniqueEmail('sec') },
      );
    });
    const storageKeys = (
      await sql<{ storage_key: string }>('select storage_key from case_documents where case_id = ?', [caseId])
    ).map((r) => r.storage_key);
    expect(storageKeys).toHaveLength(1);
    expect(existsSync(store.pathOf(storageKeys[0]))).toBe(true);
    return {
      owner,
      subUser,
      collaborator,
      otherRoot,
      caseId,
      storageKeys,
      phone,
      applicationId,
      verificationId,
    };
  }

  /** How many rows of the account's data each table still holds (every one must be 0 after erasure). */
  async function leftovers(r: RichAccount): Promise<Record<string, number>> {
    const id = r.owner.accountId;
    const count = async (text: string, params: unknown[]): Promise<number> =>
      Number((await sql<{ n: string }>(`select count(*) as n from ${text}`, params))[0].n);
    const byAccount = [
      'sessions',
      'mfa_challenges',
      'mfa_devices',
      'account_mfa_settings',
      'login_events',
      'login_identities',
      'verification_codes',
      'message_receivers',
      'sub_users',
      'projects',
      'cloud_resources',
      'orders',
      'owed_amounts',
      'ledger_entries',
      'vouchers',
      'account_domains',
      'icp_filings',
      'real_name_records',
      'deposit_verifications',
      'appeal_cases',
      'review_tasks',
    ];
    const out: Record<string, number> = {};
    for (const table of byAccount) out[table] = await count(`${table} where account_id = ?`, [id]);
    out['account_balances'] = await count('account_balances where account_id = ?', [id]);
    out['account_user_quotas'] = await count('account_user_quotas where account_id = ?', [id]);
    out['collaborators'] = await count('collaborators where root_account_id = ? or member_id = ?', [id, id]);
    out['complaints'] = await count('complaints where complainant_id = ? or respondent_id = ?', [id, id]);
    out['icp_filing_transfers'] = await count(
      'icp_filing_transfers where from_account_id = ? or to_account_id = ?',
      [id, id],
    );
    out['sign_in_failure_days'] = await count('sign_in_failure_days where subject = ? or subject = ?', [
      `account:${id}`,
      `sub_user:${r.subUser.id}`,
    ]);
    out['registered_emails'] = await count('registered_emails where account_id = ?', [id]);
    out['case_documents'] = await count('case_documents where case_id = ?', [r.caseId]);
    out['case_document_counts'] = await count('case_document_counts where case_id = ?', [r.caseId]);
    out['review_events'] = await count('review_events where case_id = ?', [r.caseId]);
    out['review_notes'] = await count('review_notes where case_id = ?', [r.caseId]);
    out['bank_payouts'] = await count('bank_payouts where verification_id = ?', [r.verificationId]);
    out['deposit_run_slots'] = await count(
      `deposit_run_slots where scope = ? or (verification_id = ? and outcome = 'open')`,
      [`account:${id}`, r.verificationId],
    );
    return out;
  }

  async function expectErased(r: RichAccount): Promise<void> {
    const left = await leftovers(r);
    expect(Object.entries(left).filter(([, n]) => n > 0)).toEqual([]);
    for (const key of r.storageKeys) {
      expect(existsSync(store.pathOf(key))).toBe(false);
    }
    const [tomb] = await sql<Record<string, unknown>>('select * from accounts where id = ?', [
      r.owner.accountId,
    ]);
    expect(tomb).toMatchObject({
      status: 'cancelled',
      email: null,
      security_phone: null,
      security_email: null,
      password_hash: TOMBSTONE_PASSWORD_HASH,
      password_changed_at: null,
      real_name_status: 'unverified',
    });
    expect(tomb['cancelled_at']).not.toBeNull();
    expect(tomb['created_at']).not.toBeNull();
    // ACC-3: the phone's slot was given back.
    const [counter] = await sql<{ bound: number }>('select bound from phone_bind_counts where key = ?', [
      phoneCounterKey('cn', r.phone),
    ]);
    expect(counter?.bound).toBe(0);
    // The application row stays: the workflow records its end there.
    expect(await p.orm.em.fork().count(AccountCancellation, { id: r.applicationId })).toBe(1);
    // Another account's complaint about it stays that account's record, pointing at nobody.
    const kept = await sql<{ respondent_id: string | null }>(
      `select respondent_id from complaints where complainant_id = ? and subject = 'about the owner'`,
      [r.otherRoot.accountId],
    );
    expect(kept).toEqual([{ respondent_id: null }]);
    // The slot the owner's membership held in the other root account is given back (ACC-10).
    const [quota] = await sql<{ used: number }>('select used from account_user_quotas where account_id = ?', [
      r.otherRoot.accountId,
    ]);
    expect(quota?.used ?? 0).toBe(0);
    // Crypto-shredding: the account's data key is destroyed; its row records when.
    const key = await p.orm.em
      .fork()
      .findOneOrFail(AccountDataKey, { accountId: r.owner.accountId }, { populate: ['wrappedKey'] });
    expect(key.wrappedKey).toBe(DESTROYED_KEY);
    expect(key.destroyedAt).not.toBeNull();
  }

  it("CAN-2: marked cancelled in one transaction; the owner's token, a sub-user's token and sign-in, and a collaborator's switching are all refused", async () => {
    const r = await richAccount();
    const inside = { token: r.collaborator.token, actAs: r.owner.accountId };
    // Before: every way in works.
    expect((await p.http.get('/accounts/me', r.owner.token)).status).toBe(200);
    expect((await p.http.get('/projects', r.subUser.token)).status).toBe(200);
    expect((await call(p.http, inside, 'GET', '/projects')).status).toBe(200);

    const acts = activities();
    await acts.markAccountCancelled({ accountId: r.owner.accountId, applicationId: r.applicationId });

    expect((await p.http.get('/accounts/me', r.owner.token)).status).toBe(401);
    expect(
      (await p.http.post('/sessions', { email: r.owner.email, password: r.owner.password })).status,
    ).toBe(401);
    expect((await p.http.get('/projects', r.subUser.token)).status).toBe(401);
    const subSignIn = await p.http.post('/sub-users/sessions', {
      accountId: r.owner.accountId,
      username: r.subUser.username,
      password: r.subUser.password,
    });
    expect(subSignIn.status).toBe(401);
    expect((await call(p.http, inside, 'GET', '/projects')).status).toBe(404);
    // The collaborator's own account is untouched.
    expect((await p.http.get('/accounts/me', r.collaborator.token)).status).toBe(200);

    const [account] = await sql<{ status: string; cancelled_at: string }>(
      'select status, cancelled_at from accounts where id = ?',
      [r.owner.accountId],
    );
    expect(account.status).toBe('cancelled');
    const live = await sql('select id from sessions where account_id = ? and revoked_at is null', [
      r.owner.accountId,
    ]);
    expect(live).toEqual([]);
    const proofs = await sql(
      'select id from step_up_proofs where session_id in (select id from sessions where account_id = ?)',
      [r.owner.accountId],
    );
    expect(proofs).toEqual([]);
    expect(await sql('select id from collaborators where root_account_id = ?', [r.owner.accountId])).toEqual(
      [],
    );

    // A retry changes nothing more.
    await acts.markAccountCancelled({ accountId: r.owner.accountId, applicationId: r.applicationId });
    const [again] = await sql<{ cancelled_at: string }>('select cancelled_at from accounts where id = ?', [
      r.owner.accountId,
    ]);
    expect(new Date(again.cancelled_at).getTime()).toBe(new Date(account.cancelled_at).getTime());
  });

  it('CAN-2: an application that was withdrawn cannot cancel the account', async () => {
    const owner = await signUpAndSignIn(p.http);
    const applicationId = newId();
    await p.orm.em.fork().insert(AccountCancellation, {
      id: applicationId,
      accountId: owner.accountId,
      status: 'withdrawn',
      riskFlags: [],
      workflowId: workflowIds.accountCancellation(owner.accountId),
      createdAt: p.clock.now(),
    });
    await expect(
      activities().markAccountCancelled({ accountId: owner.accountId, applicationId }),
    ).rejects.toMatchObject({ type: 'ConflictError', nonRetryable: true });
    await expect(activities().eraseAccountData({ accountId: owner.accountId })).rejects.toMatchObject({
      type: 'ConflictError',
    });
    expect((await p.http.get('/accounts/me', owner.token)).status).toBe(200);
  });

  it("CAN-3/CAN-4: the same email can sign up again (a new account ID), a QQ/WeChat identity's link is removed and it registers anew; ACC-6 still keeps the email from another account's logins", async () => {
    const owner = await signUpAndSignIn(p.http);
    const qq = uniqueSubject('qq');
    const qqBound = await p.http.post(
      '/accounts/me/login-methods/third-party',
      { provider: 'qq', assertion: await providerAssertion(p.http, 'qq', qq) },
      owner.token,
    );
    expect(qqBound.status).toBe(201);
    const wx = uniqueSubject('wx');
    const wechat = await signUpWithProvider(p.http, 'wechat', wx);

    for (const accountId of [owner.accountId, wechat.accountId]) {
      const applicationId = newId();
      await p.orm.em.fork().insert(AccountCancellation, {
        id: applicationId,
        accountId,
        status: 'executing',
        riskFlags: [],
        workflowId: workflowIds.accountCancellation(accountId),
        createdAt: p.clock.now(),
      });
      const acts = activities();
      await acts.markAccountCancelled({ accountId, applicationId });
      await acts.releaseSignUpMethods({ accountId });
      await acts.releaseSignUpMethods({ accountId });
      expect(await sql('select id from login_identities where account_id = ?', [accountId])).toEqual([]);
    }

    // CAN-3: the cancelled WeChat account no longer answers to its identity.
    const wxSignIn = await p.http.post('/sessions/third-party', {
      provider: 'wechat',
      assertion: await providerAssertion(p.http, 'wechat', wx),
    });
    expect(wxSignIn.status).not.toBe(201);

    clock.advance(61_000); // ACC-12: the codes' resend cooldown
    // ACC-6: a released address still never becomes a login email of another account.
    const other = await signUpAndSignIn(p.http);
    const code = await requestCode(
      p.http,
      '/accounts/me/login-methods/email/codes',
      { email: owner.email },
      owner.email,
      other.token,
    );
    const associate = await p.http.post(
      '/accounts/me/login-methods/email',
      { email: owner.email, code },
      other.token,
    );
    expect(associate.status).toBe(422);

    clock.advance(61_000);
    // CAN-4: the same email, QQ and WeChat identities register new accounts, with new IDs.
    const again = await signUpAndSignIn(p.http, { email: owner.email });
    expect(again.accountId).not.toBe(owner.accountId);
    const [row] = await sql<{ account_id: string; released_at: Date | null }>(
      'select account_id, released_at from registered_emails where email = ?',
      [owner.email],
    );
    expect(row).toEqual({ account_id: String(again.accountId), released_at: null });
    const wxAgain = await signUpWithProvider(p.http, 'wechat', wx);
    expect(wxAgain.accountId).not.toBe(wechat.accountId);
    const qqAgain = await signUpWithProvider(p.http, 'qq', qq);
    expect(qqAgain.accountId).not.toBe(owner.accountId);

    // The account ID itself is never reused: the tombstone holds it.
    const em = p.orm.em.fork();
    em.create(Account, { id: owner.accountId, passwordHash: 'x' });
    const reused = await em.flush().then(
      () => null,
      (err: unknown) => err,
    );
    expect((reused as { name?: string } | null)?.name).toBe('UniqueConstraintViolationException');
  });

  it("CAN-5: no row of the account's data is left, documents are gone from the store, and the tombstone holds only the ID, status and dates", async () => {
    const r = await richAccount();
    const before = await leftovers(r);
    expect(before['sessions']).toBeGreaterThan(0);
    expect(before['ledger_entries']).toBeGreaterThan(0);
    expect(before['sign_in_failure_days']).toBeGreaterThan(0);

    const acts = activities();
    await acts.markAccountCancelled({ accountId: r.owner.accountId, applicationId: r.applicationId });
    await acts.releaseSignUpMethods({ accountId: r.owner.accountId });
    const { deletedRows } = await acts.eraseAccountData({ accountId: r.owner.accountId });
    expect(deletedRows).toBeGreaterThan(20);
    await expectErased(r);
    // RN-8: a licence's failed-run slot outlives the account until its window ends.
    const kept = await sql('select scope from deposit_run_slots where verification_id = ?', [
      r.verificationId,
    ]);
    expect(kept).toEqual([{ scope: `licence:${r.verificationId}` }]);
  });

  it('CAN-5: execution resumes after a crash: each activity run twice, or a first try that fails half-way, ends in the same state', async () => {
    const r = await richAccount();
    const id = r.owner.accountId;
    const crashAt = (at: string) =>
      activities({
        afterEraseStep: (s) => {
          if (s === at) throw new Error(`worker killed after ${s}`);
        },
      });
    await crashAt('none').markAccountCancelled({ accountId: id, applicationId: r.applicationId });
    await crashAt('none').markAccountCancelled({ accountId: id, applicationId: r.applicationId });
    await crashAt('none').releaseSignUpMethods({ accountId: id });
    await crashAt('none').releaseSignUpMethods({ accountId: id });

    // Killed after the documents: the blobs are gone, every row still there.
    await expect(crashAt('documents').eraseAccountData({ accountId: id })).rejects.toThrow('worker killed');
    for (const key of r.storageKeys) expect(existsSync(store.pathOf(key))).toBe(false);
    expect((await leftovers(r))['ledger_entries']).toBeGreaterThan(0);

    // Killed half-way through the rows: the transaction rolls back, nothing is half-erased.
    await expect(crashAt('ledger_entries').eraseAccountData({ accountId: id })).rejects.toThrow(
      'worker killed',
    );
    const half = await leftovers(r);
    expect(half['sessions']).toBeGreaterThan(0);
    expect(half['ledger_entries']).toBeGreaterThan(0);
    const [mid] = await sql<{ password_hash: string }>('select password_hash from accounts where id = ?', [
      id,
    ]);
    expect(mid.password_hash).not.toBe(TOMBSTONE_PASSWORD_HASH);

    // Killed right after the key was destroyed: that rolls back with the rows (one transaction).
    await expect(crashAt('account_data_key').eraseAccountData({ accountId: id })).rejects.toThrow(
      'worker killed',
    );
    expect((await leftovers(r))['deposit_verifications']).toBe(1);
    expect(await sql('select destroyed_at from account_data_keys where account_id = ?', [id])).toEqual([
      { destroyed_at: null },
    ]);

    // The retry finishes; another run erases nothing twice and does not fail on what is gone.
    const first = await activities().eraseAccountData({ accountId: id });
    expect(first.deletedRows).toBeGreaterThan(20);
    await expectErased(r);
    expect(await activities().eraseAccountData({ accountId: id })).toEqual({ deletedRows: 0 });
    await expectErased(r);
  });

  it("CAN-5: the account's data key is destroyed: a sealed value kept from before (a copy of a deposit verification's sealed bank account number, a document's wrapped key and blob, an appeal's details, as a backup would hold them) no longer opens", async () => {
    const r = await richAccount();
    const id = r.owner.accountId;
    // The "backup": copies of sealed values taken before the erasure.
    const [verification] = await sql<{ bank_account_number: string }>(
      'select bank_account_number from deposit_verifications where id = ?',
      [r.verificationId],
    );
    const [appeal] = await sql<{ details_sealed: string }>(
      'select details_sealed from appeal_cases where id = ?',
      [r.caseId],
    );
    const [doc] = await sql<{ id: string; wrapped_key: string; sha256: string; storage_key: string }>(
      'select id, wrapped_key, sha256, storage_key from case_documents where case_id = ?',
      [r.caseId],
    );
    const backup = {
      bankAccountNumber: verification.bank_account_number,
      details: appeal.details_sealed,
      document: {
        blob: readFileSync(store.pathOf(doc.storage_key)),
        wrappedKey: doc.wrapped_key,
        sha256: doc.sha256,
      },
    };
    // All three are sealed under the account's key, and open with it before the erasure.
    expect(
      [backup.bankAccountNumber, backup.details, backup.document.wrappedKey].every(isAccountSealed),
    ).toBe(true);
    const before = await keyring.boxFor(p.orm.em.fork(), id);
    expect(openBankAccountNumber(before, r.verificationId, backup.bankAccountNumber)).toBe(
      '6222020200001235',
    );
    expect(JSON.parse(before.open(backup.details, appealDetailsContext(r.caseId)))).toMatchObject({
      kind: 'registration-email-appeal',
    });
    expect(cipher.open(doc.id, backup.document, before).equals(JPEG)).toBe(true);

    const acts = activities();
    await acts.markAccountCancelled({ accountId: id, applicationId: r.applicationId });
    await acts.releaseSignUpMethods({ accountId: id });
    await acts.eraseAccountData({ accountId: id });
    await acts.eraseAccountData({ accountId: id });

    // The key is gone: no box for the account any more, and the global key opens none of them.
    await expect(keyring.boxFor(p.orm.em.fork(), id)).rejects.toMatchObject({
      code: 'account_key_destroyed',
    });
    await expect(keyring.boxToOpen(p.orm.em.fork(), id, backup.details)).rejects.toMatchObject({
      code: 'account_key_destroyed',
    });
    expect(() => openBankAccountNumber(globalBox, r.verificationId, backup.bankAccountNumber)).toThrow();
    expect(() => globalBox.open(backup.details, appealDetailsContext(r.caseId))).toThrow();
    expect(() => cipher.open(doc.id, backup.document)).toThrow();
    const [row] = await sql<{ wrapped_key: string }>(
      'select wrapped_key from account_data_keys where account_id = ?',
      [id],
    );
    expect(row.wrapped_key).toBe(DESTROYED_KEY);
    expect(() => globalBox.open(row.wrapped_key, `account-data-key:${id}`)).toThrow();
  });

  it("CAN-5: the account's closed workflow executions are deleted from Temporal; a running one stays", async () => {
    const accountId = 8_900_000_000_000_000 + Math.floor(Math.random() * 1_000_000_000);
    const taskQueue = `cancellation-history-${newId()}`;
    const start = (workflowId: string) =>
      p.temporal.workflow.start('noSuchWorkflow', {
        workflowId,
        taskQueue,
        typedSearchAttributes: new TypedSearchAttributes([
          { key: searchAttributes.accountId, value: String(accountId) },
        ]),
      });
    const closed = await start(`deposit-verification:${accountId}:${newId()}`);
    await closed.terminate('closed for the test');
    const running = await start(workflowIds.accountCancellation(accountId));
    const eraser = new TemporalClosedExecutionsEraser(p.temporal);
    const acts = activities({ temporal: eraser });

    let deleted = 0;
    await eventually(
      async () => {
        deleted += await acts.deleteClosedWorkflowHistories({ accountId });
        return deleted >= 1 ? deleted : undefined;
      },
      30_000,
      'the closed execution to be listed and deleted',
    );
    expect(deleted).toBe(1);
    let seen = '';
    for (let i = 0; i < 600 && seen !== 'gone'; i += 1) {
      try {
        const d = await closed.describe();
        seen = `${d.status.name}`;
      } catch (err) {
        seen =
          err instanceof WorkflowNotFoundError
            ? 'gone'
            : `${(err as Error).constructor.name}: ${String(err)}`;
      }
      if (seen !== 'gone') await new Promise((r) => setTimeout(r, 100));
    }
    const listed = [];
    for await (const e of p.temporal.workflow.list({ query: `AccountId = "${accountId}"` }))
      listed.push(`${e.workflowId} ${e.status.name}`);
    // Temporal deletes asynchronously (seconds): the closed run goes, the running one stays.
    expect({ seen, listed }).toEqual({
      seen: 'gone',
      listed: [`${workflowIds.accountCancellation(accountId)} RUNNING`],
    });
    expect((await running.describe()).status.name).toBe('RUNNING');
    // A retry deletes nothing more.
    expect(await acts.deleteClosedWorkflowHistories({ accountId })).toBe(0);
    await running.terminate('test over');
  });
});
