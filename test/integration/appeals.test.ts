/**
 * Manual appeals and the reviewer inbox over real HTTP, a real Temporal dev server and a real
 * worker (issue 9): each appeal from application to outcome, four eyes, concurrent claims, who
 * may see and do what, upload limits and the audit trail.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Account, AppealCase, MfaDevice, Session } from '../../libs/persistence/src/entities';
import type { CreatedStaff } from '../../apps/api/src/staff/staff-provisioning';
import {
  bankAccountNumber,
  eventually,
  latestCode,
  licenceNumber,
  signUpAndSignIn,
  uniqueEmail,
  type TestAccount,
} from '../support/factories';
import { uniquePhone } from '../support/identity-fixtures';
import { ManualClock, startPlatform, type Platform } from '../support/platform';
import { createSignedInStaff, signInStaff, type SignedInStaff } from '../support/staff-fixtures';
import { codeFor, str, type Json, type Res } from '../support/security';

jest.setTimeout(60_000);

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]);
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(200, 9),
]);

describe('manual appeals and the reviewer inbox over HTTP', () => {
  let p: Platform;
  const clock = new ManualClock(new Date(Date.now()).toISOString());
  let n = 0;
  const staff: Record<'reviewer' | 'senior' | 'senior2' | 'operator', SignedInStaff> = {} as never;

  const createStaff = (role: CreatedStaff['role']): Promise<SignedInStaff> => {
    n += 1;
    return createSignedInStaff(p, clock, role, `appeals.${role}.${n}@example.com`);
  };

  beforeAll(async () => {
    p = await startPlatform({ clock, worker: true });
    staff.reviewer = await createStaff('reviewer');
    staff.senior = await createStaff('senior_reviewer');
    staff.senior2 = await createStaff('senior_reviewer');
    staff.operator = await createStaff('operator');
  });
  afterAll(async () => {
    await p.close();
  });

  const asCase = (token: string) => ({ 'x-case-token': token });
  const get = (path: string, headers: Record<string, string>): Promise<Res> =>
    p.http.request<Json>('GET', path, { headers });
  const post = (path: string, body: unknown, headers: Record<string, string>): Promise<Res> =>
    p.http.request<Json>('POST', path, { body, headers });

  async function upload(
    caseId: string,
    headers: Record<string, string>,
    files: Array<{ name: string; bytes: Buffer; label: string }>,
  ) {
    const form = new FormData();
    for (const f of files) form.append('files', new Blob([f.bytes]), f.name);
    for (const f of files) form.append('labels', f.label);
    const res = await fetch(`${p.url}/appeals/${caseId}/documents`, { method: 'POST', body: form, headers });
    return { status: res.status, body: (await res.json()) as Json };
  }

  /** The inbox task of a case, once the workflow has written it. */
  const taskOf = (caseId: string, token = staff.senior.token): Promise<Json> =>
    eventually(
      async () => {
        const r = await p.http.get<Json>(`/staff/review-tasks?limit=100`, token);
        return (r.body['items'] as Json[] | undefined)?.find((t) => t['caseId'] === caseId);
      },
      20_000,
      `the task of case ${caseId}`,
    );

  const taskAction = (
    taskId: string,
    action: string,
    token: string,
    body: unknown = undefined,
  ): Promise<Res> => p.http.post<Json>(`/staff/review-tasks/${taskId}/${action}`, body, token);

  /** Reviewer claims and approves, a senior claims and gives the second approval. */
  async function approveWithFourEyes(taskId: string, reasonCode: string): Promise<void> {
    expect((await taskAction(taskId, 'claim', staff.reviewer.token)).status).toBe(200);
    const first = await taskAction(taskId, 'decision', staff.reviewer.token, {
      decision: 'approve',
      reasonCode,
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      status: 'awaiting_second_approval',
      queue: 'senior-review',
      assigneeId: null,
    });
    expect((await taskAction(taskId, 'claim', staff.senior.token)).status).toBe(200);
    const second = await taskAction(taskId, 'decision', staff.senior.token, {
      decision: 'approve',
      reasonCode,
    });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ status: 'completed' });
  }

  const caseStatus = (caseId: string, headers: Record<string, string>, status: string): Promise<Json> =>
    eventually(
      async () => {
        const r = await get(`/appeals/${caseId}`, headers);
        return r.body['status'] === status ? r.body : undefined;
      },
      20_000,
      `case ${caseId} ${status}`,
    );

  /** Waits for the outbox dispatcher to deliver a notice the worker wrote. */
  const outboxHas = (to: string, subject: string): Promise<true> =>
    eventually(
      async () => {
        const r = await p.http.get<Array<{ subject: string }>>(
          `/sandbox/outbox?to=${encodeURIComponent(to)}`,
        );
        return r.body.some((m) => m.subject === subject) ? true : undefined;
      },
      15_000,
      `"${subject}" to ${to}`,
    );

  /** Opens a case without a session: a code to the contact, then the application with it. */
  async function openSessionless(
    account: TestAccount,
    contact: string,
    body: Record<string, unknown>,
  ): Promise<{ caseId: string; token: string }> {
    clock.advance(61_000);
    const sent = await p.http.post<Json>('/appeals/codes', { account: String(account.accountId), contact });
    expect(sent.status).toBe(202);
    const code = await latestCode(p.http, contact.includes('@') ? contact : `+86${contact}`);
    const created = await p.http.post<Json>('/appeals/sessionless', {
      account: String(account.accountId),
      contact,
      code,
      ...body,
    });
    expect(created.status).toBe(201);
    return { caseId: str(created, 'caseId'), token: str(created, 'caseToken') };
  }

  it('LOG-1: an owner who cannot sign in applies without a session; once approved (four eyes) the new email signs in', async () => {
    const a = await signUpAndSignIn(p.http);
    const newEmail = uniqueEmail('log1');
    const { caseId, token } = await openSessionless(a, newEmail, {
      kind: 'sign-in-appeal',
      newEmail,
      basicInfo: { signUpMethod: 'email', recentActivity: 'ran two cloud servers' },
    });
    const submitted = await post(`/appeals/${caseId}/submit`, undefined, asCase(token));
    expect(submitted.status).toBe(200);
    expect(submitted.body['status']).toBe('in_review');
    const task = await taskOf(caseId);
    expect(task).toMatchObject({ kind: 'sign-in-appeal', queue: 'review', status: 'open', assigneeId: null });
    expect(task['account']).not.toContain(String(a.accountId));

    // The new email is not a login method before the outcome is applied.
    expect((await p.http.post('/sessions', { email: newEmail, password: a.password })).status).toBe(401);
    await approveWithFourEyes(task['taskId'] as string, 'ownership_verified');
    const closed = await caseStatus(caseId, asCase(token), 'approved');
    expect(closed['reasonCode']).toBe('ownership_verified');
    const signIn = await p.http.post<Json>('/sessions', { email: newEmail, password: a.password });
    expect(signIn.status).toBe(201);
    // The applicant was told at the contact they proved.
    await outboxHas(newEmail, 'You can sign in again');
  });

  it('LOG-1: a wrong code and an unknown account get the same answer; the case token is needed to follow a case', async () => {
    const a = await signUpAndSignIn(p.http);
    const contact = uniqueEmail('probe');
    const base = { kind: 'sign-in-appeal', contact, code: '000000', newEmail: contact, basicInfo: {} };
    const wrong = await p.http.post<Json>('/appeals/sessionless', { ...base, account: String(a.accountId) });
    const unknown = await p.http.post<Json>('/appeals/sessionless', { ...base, account: '9999999999999999' });
    expect(wrong.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(wrong.body.error['code']).toBe(unknown.body.error['code']);
    // Sending a code answers the same for an unknown account (its contact gets a notice instead).
    clock.advance(61_000);
    const known = await p.http.post<Json>('/appeals/codes', { account: String(a.accountId), contact });
    clock.advance(61_000);
    const none = await p.http.post<Json>('/appeals/codes', {
      account: '9999999999999999',
      contact: uniqueEmail('none'),
    });
    expect([known.status, none.status]).toEqual([202, 202]);
    expect(Object.keys(known.body).sort()).toEqual(Object.keys(none.body).sort());

    const { caseId } = await openSessionless(a, uniqueEmail('log1b'), {
      kind: 'sign-in-appeal',
      newEmail: uniqueEmail('n'),
      basicInfo: {},
    });
    expect((await get(`/appeals/${caseId}`, {})).status).toBe(401);
    expect((await get(`/appeals/${caseId}`, asCase('act_not-the-token'))).status).toBe(404);
    const other = await signUpAndSignIn(p.http);
    expect((await p.http.get(`/appeals/${caseId}`, other.token)).status).toBe(404);
  });

  it('CON-1b: a security phone by appeal needs hand-held ID photos; on approval the phone is bound and both phones are told', async () => {
    const a = await signUpAndSignIn(p.http);
    const phone = uniquePhone();
    const { caseId, token } = await openSessionless(a, phone, {
      kind: 'security-phone-appeal',
      newPhone: phone,
    });
    const early = await post(`/appeals/${caseId}/submit`, undefined, asCase(token));
    expect(early.status).toBe(400);
    expect(early.body.error['missing']).toEqual(['id_front_in_hand', 'id_back_in_hand']);

    // Upload limits: a text file named .jpg is refused by its bytes, naming the file.
    const refused = await upload(caseId, asCase(token), [
      { name: 'front.jpg', bytes: Buffer.from('not an image at all'), label: 'id_front_in_hand' },
    ]);
    expect(refused.status).toBe(415);
    expect(JSON.stringify(refused.body)).toContain('front.jpg');
    const uploaded = await upload(caseId, asCase(token), [
      { name: 'front.jpg', bytes: JPEG, label: 'id_front_in_hand' },
      { name: 'back.png', bytes: PNG, label: 'id_back_in_hand' },
    ]);
    expect(uploaded.status).toBe(201);
    expect((await post(`/appeals/${caseId}/submit`, undefined, asCase(token))).status).toBe(200);

    const task = await taskOf(caseId);
    const taskId = task['taskId'] as string;
    // A reviewer reads documents only of tasks they work; the read is audited.
    const view = await p.http.get<Json>(`/staff/review-tasks/${taskId}`, staff.reviewer.token);
    expect(view.status).toBe(200);
    const docs = (view.body['case'] as Json)['documents'] as Json[];
    expect(docs.map((d) => d['label']).sort()).toEqual(['id_back_in_hand', 'id_front_in_hand']);
    const docPath = `/staff/review-tasks/${taskId}/documents/${docs[0]['documentId'] as string}`;
    expect((await p.http.get(docPath, staff.reviewer.token)).status).toBe(403);
    const read = await fetch(`${p.url}${docPath}`, {
      headers: { authorization: `Bearer ${staff.senior.token}` },
    });
    expect(read.status).toBe(200);
    expect(
      Buffer.from(await read.arrayBuffer()).equals(docs[0]['label'] === 'id_front_in_hand' ? JPEG : PNG),
    ).toBe(true);

    await approveWithFourEyes(taskId, 'documents_verified');
    await caseStatus(caseId, asCase(token), 'approved');
    const account = await p.orm.em.fork().findOneOrFail(Account, { id: a.accountId });
    expect(account.securityPhone).toBe(`+86${phone}`);
    await outboxHas(`+86${phone}`, 'Your security phone was changed');

    const trail = await p.http.get<Json>(`/staff/review-tasks/${taskId}`, staff.operator.token);
    const types = (trail.body['events'] as Json[]).map((e) => e['type']);
    expect(types).toEqual(
      expect.arrayContaining(['created', 'claimed', 'decided', 'second_approval', 'document_opened']),
    );
  });

  it('issue 9 §2: a stored document file does not hold the uploaded bytes in the clear', async () => {
    const a = await signUpAndSignIn(p.http);
    const marker = Buffer.from('UNIQUE-MARKER-0123456789-ABCDEFGHIJKLMNOPQRSTUVWXYZ-abcdefghijkl');
    const created = await p.http.post<Json>(
      '/appeals',
      { kind: 'registration-email-appeal', newEmail: uniqueEmail('as2') },
      a.token,
    );
    expect(created.status).toBe(201);
    const caseId = str(created, 'caseId');
    const bytes = Buffer.concat([JPEG, marker]);
    expect(
      (
        await upload(caseId, { authorization: `Bearer ${a.token}` }, [
          { name: 'x.jpg', bytes, label: 'id_front_in_hand' },
        ])
      ).status,
    ).toBe(201);
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const f of readdirSync(dir)) {
        const path = join(dir, f);
        if (statSync(path).isDirectory()) walk(path);
        else files.push(path);
      }
    };
    walk(p.config.documents.dir);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(readFileSync(f).includes(marker)).toBe(false);
  });

  it('AS-2: the registration email changes by appeal, only to an email no account holds', async () => {
    const a = await signUpAndSignIn(p.http);
    const b = await signUpAndSignIn(p.http);
    const taken = await p.http.post<Json>(
      '/appeals',
      { kind: 'registration-email-appeal', newEmail: b.email },
      a.token,
    );
    expect(taken.status).toBe(422);
    expect(taken.body.error['field']).toBe('newEmail');

    const newEmail = uniqueEmail('as2new');
    const created = await p.http.post<Json>(
      '/appeals',
      { kind: 'registration-email-appeal', newEmail },
      a.token,
    );
    const caseId = str(created, 'caseId');
    const owner = { authorization: `Bearer ${a.token}` };
    // One open appeal per account and kind.
    const again = await p.http.post<Json>(
      '/appeals',
      { kind: 'registration-email-appeal', newEmail: uniqueEmail('x') },
      a.token,
    );
    expect(again.status).toBe(409);
    expect(again.body.error['caseId']).toBe(caseId);
    expect(
      (
        await upload(caseId, owner, [
          { name: 'f.jpg', bytes: JPEG, label: 'id_front_in_hand' },
          { name: 'b.jpg', bytes: JPEG, label: 'id_back_in_hand' },
        ])
      ).status,
    ).toBe(201);
    expect((await post(`/appeals/${caseId}/submit`, undefined, owner)).status).toBe(200);
    const taskId = (await taskOf(caseId))['taskId'] as string;
    await approveWithFourEyes(taskId, 'documents_verified');
    await caseStatus(caseId, owner, 'approved');
    expect((await p.http.post('/sessions', { email: newEmail, password: a.password })).status).toBe(201);
    expect((await p.http.post('/sessions', { email: a.email, password: a.password })).status).toBe(401);
  });

  it('MFA-5: a lost device appeal shows the reviewer match or mismatch (never the numbers); approval unbinds the device and ends every session', async () => {
    const a = await signUpAndSignIn(p.http);
    const created = await p.http.post<Json>('/mfa/devices/virtual', { name: 'phone' }, a.token);
    const secret = str(created, 'secret');
    const deviceId = (created.body['device'] as { id: string }).id;
    clock.advance(30_000);
    expect(
      (await p.http.post(`/mfa/devices/${deviceId}/confirm`, { code: codeFor(secret, clock) }, a.token))
        .status,
    ).toBe(200);

    const reach = uniquePhone();
    const idNumber = '11010119900307777X';
    const { caseId, token } = await openSessionless(a, reach, {
      kind: 'mfa-device-appeal',
      reachablePhone: reach,
      person: { realName: 'Zhang San', idNumber },
    });
    expect(
      (await upload(caseId, asCase(token), [{ name: 'me.jpg', bytes: JPEG, label: 'id_in_hand' }])).status,
    ).toBe(201);
    expect((await post(`/appeals/${caseId}/submit`, undefined, asCase(token))).status).toBe(200);
    const taskId = (await taskOf(caseId))['taskId'] as string;
    const view = await eventually(async () => {
      const v = await p.http.get<Json>(`/staff/review-tasks/${taskId}`, staff.senior.token);
      const checks = (v.body['case'] as Json)['checks'] as Json;
      return checks['identity'] ? v : undefined;
    });
    const text = JSON.stringify(view.body);
    expect(text).not.toContain(idNumber);
    expect(((view.body['case'] as Json)['checks'] as Json)['identity']).toEqual({
      realName: 'no_record',
      idNumber: 'no_record',
    });

    await approveWithFourEyes(taskId, 'identity_verified');
    await caseStatus(caseId, asCase(token), 'approved');
    const em = p.orm.em.fork();
    expect(await em.count(MfaDevice, { account: a.accountId, removedAt: null })).toBe(0);
    expect(await em.count(Session, { account: a.accountId, revokedAt: null })).toBe(0);
    expect((await p.http.get('/accounts/me', a.token)).status).toBe(401);
  });

  it('issue 9 §1: of two concurrent claims exactly one wins; an applicant cannot decide; a reviewer cannot act on an unclaimed task', async () => {
    const a = await signUpAndSignIn(p.http);
    const { caseId, token } = await openSessionless(a, uniqueEmail('race'), {
      kind: 'sign-in-appeal',
      newEmail: uniqueEmail('r'),
      basicInfo: {},
    });
    expect((await post(`/appeals/${caseId}/submit`, undefined, asCase(token))).status).toBe(200);
    const taskId = (await taskOf(caseId))['taskId'] as string;

    // A reviewer cannot decide a task nobody claimed; an account session is no staff session.
    const unclaimed = await taskAction(taskId, 'decision', staff.reviewer.token, {
      decision: 'reject',
      reasonCode: 'ownership_not_proven',
    });
    expect(unclaimed.status).toBe(409);
    expect(unclaimed.body.error['code']).toBe('task_not_claimed_by_you');
    expect(
      (
        await taskAction(taskId, 'decision', a.token, {
          decision: 'approve',
          reasonCode: 'ownership_verified',
        })
      ).status,
    ).toBe(403);
    // Operators do not claim.
    expect((await taskAction(taskId, 'claim', staff.operator.token)).status).toBe(403);

    const [one, two] = await Promise.all([
      taskAction(taskId, 'claim', staff.reviewer.token),
      taskAction(taskId, 'claim', staff.senior.token),
    ]);
    expect([one.status, two.status].sort()).toEqual([200, 409]);
    const loser = one.status === 409 ? one : two;
    expect(loser.body.error['code']).toBe('task_already_claimed');

    const mine = await p.http.get<Json>(
      `/staff/review-tasks?assigned=me`,
      one.status === 200 ? staff.reviewer.token : staff.senior.token,
    );
    expect((mine.body['items'] as Json[]).map((t) => t['taskId'])).toContain(taskId);

    // A wrong reason code for the kind is refused before history.
    const winner = one.status === 200 ? staff.reviewer.token : staff.senior.token;
    const badReason = await taskAction(taskId, 'decision', winner, {
      decision: 'reject',
      reasonCode: 'documents_unreadable',
    });
    expect(badReason.status).toBe(409);
    expect(badReason.body.error['code']).toBe('reason_not_allowed');
    const rejected = await taskAction(taskId, 'decision', winner, {
      decision: 'reject',
      reasonCode: 'ownership_not_proven',
      note: 'no proof',
    });
    expect(rejected.body).toMatchObject({ status: 'completed' });
    const closed = await caseStatus(caseId, asCase(token), 'rejected');
    expect(closed['reasonCode']).toBe('ownership_not_proven');
  });

  it('issue 9 §1 four eyes: the first approver cannot give the second approval', async () => {
    const a = await signUpAndSignIn(p.http);
    const { caseId, token } = await openSessionless(a, uniqueEmail('eyes'), {
      kind: 'sign-in-appeal',
      newEmail: uniqueEmail('e'),
      basicInfo: {},
    });
    expect((await post(`/appeals/${caseId}/submit`, undefined, asCase(token))).status).toBe(200);
    const taskId = (await taskOf(caseId))['taskId'] as string;
    expect((await taskAction(taskId, 'claim', staff.senior.token)).status).toBe(200);
    expect(
      (
        await taskAction(taskId, 'decision', staff.senior.token, {
          decision: 'approve',
          reasonCode: 'ownership_verified',
        })
      ).status,
    ).toBe(200);
    const again = await taskAction(taskId, 'claim', staff.senior.token);
    expect(again.status).toBe(403);
    expect(again.body.error['code']).toBe('second_approval_same_reviewer');
    expect((await taskAction(taskId, 'claim', staff.senior2.token)).status).toBe(200);
    expect(
      (
        await taskAction(taskId, 'decision', staff.senior2.token, {
          decision: 'approve',
          reasonCode: 'ownership_verified',
        })
      ).status,
    ).toBe(200);
    await caseStatus(caseId, asCase(token), 'approved');
  });

  it('issue 9 §1: information requested, answered by the applicant with a document; the applicant can withdraw an open case', async () => {
    const a = await signUpAndSignIn(p.http);
    const { caseId, token } = await openSessionless(a, uniqueEmail('info'), {
      kind: 'sign-in-appeal',
      newEmail: uniqueEmail('i'),
      basicInfo: {},
    });
    expect((await post(`/appeals/${caseId}/submit`, undefined, asCase(token))).status).toBe(200);
    const taskId = (await taskOf(caseId))['taskId'] as string;
    expect((await taskAction(taskId, 'claim', staff.reviewer.token)).status).toBe(200);
    const asked = await taskAction(taskId, 'information-requests', staff.reviewer.token, {
      message: 'Send a photo of an invoice of the account',
    });
    expect(asked.body).toMatchObject({ status: 'information_requested' });
    const waiting = await caseStatus(caseId, asCase(token), 'information_requested');
    expect(waiting['informationRequest']).toMatchObject({
      message: 'Send a photo of an invoice of the account',
    });

    const doc = await upload(caseId, asCase(token), [
      { name: 'invoice.pdf', bytes: Buffer.from('%PDF-1.4\n%%EOF\n'), label: 'other' },
    ]);
    expect(doc.status).toBe(201);
    const documentId = (doc.body['documents'] as Json[])[0]['documentId'] as string;
    const answered = await p.http.request<Json>('POST', `/appeals/${caseId}/answer`, {
      body: { note: 'Here it is', documentIds: [documentId] },
      headers: { ...asCase(token), 'idempotency-key': 'answer-1' },
    });
    expect(answered.status).toBe(200);
    await caseStatus(caseId, asCase(token), 'in_review');

    const withdrawn = await post(`/appeals/${caseId}/withdraw`, undefined, asCase(token));
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body['status']).toBe('withdrawn');
    const row = await p.orm.em.fork().findOneOrFail(AppealCase, { id: caseId });
    expect(row.closedAt).not.toBeNull();
  });

  it('issue 9: an operator finds every case in Temporal by CaseType, CaseStatus and Assignee', async () => {
    const a = await signUpAndSignIn(p.http);
    const { caseId, token } = await openSessionless(a, uniqueEmail('ops'), {
      kind: 'sign-in-appeal',
      newEmail: uniqueEmail('o'),
      basicInfo: {},
    });
    expect((await post(`/appeals/${caseId}/submit`, undefined, asCase(token))).status).toBe(200);
    const taskId = (await taskOf(caseId))['taskId'] as string;
    expect((await taskAction(taskId, 'claim', staff.reviewer.token)).status).toBe(200);
    const query = `CaseType = 'sign-in-appeal' AND CaseStatus = 'in_review' AND Assignee = '${staff.reviewer.member.staffId}' AND AccountId = '${a.accountId}'`;
    const found = await eventually(
      async () => {
        const ids: string[] = [];
        for await (const w of p.temporal.workflow.list({ query })) ids.push(w.workflowId);
        return ids.length > 0 ? ids : undefined;
      },
      20_000,
      'the case in visibility',
    );
    expect(found).toEqual([`appeal:sign-in-appeal:${a.accountId}`]);
  });
  // Last: it moves the clock on by days.
  it('RN-8: a payout that never arrived is appealed with a bank statement; approval sends it again as a new run', async () => {
    const owner = await signUpAndSignIn(p.http);
    const deposit = await p.http.post<Json>(
      '/verifications/enterprise/deposit',
      {
        enterpriseName: 'Lost Payout Ltd',
        licenceNumber: licenceNumber(),
        bankAccount: {
          holder: 'Lost Payout Ltd',
          bankName: 'ICBC Beijing',
          accountNumber: bankAccountNumber(false),
        },
      },
      owner.token,
    );
    expect(deposit.status).toBe(201);
    const verificationId = str(deposit, 'verificationId');
    const appealFrom = await eventually(async () => {
      const v = await p.http.get<Json>(`/verifications/enterprise/deposit/${verificationId}`, owner.token);
      return typeof v.body['appealAvailableFrom'] === 'string' ? v.body['appealAvailableFrom'] : undefined;
    });
    // RN-8: not before 3 business days.
    const early = await p.http.post<Json>('/appeals', { kind: 'payout-appeal', verificationId }, owner.token);
    expect(early.status).toBe(422);
    expect(early.body.error['rule']).toBe('RN-8');
    // Three business days on: every session signed in before has expired, so all sign in again.
    clock.set(new Date(Date.parse(appealFrom) + 60_000));
    const again = await p.http.post<Json>('/sessions', { email: owner.email, password: owner.password });
    owner.token = str(again, 'token');
    for (const key of ['reviewer', 'senior'] as const) {
      staff[key].token = await signInStaff(p, clock, staff[key].member);
    }

    const created = await p.http.post<Json>(
      '/appeals',
      { kind: 'payout-appeal', verificationId },
      owner.token,
    );
    expect(created.status).toBe(201);
    const caseId = str(created, 'caseId');
    const ownerHeaders = { authorization: `Bearer ${owner.token}` };
    const statement = Buffer.from('%PDF-1.4\nstatement\n%%EOF\n');
    expect(
      (
        await upload(caseId, ownerHeaders, [
          { name: 'statement.pdf', bytes: statement, label: 'bank_statement' },
        ])
      ).status,
    ).toBe(201);
    expect((await post(`/appeals/${caseId}/submit`, undefined, ownerHeaders)).status).toBe(200);
    const taskId = (await taskOf(caseId))['taskId'] as string;
    // The reviewer sees the bank's trace: the transfer was returned (no such account).
    const trace = await eventually(async () => {
      const v = await p.http.get<Json>(`/staff/review-tasks/${taskId}`, staff.senior.token);
      return ((v.body['case'] as Json)['checks'] as Json)['bankTrace'] as Json | undefined;
    });
    expect(trace['status']).toBe('returned');

    await approveWithFourEyes(taskId, 'payout_lost_resend');
    await caseStatus(caseId, ownerHeaders, 'approved');
    const list = await eventually(
      async () => {
        const r = await p.http.get<Array<{ verificationId: string; status: string }>>(
          '/verifications/enterprise/deposit',
          owner.token,
        );
        const old = r.body.find((v) => v.verificationId === verificationId);
        return r.body.length === 2 && old?.status === 'cancelled' ? r.body : undefined;
      },
      30_000,
      'the old run cancelled and a new one started',
    );
    const rerun = list.find((v) => v.verificationId !== verificationId)!;
    expect(rerun.status).toBe('payout_pending');
    const live = await p.http.get<Json>(
      `/verifications/enterprise/deposit/${rerun.verificationId}`,
      owner.token,
    );
    expect(live.status).toBe(200);
  });
});
