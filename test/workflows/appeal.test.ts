/**
 * Human tasks and manual appeals (issue 9 §1, §3) on Temporal's time-skipping test server, with
 * the real SLAs (2 business days, 7 days of waiting for information, four eyes), and the real
 * activities over a real (PostgreSQL) database. Time moves only by the server's time skipping.
 */
import { join } from 'node:path';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createAppealActivities, type ApplyResult } from '../../activities/appeal.activities';
import { createReviewActivities } from '../../activities/review.activities';
import { createVerificationActivities } from '../../activities/verification.activities';
import type { AppealDetails } from '../../libs/domain/src/appeals';
import { BusinessCalendar } from '../../libs/domain/src/business-days';
import { SystemClock } from '../../libs/domain/src/clock';
import {
  DEPOSIT_PAYOUT_WAIT_MS,
  type DepositVerificationState,
} from '../../libs/domain/src/deposit-verification';
import { newId } from '../../libs/domain/src/ids';
import {
  REVIEW_POLICIES,
  REVIEW_REFUSALS,
  type ReviewDecision,
  type ReviewTaskState,
  type StaffActor,
} from '../../libs/domain/src/review';
import { SandboxBank } from '../../libs/integrations/src/bank/sandbox-bank';
import {
  Account,
  AccountMfaSettings,
  AppealCase,
  BankPayout,
  DepositVerification,
  LoginIdentity,
  MfaDevice,
  NotificationOutboxEntry,
  PhoneBindCount,
  ReviewEvent,
  ReviewTask,
  Session,
  StaffMember,
} from '../../libs/persistence/src/entities';
import { phoneCounterKey } from '../../libs/persistence/src/phone-binding';
import {
  CASE_TYPES,
  depositQueries,
  depositUpdates,
  reviewQueries,
  reviewUpdates,
  searchAttributes,
  WORKFLOW_TYPES,
  workflowIds,
  type AppealState,
} from '../../libs/temporal/src/contract';
import {
  openAppeal,
  seedAccount,
  seedAppealCase,
  seedNote,
  seedStaff,
  startAppeal,
  TEST_DATA_BOX,
} from '../support/appeal-fixtures';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { seedDepositVerification } from '../support/deposit-fixtures';
import { bankAccountNumber } from '../support/factories';
import { REPO_ROOT } from '../support/paths';
import { TEST_DATA_CONVERTER } from '../support/codec';
import { registerSearchAttributes } from '../support/search-attributes';
import { maybeRecordHistory } from '../support/histories';
import { WORKFLOW_CODE } from '../support/workflow-code';

// Workers, the test server and the database answer in real time on a shared 2-core machine.
jest.setTimeout(60_000);

const TASK_QUEUE = 'appeal-workflow-test';
const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60_000;

let env: TestWorkflowEnvironment;
let db: TestDatabase;
let worker: Worker;
let running: Promise<void>;

/** Test hook: replaces applyAppealOutcome for one test (e.g. a try that fails after committing). */
let applyOutcome: ((input: { caseId: string }) => Promise<ApplyResult>) | null = null;
type RecordInput = Parameters<ReturnType<typeof createReviewActivities>['recordReviewTask']>[0];
/** Test hook: replaces recordReviewTask for one test. */
let recordTask: ((input: RecordInput) => Promise<void>) | null = null;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: join(REPO_ROOT, 'scripts/test-server.sh') } },
    client: { dataConverter: TEST_DATA_CONVERTER },
  });
  await registerSearchAttributes(env.connection, env.namespace ?? 'default');
  db = await createTestDatabase();
  const real = realActivities();
  worker = await Worker.create({
    connection: env.nativeConnection,
    dataConverter: TEST_DATA_CONVERTER,
    taskQueue: TASK_QUEUE,
    ...WORKFLOW_CODE,
    activities: {
      ...real,
      applyAppealOutcome: (input: { caseId: string }) =>
        applyOutcome ? applyOutcome(input) : real.applyAppealOutcome(input),
      recordReviewTask: (input: RecordInput) =>
        recordTask ? recordTask(input) : real.recordReviewTask(input),
    },
  });
  running = worker.run();
}, 120_000);

afterEach(() => {
  applyOutcome = null;
  recordTask = null;
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await db?.dispose();
  await env?.teardown();
});

/** The real activities of the worker (verification, review, appeal) over the test database. */
function realActivities() {
  const clock = new SystemClock();
  const calendar = new BusinessCalendar();
  const bank = new SandboxBank(db.orm, clock, calendar, {
    minBusinessDays: 1,
    maxBusinessDays: 3,
    webhookUrl: 'http://127.0.0.1:9/unused',
    webhookSecret: 'workflow-test-secret-000',
  });
  return {
    ...createVerificationActivities({
      orm: db.orm,
      bank,
      clock,
      calendar,
      dataBox: TEST_DATA_BOX,
      drawAmountFen: () => 42,
    }),
    ...createReviewActivities({ orm: db.orm, clock, calendar }),
    ...createAppealActivities({ orm: db.orm, clock, bank, dataBox: TEST_DATA_BOX }),
  };
}

// ---- details of each kind ----

let phoneSeq = 0;
/** A mainland mobile number no other test uses, normalized as the activities store it. */
function uniquePhone(): string {
  phoneSeq += 1;
  const tail = String((Date.now() * 7 + phoneSeq * 7919) % 100_000_000).padStart(8, '0');
  return `+86139${tail}`;
}

const phoneAppeal = (newPhone = uniquePhone()): AppealDetails => ({
  kind: 'security-phone-appeal',
  newPhone,
});
const signInAppeal = (): AppealDetails => ({
  kind: 'sign-in-appeal',
  newEmail: `new.${newId().toLowerCase()}@example.com`,
  basicInfo: { signUpMethod: 'email' },
});

