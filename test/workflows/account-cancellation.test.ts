/**
 * The account cancellation workflow (issue 10) on Temporal's time-skipping test server, with the
 * real cooling-off (15 days) and the real activities over a real (PostgreSQL) database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createCancellationExecutionActivities } from '../../activities/cancellation-execution.activities';
import { createCancellationActivities } from '../../activities/cancellation.activities';
import { createReviewActivities } from '../../activities/review.activities';
import { BusinessCalendar } from '../../libs/domain/src/business-days';
import { SystemClock } from '../../libs/domain/src/clock';
import { newId } from '../../libs/domain/src/ids';
import { FilesystemDocumentStore } from '../../libs/integrations/src/documents/filesystem-document-store';
import {
  Account,
  AccountCancellation,
  CloudResource,
  NotificationOutboxEntry,
  ReviewTask,
} from '../../libs/persistence/src/entities';
import {
  CASE_TYPES,
  cancellationQueries,
  cancellationUpdates,
  reviewUpdates,
  searchAttributes,
  WORKFLOW_TYPES,
  workflowIds,
  type AccountCancellationState,
} from '../../libs/temporal/src/contract';
import { seedAccount, seedStaff } from '../support/appeal-fixtures';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { eventually } from '../support/factories';
import { REPO_ROOT } from '../support/paths';
import { TEST_DATA_CONVERTER } from '../support/codec';
import { registerSearchAttributes } from '../support/search-attributes';
import { maybeRecordHistory } from '../support/histories';
import { WORKFLOW_CODE } from '../support/workflow-code';

jest.setTimeout(60_000);

const TASK_QUEUE = 'account-cancellation-workflow-test';
const DAY_MS = 24 * 60 * 60 * 1000;

let env: TestWorkflowEnvironment;
let db: TestDatabase;
let worker: Worker;
let running: Promise<void>;
let storeDir: string;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: join(REPO_ROOT, 'scripts/test-server.sh') } },
    client: { dataConverter: TEST_DATA_CONVERTER },
  });
  await registerSearchAttributes(env.connection, env.namespace ?? 'default');
  db = await createTestDatabase();
  storeDir = mkdtempSync(join(tmpdir(), 'ac-cancellation-docs-'));
  const clock = new SystemClock();
  worker = await Worker.create({
    connection: env.nativeConnection,
    dataConverter: TEST_DATA_CONVERTER,
    taskQueue: TASK_QUEUE,
    ...WORKFLOW_CODE,
    activities: {
      ...createReviewActivities({ orm: db.orm, clock, calendar: new BusinessCalendar() }),
      ...createCancellationActivities({ orm: db.orm, clock }),
      ...createCancellationExecutionActivities({
        orm: db.orm,
        clock,
        documents: new FilesystemDocumentStore(storeDir),
      }),
    },
  });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await db?.dispose();
  await env?.teardown();
  rmSync(storeDir, { recursive: true, force: true });
});

/** An application row and its run, as the API writes and starts them. */
async function apply(
  accountId: number,
  coolingOffDays = 15,
): Promise<{ handle: WorkflowHandle; applicationId: string }> {
  const em = db.orm.em.fork();
  const applicationId = newId();
  em.create(AccountCancellation, {
    id: applicationId,
    accountId,
    workflowId: workflowIds.accountCancellation(accountId),
    createdAt: new Date(),
  });
  await em.flush();
  const handle = await env.client.workflow.start(WORKFLOW_TYPES.accountCancellation, {
    workflowId: workflowIds.accountCancellation(accountId),
    taskQueue: TASK_QUEUE,
    args: [{ applicationId, accountId, coolingOffDays }],
    typedSearchAttributes: [
      { key: searchAttributes.accountId, value: String(accountId) },
      { key: searchAttributes.caseType, value: CASE_TYPES.accountCancellation },
      { key: searchAttributes.caseStatus, value: 'checking' },
    ],
  });
  return { handle, applicationId };
}

const state = (h: WorkflowHandle): Promise<AccountCancellationState> => h.query(cancellationQueries.state);

async function waitStatus(
  h: WorkflowHandle,
  status: AccountCancellationState['status'],
): Promise<AccountCancellationState> {
  return eventually(
    async () => {
      const s = await state(h);
      return s.status === status ? s : undefined;
    },
    20_000,
    status,
  );
}