// ---- the workflow ----

const state = (handle: WorkflowHandle): Promise<AppealState> => handle.query(reviewQueries.state);

/** Waits (in real time, briefly) until the workflow's state passes `check`. */
async function until(
  handle: WorkflowHandle,
  check: (s: AppealState) => boolean,
  what: string,
): Promise<AppealState> {
  let last: AppealState | undefined;
  for (let i = 0; i < 400; i += 1) {
    last = await state(handle);
    if (check(last)) return last;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`never ${what}; last: ${JSON.stringify(last)}`);
}

/**
 * The workflow's final state, once it has closed. Polled rather than awaited with result(): the
 * time-skipping client unlocks time while it awaits a result, and would skip the other open
 * cases of a test on to their due times.
 */
async function finished(handle: WorkflowHandle): Promise<AppealState> {
  for (let i = 0; i < 1200; i += 1) {
    const desc = await handle.describe();
    if (desc.status.name !== 'RUNNING') {
      expect(desc.status.name).toBe('COMPLETED');
      return state(handle);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${handle.workflowId} never closed; last: ${JSON.stringify(await state(handle))}`);
}

/** The task once it is in the inbox. */
async function taskOf(handle: WorkflowHandle): Promise<ReviewTaskState> {
  return (await until(handle, (s) => s.task !== null, 'created the task')).task!;
}

const claim = (handle: WorkflowHandle, actor: StaffActor, updateId?: string) =>
  handle.executeUpdate(reviewUpdates.claim, { args: [{ actor }], updateId });

const decide = (
  handle: WorkflowHandle,
  actor: StaffActor,
  decision: ReviewDecision,
  reasonCode: string,
  updateId?: string,
) =>
  handle.executeUpdate(reviewUpdates.decide, {
    args: [{ actor, decision, reasonCode, noteId: null }],
    updateId,
  });

/** Four eyes: `first` claims and approves, `second` (a senior) claims and gives the second approval. */
async function approveTwice(
  handle: WorkflowHandle,
  first: StaffActor,
  second: StaffActor,
  reasonCode: string,
): Promise<ReviewTaskState> {
  await taskOf(handle);
  await claim(handle, first);
  const firstApproval = await decide(handle, first, 'approve', reasonCode);
  expect(firstApproval).toMatchObject({ status: 'awaiting_second_approval', queue: 'senior-review' });
  await claim(handle, second);
  return decide(handle, second, 'approve', reasonCode);
}

/** The refusal code (ApplicationFailure type) an update was refused with. */
async function refusal(update: Promise<unknown>): Promise<string> {
  const err = await update.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return (cause as ApplicationFailure).type ?? '';
}

async function historyText(handle: WorkflowHandle): Promise<string> {
  return historyToJSON(await handle.fetchHistory());
}

async function acceptedUpdates(handle: WorkflowHandle): Promise<number> {
  const history = await handle.fetchHistory();
  return history.events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length ?? 0;
}

async function searchAttribute<T>(
  handle: WorkflowHandle,
  key: Parameters<Awaited<ReturnType<WorkflowHandle['describe']>>['typedSearchAttributes']['get']>[0],
): Promise<T | undefined> {
  const desc = await handle.describe();
  return desc.typedSearchAttributes.get(key) as T | undefined;
}

/** Moves the test server's clock to `at` minus/plus `offsetMs`. */
async function skipTo(atIso: string, offsetMs: number): Promise<void> {
  const ms = Date.parse(atIso) + offsetMs - (await env.currentTimeMs());
  if (ms > 0) await env.sleep(ms);
}

// ---- the database ----

const em = () => db.orm.em.fork();
const caseRow = (caseId: string) => em().findOneOrFail(AppealCase, { id: caseId });
const taskRow = (caseId: string) => em().findOneOrFail(ReviewTask, { caseId });
async function eventTypes(caseId: string): Promise<string[]> {
  const rows = await em().find(ReviewEvent, { caseId }, { orderBy: { id: 'asc' } });
  // `<taskId>:<seq>`: ordered by the workflow's sequence, not by the ID's text.
  return rows.sort((a, b) => Number(a.id.split(':')[1]) - Number(b.id.split(':')[1])).map((e) => e.type);
}
const noticesTo = (recipient: string) =>
  em().find(NotificationOutboxEntry, { recipient }, { orderBy: { createdAt: 'asc' } });

/** Waits until a deposit verification run has asked the bank for its payout. */
async function payoutRequested(h: WorkflowHandle): Promise<DepositVerificationState> {
  for (let i = 0; i < 400; i += 1) {
    const s = await h.query(depositQueries.state);
    if (s.payoutRequestedAt) return s;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the payout was never requested');
}

/**
 * A deposit verification whose payout never lands (the number fails the sandbox bank's check),
 * started as the API starts it, with its run ID saved on the row, once the payout is requested.
 */
async function startLostPayout() {
  const { input: deposit } = await seedDepositVerification(db.orm, {
    accountNumber: bankAccountNumber(false),
  });
  const verificationWorkflowId = workflowIds.depositVerification(deposit.accountId);
  const old = await env.client.workflow.start(WORKFLOW_TYPES.depositVerification, {
    workflowId: verificationWorkflowId,
    taskQueue: TASK_QUEUE,
    args: [deposit],
    workflowIdConflictPolicy: 'FAIL',
    typedSearchAttributes: [
      { key: searchAttributes.accountId, value: String(deposit.accountId) },
      { key: searchAttributes.caseType, value: CASE_TYPES.depositVerification },
      { key: searchAttributes.caseStatus, value: 'payout_pending' },
    ],
  });
  await em().nativeUpdate(
    DepositVerification,
    { id: deposit.verificationId },
    { runId: old.firstExecutionRunId },
  );
  await payoutRequested(old);
  return { deposit, old, verificationWorkflowId };
}

describe('appeal workflow (time-skipping)', () => {
  it('issue 9 §1: a task is created in the inbox with its due time 2 business days later', async () => {
    const { handle, input } = await openAppeal(db.orm, env.client, TASK_QUEUE, phoneAppeal());
    const task = await taskOf(handle);

    expect(task).toMatchObject({
      caseId: input.caseId,
      kind: 'security-phone-appeal',
      accountId: input.accountId,
      queue: 'review',
      status: 'open',
      assigneeId: null,
      escalated: false,
      priority: REVIEW_POLICIES['security-phone-appeal'].priority,
    });
    const expectedDue = new BusinessCalendar().addBusinessDays(new Date(task.createdAt), 2);
    expect(task.dueAt).toBe(expectedDue.toISOString());
    // Two business days: at least two calendar days, at most four (across a weekend).
    const span = Date.parse(task.dueAt) - Date.parse(task.createdAt);
    expect(span).toBeGreaterThanOrEqual(2 * DAY_MS);
    expect(span).toBeLessThanOrEqual(4 * DAY_MS);

    const row = await taskRow(input.caseId);
    expect(row).toMatchObject({
      id: task.taskId,
      workflowId: workflowIds.appeal('security-phone-appeal', input.accountId),
      runId: handle.firstExecutionRunId,
      queue: 'review',
      status: 'open',
      assigneeId: null,
      escalated: false,
    });
    expect(row.dueAt.toISOString()).toBe(task.dueAt);
    expect(await eventTypes(input.caseId)).toEqual(['created']);
    expect((await caseRow(input.caseId)).status).toBe('in_review');

    const desc = await handle.describe();
    expect(desc.typedSearchAttributes.get(searchAttributes.caseType)).toBe('security-phone-appeal');
    expect(desc.typedSearchAttributes.get(searchAttributes.caseStatus)).toBe('in_review');
    expect(desc.typedSearchAttributes.get(searchAttributes.accountId)).toBe(String(input.accountId));
    expect(desc.typedSearchAttributes.get(searchAttributes.dueAt)?.toISOString()).toBe(task.dueAt);
    expect(desc.typedSearchAttributes.get(searchAttributes.assignee)).toBeUndefined();

    await handle.executeUpdate(reviewUpdates.withdraw);
  });

  it('issue 9 §1: of two concurrent claims exactly one wins', async () => {
    const [a, b] = [await seedStaff(db.orm, 'reviewer'), await seedStaff(db.orm, 'reviewer')];
    const { handle, input } = await openAppeal(db.orm, env.client, TASK_QUEUE, phoneAppeal());
    await taskOf(handle);

    const results = await Promise.allSettled([claim(handle, a), claim(handle, b)]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const err = lost[0].reason as unknown;
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((err as WorkflowUpdateFailedError).cause).toBeInstanceOf(ApplicationFailure);
    expect((err as WorkflowUpdateFailedError).cause).toMatchObject({ type: REVIEW_REFUSALS.alreadyClaimed });

    const winner = won[0].value.assigneeId;
    expect([a.staffId, b.staffId]).toContain(winner);
    expect((await state(handle)).task?.assigneeId).toBe(winner);
    expect((await taskRow(input.caseId)).assigneeId).toBe(winner);
    expect(await eventTypes(input.caseId)).toEqual(['created', 'claimed']);
    expect(await searchAttribute(handle, searchAttributes.assignee)).toBe(winner);

    await handle.executeUpdate(reviewUpdates.withdraw);
  });

  it('issue 9 §1: a decision on an unclaimed task / by another reviewer / a reviewer on the senior queue is refused before history', async () => {
    const a = await seedStaff(db.orm, 'reviewer');
    const b = await seedStaff(db.orm, 'reviewer');
    const { handle, input } = await openAppeal(db.orm, env.client, TASK_QUEUE, phoneAppeal());
    await taskOf(handle);

    const refusedIds: string[] = [];
    const refusedWith = async (
      updateId: string,
      send: (id: string) => Promise<unknown>,
      code: string,
    ): Promise<void> => {
      refusedIds.push(updateId);
      expect(await refusal(send(updateId))).toBe(code);
    };

    // Unclaimed.
    await refusedWith(
      `decide-unclaimed-${newId()}`,
      (id) => decide(handle, a, 'approve', 'documents_verified', id),
      REVIEW_REFUSALS.notClaimed,
    );
    const acceptedId = `claim-${newId()}`;
    await claim(handle, a, acceptedId);
    // Claimed by another reviewer.
    await refusedWith(
      `decide-by-other-${newId()}`,
      (id) => decide(handle, b, 'reject', 'suspected_fraud', id),
      REVIEW_REFUSALS.notClaimed,
    );
    // A reason outside the kind's catalogue.
    await refusedWith(
      `decide-bad-reason-${newId()}`,
      (id) => decide(handle, a, 'approve', 'payout_lost_resend', id),
      REVIEW_REFUSALS.reasonNotAllowed,
    );
    const first = await decide(handle, a, 'approve', 'documents_verified');
    expect(first).toMatchObject({
      status: 'awaiting_second_approval',
      queue: 'senior-review',
      assigneeId: null,
    });
    // A reviewer (not a senior) on the senior queue: neither claims nor decides.
    await refusedWith(
      `claim-senior-queue-${newId()}`,
      (id) => claim(handle, b, id),
      REVIEW_REFUSALS.queueNotAllowed,
    );
    await refusedWith(
      `decide-senior-queue-${newId()}`,
      (id) => decide(handle, b, 'approve', 'documents_verified', id),
      REVIEW_REFUSALS.queueNotAllowed,
    );

    // Nothing of the refused updates reached history; the two accepted ones did.
    const text = await historyText(handle);
    expect(text).toContain(acceptedId);
    for (const id of refusedIds) expect(text).not.toContain(id);
    expect(await acceptedUpdates(handle)).toBe(2);
    expect((await state(handle)).task).toMatchObject({
      status: 'awaiting_second_approval',
      firstDecision: { staffId: a.staffId, decision: 'approve', reasonCode: 'documents_verified' },
    });
    expect(await eventTypes(input.caseId)).toEqual(['created', 'claimed', 'decided']);
    expect((await caseRow(input.caseId)).status).toBe('awaiting_second_approval');
    expect(await searchAttribute(handle, searchAttributes.caseStatus)).toBe('awaiting_second_approval');

    await handle.executeUpdate(reviewUpdates.withdraw);
  });

  it('issue 9 §1: at the due time an undecided task escalates to senior-review', async () => {
    const reviewer = await seedStaff(db.orm, 'reviewer');
    await seedStaff(db.orm, 'senior_reviewer');
    await seedStaff(db.orm, 'senior_reviewer');
    const { handle, input } = await openAppeal(db.orm, env.client, TASK_QUEUE, phoneAppeal());
    const task = await taskOf(handle);
    await claim(handle, reviewer);

    await skipTo(task.dueAt, -MINUTE_MS);
    expect((await state(handle)).task).toMatchObject({ queue: 'review', escalated: false });

    await env.sleep(2 * MINUTE_MS);
    const escalated = (await until(handle, (s) => s.task?.escalated === true, 'escalated')).task!;
    expect(escalated).toMatchObject({
      queue: 'senior-review',
      status: 'open',
      escalated: true,
      // A reviewer cannot work the senior queue: the task goes back to be claimed there.
      assigneeId: null,
      dueAt: task.dueAt,
    });
    const row = await taskRow(input.caseId);
    expect(row).toMatchObject({ queue: 'senior-review', escalated: true, status: 'open' });
    expect(await eventTypes(input.caseId)).toEqual(['created', 'claimed', 'escalated']);

    // A notice to each (enabled) senior reviewer, once.
    const seniors = await em().find(StaffMember, { role: 'senior_reviewer', disabledAt: null });
    expect(seniors.length).toBeGreaterThanOrEqual(2);
    for (const senior of seniors) {
      const notices = (await noticesTo(senior.email)).filter((n) => n.body.includes(task.taskId));
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatchObject({ channel: 'email', subject: 'A review task is overdue' });
    }
    expect(await searchAttribute(handle, searchAttributes.caseStatus)).toBe('in_review');

    await handle.executeUpdate(reviewUpdates.withdraw);
  });

  it('issue 9 §1: information requested and 7 days of silence close the case as abandoned', async () => {
    const reviewer = await seedStaff(db.orm, 'reviewer');
    const { handle, input, accountId } = await openAppeal(db.orm, env.client, TASK_QUEUE, signInAppeal());
    await taskOf(handle);
    await claim(handle, reviewer);
    const noteId = await seedNote(db.orm, input.caseId, 'information_request', 'Please send a bill.');
    const asked = await handle.executeUpdate(reviewUpdates.requestInformation, {
      args: [{ actor: reviewer, noteId }],
    });
    expect(asked.status).toBe('information_requested');
    const requestedAt =
      Date.parse(asked.informationDueAt!) - REVIEW_POLICIES['sign-in-appeal'].informationWaitMs;
    expect(requestedAt).toBeLessThanOrEqual(await env.currentTimeMs());
    expect((await caseRow(input.caseId)).status).toBe('information_requested');
    expect(await searchAttribute(handle, searchAttributes.caseStatus)).toBe('information_requested');

    // Just before the 7 days: still waiting, and the SLA clock stopped (no escalation meanwhile).
    await skipTo(asked.informationDueAt!, -MINUTE_MS);
    expect((await state(handle)).task).toMatchObject({
      status: 'information_requested',
      queue: 'review',
      escalated: false,
    });

    await env.sleep(2 * MINUTE_MS);
    const final = await finished(handle);
    expect(final).toMatchObject({ status: 'abandoned', reasonCode: 'no_answer_in_7_days' });
    expect(final.task).toMatchObject({ status: 'cancelled', cancelReason: 'abandoned' });
    expect(Date.parse(final.closedAt!)).toBeGreaterThanOrEqual(Date.parse(asked.informationDueAt!));

    const row = await caseRow(input.caseId);
    expect(row).toMatchObject({ status: 'abandoned', reasonCode: 'no_answer_in_7_days' });
    expect(row.closedAt).toBeInstanceOf(Date);
    expect(row.appliedAt).toBeNull();
    expect((await taskRow(input.caseId)).status).toBe('cancelled');
    expect(await eventTypes(input.caseId)).toEqual([
      'created',
      'claimed',
      'information_requested',
      'abandoned',
    ]);
    const events = await em().find(ReviewEvent, { caseId: input.caseId, type: 'information_requested' });
    expect(events[0].noteId).toBe(noteId);
    // closeAppeal told the applicant (the account's owner: the case was opened signed in).
    const notices = await noticesTo(`appeal.${accountId}@example.com`);
    expect(notices).toHaveLength(1);
    expect(notices[0].subject).toBe('Your sign-in appeal: abandoned');
    expect(await searchAttribute(handle, searchAttributes.caseStatus)).toBe('abandoned');
    expect(await searchAttribute(handle, searchAttributes.dueAt)).toBeUndefined();
    await maybeRecordHistory(handle, 'appeal-abandoned');
  });

  it('issue 9 §1: an answer reopens the task and moves its due time by the wait', async () => {
    const reviewer = await seedStaff(db.orm, 'reviewer');
    const { handle, input } = await openAppeal(db.orm, env.client, TASK_QUEUE, signInAppeal());
    const task = await taskOf(handle);
    await claim(handle, reviewer);
    const asked = await handle.executeUpdate(reviewUpdates.requestInformation, {
      args: [
        { actor: reviewer, noteId: await seedNote(db.orm, input.caseId, 'information_request', 'When?') },
      ],
    });
    const requestedAt = Date.parse(asked.informationDueAt!) - 7 * DAY_MS;

    // Three days of waiting (past the original due time, which does not escalate meanwhile).
    await env.sleep(3 * DAY_MS);
    expect((await state(handle)).task).toMatchObject({ status: 'information_requested', escalated: false });
    const answerNote = await seedNote(db.orm, input.caseId, 'answer', 'In March.');
    const answered = await handle.executeUpdate(reviewUpdates.answerInformation, {
      args: [{ noteId: answerNote, documentIds: [] }],
    });
    const answeredBy = await env.currentTimeMs();
    expect(answered).toMatchObject({
      status: 'open',
      informationDueAt: null,
      assigneeId: reviewer.staffId,
      queue: 'review',
    });
    const moved = Date.parse(answered.dueAt) - Date.parse(task.dueAt);
    expect(moved).toBeGreaterThanOrEqual(3 * DAY_MS);
    expect(moved).toBeLessThanOrEqual(answeredBy - requestedAt);
    expect((await taskRow(input.caseId)).dueAt.toISOString()).toBe(answered.dueAt);
    expect((await caseRow(input.caseId)).status).toBe('in_review');
    expect(await searchAttribute(handle, searchAttributes.caseStatus)).toBe('in_review');
    expect((await searchAttribute<Date>(handle, searchAttributes.dueAt))?.toISOString()).toBe(answered.dueAt);
    expect(await eventTypes(input.caseId)).toEqual([
      'created',
      'claimed',
      'information_requested',
      'answered',
    ]);

    // The task escalates at the moved due time, not before.
    await skipTo(answered.dueAt, -MINUTE_MS);
    expect((await state(handle)).task).toMatchObject({ queue: 'review', escalated: false });
    await env.sleep(2 * MINUTE_MS);
    await until(handle, (s) => s.task?.escalated === true, 'escalated at the moved due time');

    await handle.executeUpdate(reviewUpdates.withdraw);
  });

  it('issue 9 §1 four eyes: the first approver can never give the second approval; a different senior reviewer can', async () => {
    const a = await seedStaff(db.orm, 'senior_reviewer');
    const b = await seedStaff(db.orm, 'senior_reviewer');
    const operator = await seedStaff(db.orm, 'operator');
    const details = signInAppeal();
    const { handle, input, accountId } = await openAppeal(db.orm, env.client, TASK_QUEUE, details);
    await taskOf(handle);

    await claim(handle, a);
    const first = await decide(handle, a, 'approve', 'ownership_verified');
    expect(first).toMatchObject({
      status: 'awaiting_second_approval',
      queue: 'senior-review',
      assigneeId: null,
      firstDecision: { staffId: a.staffId, decision: 'approve', reasonCode: 'ownership_verified' },
      finalDecision: null,
    });
    expect((await caseRow(input.caseId)).status).toBe('awaiting_second_approval');

    // A may not take the task back, nor be handed it, nor decide it.
    const sameId = `claim-same-${newId()}`;
    expect(await refusal(claim(handle, a, sameId))).toBe(REVIEW_REFUSALS.sameReviewer);
    expect(
      await refusal(handle.executeUpdate(reviewUpdates.reassign, { args: [{ actor: operator, to: a }] })),
    ).toBe(REVIEW_REFUSALS.sameReviewer);
    expect(await refusal(decide(handle, a, 'approve', 'ownership_verified'))).toBe(
      REVIEW_REFUSALS.notClaimed,
    );
    expect(await historyText(handle)).not.toContain(sameId);
    expect(await acceptedUpdates(handle)).toBe(2);
    expect((await caseRow(input.caseId)).appliedAt).toBeNull();

    await claim(handle, b);
    const second = await decide(handle, b, 'approve', 'ownership_verified');
    expect(second).toMatchObject({
      status: 'completed',
      finalDecision: {
        decision: 'approve',
        reasonCode: 'ownership_verified',
        decidedBy: a.staffId,
        approvedBy: b.staffId,
      },
    });

    const final = await finished(handle);
    expect(final).toMatchObject({ status: 'approved', reasonCode: 'ownership_verified' });
    // LOG-1's outcome, applied: the new email is a login method of the account.
    const email = (details as { newEmail: string }).newEmail;
    const identity = await em().findOne(LoginIdentity, { subject: email, kind: 'email' });
    expect(identity).toMatchObject({ role: 'associated' });
    expect(identity?.account.id).toBe(accountId);
    const row = await caseRow(input.caseId);
    expect(row).toMatchObject({ status: 'approved', reasonCode: 'ownership_verified' });
    expect(row.appliedAt).toBeInstanceOf(Date);
    expect(await eventTypes(input.caseId)).toEqual([
      'created',
      'claimed',
      'decided',
      'claimed',
      'second_approval',
    ]);
    expect((await taskRow(input.caseId)).status).toBe('completed');
    expect(await searchAttribute(handle, searchAttributes.caseStatus)).toBe('approved');
    expect(await searchAttribute(handle, searchAttributes.dueAt)).toBeUndefined();
    await maybeRecordHistory(handle, 'appeal-four-eyes-approved-with-summaries');
  });

  it('MFA-5: an approved lost-device appeal unbinds every device and ends every session', async () => {
    const reviewer = await seedStaff(db.orm, 'reviewer');
    const senior = await seedStaff(db.orm, 'senior_reviewer');
    const account = await seedAccount(db.orm, {
      realName: { kind: 'personal', name: '张 三', certificateNumber: '11010119900307457x' },
    });
    const now = new Date();
    const serial = `HW${newId()}`;
    const setup = em();
    setup.create(MfaDevice, {
      id: newId(),
      account: account.id,
      kind: 'virtual',
      name: 'old phone',
      secretEncrypted: 'sealed',
      createdAt: now,
      confirmedAt: now,
    });
    setup.create(MfaDevice, {
      id: newId(),
      account: account.id,
      kind: 'hardware',
      name: 'token',
      secretEncrypted: 'sealed',
      hardwareSerial: serial,
      boundSerial: serial,
      createdAt: now,
      confirmedAt: now,
    });
    setup.create(AccountMfaSettings, {
      account: account.id,
      loginProtection: true,
      operationProtection: true,
      updatedAt: now,
    });
    for (let i = 0; i < 2; i += 1) {
      setup.create(Session, {
        id: newId(),
        account: account.id,
        tokenHash: newId().padEnd(64, '0'),
        createdAt: now,
        expiresAt: new Date(now.getTime() + DAY_MS),
      });
    }
    await setup.flush();

    const { handle, input } = await openAppeal(
      db.orm,
      env.client,
      TASK_QUEUE,
      {
        kind: 'mfa-device-appeal',
        reachablePhone: uniquePhone(),
        person: { realName: '张三', idNumber: '11010119900307457X' },
      },
      { existingAccountId: account.id },
    );
    await taskOf(handle);
    // The reviewer sees match or mismatch, never the numbers.
    expect((await caseRow(input.caseId)).checks).toEqual({
      realNameRecord: 'personal',
      identity: { realName: 'match', idNumber: 'match' },
    });
    // Nothing changes before the second approval.
    await claim(handle, reviewer);
    await decide(handle, reviewer, 'approve', 'identity_verified');
    expect(await em().count(MfaDevice, { account: account.id, removedAt: null })).toBe(2);
    await claim(handle, senior);
    await decide(handle, senior, 'approve', 'identity_verified');

    expect(await finished(handle)).toMatchObject({ status: 'approved', reasonCode: 'identity_verified' });
    const devices = await em().find(MfaDevice, { account: account.id });
    expect(devices).toHaveLength(2);
    for (const d of devices) {
      expect(d.removedAt).toBeInstanceOf(Date);
      expect(d.boundSerial).toBeNull();
    }
    const sessions = await em().find(Session, { account: account.id });
    expect(sessions).toHaveLength(2);
    for (const s of sessions) expect(s.revokedAt).toBeInstanceOf(Date);
    expect(await em().findOneOrFail(AccountMfaSettings, { account: account.id })).toMatchObject({
      loginProtection: false,
      operationProtection: false,
    });
    const subjects = (await noticesTo(account.email!)).map((n) => n.subject).sort();
    expect(subjects).toEqual(['Your MFA device was unbound', 'Your lost MFA device appeal: approved']);
  });

  it('CON-1b: an approved phone appeal binds the new phone and re-checks ACC-3 at that moment', async () => {
    const reviewer = await seedStaff(db.orm, 'reviewer');
    const senior = await seedStaff(db.orm, 'senior_reviewer');
    const wanted = uniquePhone();
    const oldPhone = uniquePhone();
    // Four accounts hold the wanted phone already: one slot of ACC-3's five is left.
    for (let i = 0; i < 4; i += 1) await seedAccount(db.orm, { securityPhone: wanted });
    await em().insert(PhoneBindCount, { key: phoneCounterKey('cn', wanted), bound: 4 });
    await em().insert(PhoneBindCount, { key: phoneCounterKey('cn', oldPhone), bound: 1 });
    const count = async (phone: string) =>
      (await em().findOneOrFail(PhoneBindCount, { key: phoneCounterKey('cn', phone) })).bound;

    // Two owners appeal for the same phone while a slot is free.
    const first = await openAppeal(db.orm, env.client, TASK_QUEUE, phoneAppeal(wanted), {
      securityPhone: oldPhone,
    });
    const second = await openAppeal(db.orm, env.client, TASK_QUEUE, phoneAppeal(wanted));

    await approveTwice(first.handle, reviewer, senior, 'documents_verified');
    expect(await finished(first.handle)).toMatchObject({
      status: 'approved',
      reasonCode: 'documents_verified',
    });
    const bound = await em().findOneOrFail(Account, { id: first.accountId });
    expect(bound.securityPhone).toBe(wanted);
    expect(await count(wanted)).toBe(5);
    expect(await count(oldPhone)).toBe(0);
    // CON-1: the old and the new channels are told.
    expect((await noticesTo(oldPhone)).map((n) => n.subject)).toEqual(['Your security phone was changed']);
    // The new phone is the owner's now: it is also told the case's end.
    expect((await noticesTo(wanted)).map((n) => n.subject).sort()).toEqual([
      'Your security phone appeal: approved',
      'Your security phone was changed',
    ]);

    // The second approval comes when the phone is on five accounts: ACC-3 refuses it now.
    await approveTwice(second.handle, reviewer, senior, 'documents_verified');
    const refused = await finished(second.handle);
    expect(refused).toMatchObject({ status: 'rejected', reasonCode: 'phone_limit_reached' });
    expect((await em().findOneOrFail(Account, { id: second.accountId })).securityPhone).toBeNull();
    expect(await count(wanted)).toBe(5);
    const row = await caseRow(second.input.caseId);
    expect(row).toMatchObject({ status: 'rejected', reasonCode: 'phone_limit_reached', appliedAt: null });
    const told = await noticesTo(`appeal.${second.accountId}@example.com`);
    expect(told.map((n) => n.subject)).toEqual(['Your security phone appeal: rejected']);
    expect(told[0].body).toContain('phone_limit_reached');
    expect(await searchAttribute(second.handle, searchAttributes.caseStatus)).toBe('rejected');
  });

  it('issue 9: the outcome is applied exactly once when the activity is retried', async () => {
    const reviewer = await seedStaff(db.orm, 'reviewer');
    const senior = await seedStaff(db.orm, 'senior_reviewer');
    const real = realActivities();
    let tries = 0;
    applyOutcome = async (input) => {
      tries += 1;
      const result = await real.applyAppealOutcome(input);
      // The first try committed, then its worker was lost before it could answer.
      if (tries === 1) throw new Error('worker lost after the outcome was committed');
      return result;
    };
    const wanted = uniquePhone();
    const { handle, input, accountId } = await openAppeal(
      db.orm,
      env.client,
      TASK_QUEUE,
      phoneAppeal(wanted),
    );

    await approveTwice(handle, reviewer, senior, 'documents_verified');
    expect(await finished(handle)).toMatchObject({ status: 'approved' });
    expect(tries).toBe(2);
    expect((await em().findOneOrFail(Account, { id: accountId })).securityPhone).toBe(wanted);
    const bound = async () =>
      (await em().findOneOrFail(PhoneBindCount, { key: phoneCounterKey('cn', wanted) })).bound;
    const changeNotices = async () =>
      (await noticesTo(wanted)).filter((n) => n.subject === 'Your security phone was changed');
    expect(await bound()).toBe(1);
    expect(await changeNotices()).toHaveLength(1);

    // Once more, as a third retry would: nothing changes.
    expect(await real.applyAppealOutcome({ caseId: input.caseId })).toEqual({ applied: true });
    expect(await bound()).toBe(1);
    expect(await changeNotices()).toHaveLength(1);
    const applied = await em().find(ReviewEvent, { caseId: input.caseId });
    expect(applied.filter((e) => e.type === 'second_approval')).toHaveLength(1);
  });

  it('issue 9 §1: an inbox write that failed after committing is superseded by the next action', async () => {
    const a = await seedStaff(db.orm, 'reviewer');
    const b = await seedStaff(db.orm, 'reviewer');
    const real = realActivities();
    let lost = 0;
    recordTask = async (input) => {
      await real.recordReviewTask(input);
      // A's claim is written, then the answer is lost (the database went away mid-commit): the
      // workflow refuses A's claim and the task stays unclaimed.
      if (input.event.type === 'claimed' && input.state.assigneeId === a.staffId && lost++ === 0) {
        throw ApplicationFailure.nonRetryable('the inbox answer was lost', 'DatabaseDown');
      }
    };
    const { handle, input } = await openAppeal(db.orm, env.client, TASK_QUEUE, phoneAppeal());
    await taskOf(handle);

    expect(await refusal(claim(handle, a))).toBe('review_unavailable');
    expect((await state(handle)).task?.assigneeId).toBeNull();

    // B's claim is what the workflow holds; the inbox row and the audit trail must say so too.
    expect(await claim(handle, b)).toMatchObject({ assigneeId: b.staffId });
    const row = await taskRow(input.caseId);
    expect(row.assigneeId).toBe(b.staffId);
    expect(row.state).toMatchObject({ assigneeId: b.staffId });
    const claims = await em().find(ReviewEvent, { caseId: input.caseId, type: 'claimed' });
    expect(claims.map((e) => e.actor)).toContain(`staff:${b.staffId}`);
    expect(await searchAttribute(handle, searchAttributes.assignee)).toBe(b.staffId);

    await handle.executeUpdate(reviewUpdates.withdraw);
  });

  it('issue 9: the applicant withdraws an open case', async () => {
    const reviewer = await seedStaff(db.orm, 'reviewer');
    const { handle, input, accountId } = await openAppeal(db.orm, env.client, TASK_QUEUE, signInAppeal());
    await taskOf(handle);
    await claim(handle, reviewer);

    const withdrawn = await handle.executeUpdate(reviewUpdates.withdraw);
    expect(withdrawn).toMatchObject({ status: 'withdrawn', reasonCode: null });
    expect(withdrawn.closedAt).not.toBeNull();
    expect(withdrawn.task).toMatchObject({ status: 'cancelled', cancelReason: 'withdrawn' });
    expect(await finished(handle)).toMatchObject({ status: 'withdrawn' });

    const row = await caseRow(input.caseId);
    expect(row).toMatchObject({ status: 'withdrawn', appliedAt: null });
    expect(row.closedAt).toBeInstanceOf(Date);
    expect((await taskRow(input.caseId)).status).toBe('cancelled');
    expect(await eventTypes(input.caseId)).toEqual(['created', 'claimed', 'withdrawn']);
    const withdrawEvent = await em().findOneOrFail(ReviewEvent, { caseId: input.caseId, type: 'withdrawn' });
    expect(withdrawEvent.actor).toBe('applicant');
    expect((await noticesTo(`appeal.${accountId}@example.com`)).map((n) => n.subject)).toEqual([
      'Your sign-in appeal: withdrawn',
    ]);
    expect(await searchAttribute(handle, searchAttributes.caseStatus)).toBe('withdrawn');
    await maybeRecordHistory(handle, 'appeal-withdrawn');
  });

  // The two RN-8 tests come last, and the one that skips time first: once a rerun (a child the
  // appeal abandoned) closes after its parent, the Java time-skipping test server was seen to
  // keep time locked, so a later env.sleep() never returned.
  it('RN-8: a payout appeal after the run ended payout_not_received sends the payout again', async () => {
    const reviewer = await seedStaff(db.orm, 'reviewer');
    const senior = await seedStaff(db.orm, 'senior_reviewer');
    const { deposit, old, verificationWorkflowId } = await startLostPayout();
    // 15 days without a landing: the run ends, and the owner appeals.
    await env.sleep(DEPOSIT_PAYOUT_WAIT_MS + MINUTE_MS);
    const oldRun = env.client.workflow.getHandle(verificationWorkflowId, old.firstExecutionRunId);
    for (let i = 0; i < 400 && (await oldRun.describe()).status.name === 'RUNNING'; i += 1) {
      await new Promise((r) => setTimeout(r, 25));
    }
    expect((await oldRun.describe()).status.name).toBe('COMPLETED');
    expect((await em().findOneOrFail(DepositVerification, { id: deposit.verificationId })).status).toBe(
      'payout_not_received',
    );

    const { input } = await seedAppealCase(db.orm, deposit.accountId, {
      kind: 'payout-appeal',
      verificationId: deposit.verificationId,
    });
    const handle = await startAppeal(db.orm, env.client, TASK_QUEUE, input);
    await approveTwice(handle, reviewer, senior, 'payout_lost_resend');
    expect(await finished(handle)).toMatchObject({ status: 'approved', reasonCode: 'payout_lost_resend' });

    const rerunId = (await caseRow(input.caseId)).checks.rerunVerificationId as string;
    const rerun = await em().findOneOrFail(DepositVerification, { id: rerunId });
    const latest = env.client.workflow.getHandle(verificationWorkflowId);
    expect((await latest.describe()).runId).toBe(rerun.runId);
    expect((await payoutRequested(latest)).verificationId).toBe(rerunId);
    expect(await em().count(BankPayout, { verificationId: rerunId })).toBe(1);
    // Issue 12 §2: the rerun says what it is in the Web UI, with IDs only.
    const described = await latest.describe();
    expect(await described.staticSummary()).toBe(
      `Enterprise deposit verification (payout appeal rerun) · verification ${rerunId}`,
    );
    expect(await described.staticDetails()).toContain(`payout appeal ${input.caseId}`);
    await latest.executeUpdate(depositUpdates.withdraw);
  });

  it('RN-8: an approved payout appeal sends the payout again as a new verification run', async () => {
    const reviewer = await seedStaff(db.orm, 'reviewer');
    const senior = await seedStaff(db.orm, 'senior_reviewer');
    const { deposit, old, verificationWorkflowId } = await startLostPayout();

    const { appealCase, input } = await seedAppealCase(db.orm, deposit.accountId, {
      kind: 'payout-appeal',
      verificationId: deposit.verificationId,
    });
    const handle = await startAppeal(db.orm, env.client, TASK_QUEUE, input);
    await taskOf(handle);
    // The reviewer sees the bank's trace of the lost transfer.
    const checks = (await caseRow(appealCase.id)).checks as { bankTrace?: { status: string } };
    expect(checks.bankTrace?.status).toBe('returned');

    await approveTwice(handle, reviewer, senior, 'payout_lost_resend');
    const final = await finished(handle);
    expect(final).toMatchObject({ status: 'approved', reasonCode: 'payout_lost_resend' });

    // The appealed run ended cancelled, and recorded so.
    const oldRun = await env.client.workflow
      .getHandle(verificationWorkflowId, old.firstExecutionRunId)
      .describe();
    expect(oldRun.status.name).toBe('CANCELLED');
    expect((await em().findOneOrFail(DepositVerification, { id: deposit.verificationId })).status).toBe(
      'cancelled',
    );

    // A new run under the account's verification ID, on a new verification row, with a new payout.
    const row = await caseRow(appealCase.id);
    const rerunId = row.checks.rerunVerificationId as string;
    expect(rerunId).toEqual(expect.any(String));
    expect(rerunId).not.toBe(deposit.verificationId);
    expect(row.appliedAt).toBeInstanceOf(Date);
    const rerun = await em().findOneOrFail(DepositVerification, { id: rerunId });
    expect(rerun).toMatchObject({
      workflowId: verificationWorkflowId,
      maskedAccountNumber: deposit.maskedAccountNumber,
    });
    expect(rerun.runId).toEqual(expect.any(String));
    expect(rerun.runId).not.toBe(old.firstExecutionRunId);
    const latest = env.client.workflow.getHandle(verificationWorkflowId);
    const desc = await latest.describe();
    expect(desc.runId).toBe(rerun.runId);
    expect(desc.type).toBe(WORKFLOW_TYPES.depositVerification);
    expect(desc.status.name).toBe('RUNNING');
    expect(desc.typedSearchAttributes.get(searchAttributes.caseStatus)).toBe('payout_pending');
    const s = await payoutRequested(latest);
    expect(s.verificationId).toBe(rerunId);
    const payouts = await em().find(BankPayout, {
      verificationId: { $in: [deposit.verificationId, rerunId] },
    });
    expect(payouts.map((p) => p.verificationId).sort()).toEqual([deposit.verificationId, rerunId].sort());
    expect(new Set(payouts.map((p) => p.bankReference)).size).toBe(2);

    await maybeRecordHistory(handle, 'appeal-payout-rerun');
    // Tidy up: the new run is withdrawn, so that later time skipping does not run it on.
    await latest.executeUpdate(depositUpdates.withdraw);
  });
});