describe('account cancellation workflow (time-skipping)', () => {
  it('issue 10: the real 15-day cooling-off passes, then the account is cancelled and its data erased (CAN-2, CAN-5)', async () => {
    const account = await seedAccount(db.orm, { securityPhone: '+8613900001111' });
    const { handle, applicationId } = await apply(account.id);
    const cooling = await waitStatus(handle, 'cooling_off');
    expect(Date.parse(cooling.coolingOffEndsAt!) - Date.now()).toBeGreaterThan(14 * DAY_MS);
    const done = (await handle.result()) as AccountCancellationState;
    expect(done.status).toBe('cancelled');
    const em = db.orm.em.fork();
    const tombstone = await em.findOneOrFail(Account, { id: account.id });
    expect(tombstone.status).toBe('cancelled');
    expect(tombstone.email ?? null).toBeNull();
    expect((await em.findOneOrFail(AccountCancellation, { id: applicationId })).status).toBe('cancelled');
    // CAN-6: the result was queued for the security phone before the phone was erased.
    expect(
      await em.count(NotificationOutboxEntry, {
        recipient: '+8613900001111',
        subject: 'Account cancellation approved',
      }),
    ).toBe(1);
    await maybeRecordHistory(handle, 'cancellation-executed-with-summaries');
  });

  it('CAN-7 (cooling-off): the owner withdraws during the cooling-off; nothing is changed', async () => {
    const account = await seedAccount(db.orm, { securityPhone: '+8613900002222' });
    const { handle } = await apply(account.id);
    await waitStatus(handle, 'cooling_off');
    await env.sleep(3 * DAY_MS);
    const withdrawn = await handle.executeUpdate(cancellationUpdates.withdraw, { args: [] });
    expect(withdrawn.status).toBe('withdrawn');
    expect((await db.orm.em.fork().findOneOrFail(Account, { id: account.id })).status).toBe('active');
    await maybeRecordHistory(handle, 'cancellation-withdrawn');
  });

  it('CAN-1: something that appeared during the cooling-off stops the process with the new reasons', async () => {
    const account = await seedAccount(db.orm, { securityPhone: '+8613900003333' });
    const { handle } = await apply(account.id);
    await waitStatus(handle, 'cooling_off');
    const em = db.orm.em.fork();
    em.create(CloudResource, {
      id: newId(),
      account: account.id,
      type: 'ecs',
      name: 'vm-late',
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    await em.flush();
    const done = (await handle.result()) as AccountCancellationState;
    expect(done.status).toBe('rejected');
    expect(done.blockers?.map((b) => b.code)).toEqual(['resources_in_use']);
    expect((await db.orm.em.fork().findOneOrFail(Account, { id: account.id })).status).toBe('active');
  });

  it('issue 10: a risk flag puts a review task in the inbox; a rejection closes it with the reason (CAN-7)', async () => {
    const account = await seedAccount(db.orm, { securityPhone: '+8613900004444' });
    await db.orm.em
      .fork()
      .nativeUpdate(Account, { id: account.id }, { securityContactChangedAt: new Date() });
    const { handle, applicationId } = await apply(account.id);
    const inReview = await waitStatus(handle, 'in_review');
    expect(inReview.riskFlags).toEqual(['recent_security_contact_change']);
    const task = await eventually(
      async () => (await db.orm.em.fork().findOne(ReviewTask, { caseId: applicationId })) ?? undefined,
    );
    expect(task.kind).toBe('account-cancellation');
    const reviewer = await seedStaff(db.orm, 'reviewer');
    await handle.executeUpdate(reviewUpdates.claim, { args: [{ actor: reviewer }] });
    await handle.executeUpdate(reviewUpdates.decide, {
      args: [{ actor: reviewer, decision: 'reject', reasonCode: 'owner_not_confirmed', noteId: null }],
    });
    const done = (await handle.result()) as AccountCancellationState;
    expect(done).toMatchObject({ status: 'rejected', reasonCode: 'owner_not_confirmed' });
    await maybeRecordHistory(handle, 'cancellation-review-rejected');
  });
});
