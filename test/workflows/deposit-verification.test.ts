/**
 * The deposit verification workflow (RN-8) on Temporal's time-skipping test server, with the
 * real 7-day window and 2 attempts, and the real activities over a real (PostgreSQL) database.
 */
import { join } from 'node:path';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowUpdateFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure, defaultPayloadConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createVerificationActivities } from '../../activities/verification.activities';
import { BusinessCalendar } from '../../libs/domain/src/business-days';
import { SystemClock } from '../../libs/domain/src/clock';
import {
  DEPOSIT_AMOUNT_WINDOW_MS,
  DEPOSIT_PAYOUT_WAIT_MS,
  type DepositVerificationState,
} from '../../libs/domain/src/deposit-verification';
import { SandboxBank } from '../../libs/integrations/src/bank/sandbox-bank';
import {
  Account,
  DepositVerification,
  RealNameRecord,
  SandboxBankTransfer,
} from '../../libs/persistence/src/entities';
import {
  CASE_TYPES,
  DEPOSIT_UPDATE_REJECTIONS,
  WORKFLOW_TYPES,
  depositQueries,
  depositSignals,
  depositUpdateIds,
  depositUpdates,
  searchAttributes,
  type DepositVerificationInput,
} from '../../libs/temporal/src/contract';
import { registerSearchAttributes } from '../support/search-attributes';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { seedDepositVerification, TEST_DATA_BOX } from '../support/deposit-fixtures';
import { REPO_ROOT } from '../support/paths';
import { TEST_DATA_CONVERTER } from '../support/codec';
import { maybeRecordHistory } from '../support/histories';
import { licenceNumber } from '../support/factories';
import { seedEnterpriseHolders } from '../support/recharge-fixtures';
import { WORKFLOW_CODE } from '../support/workflow-code';

// Every test here waits in real time for workers and the test server; on a busy 2-core machine
// that can pass jest's default 5 s.
jest.setTimeout(30_000);

const PAYOUT_FEN = 42;
const TASK_QUEUE = 'deposit-verification-workflow-test';

let env: TestWorkflowEnvironment;
let db: TestDatabase;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: join(REPO_ROOT, 'scripts/test-server.sh') } },
    client: { dataConverter: TEST_DATA_CONVERTER },
  });
  await registerSearchAttributes(env.connection, env.namespace ?? 'default');
  db = await createTestDatabase();
  worker = await Worker.create({
    connection: env.nativeConnection,
    dataConverter: TEST_DATA_CONVERTER,
    taskQueue: TASK_QUEUE,
    ...WORKFLOW_CODE,
    activities: realActivities(),
  });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await db?.dispose();
  await env?.teardown();
});

async function start(
  accountNumber?: string,
  taskQueue = TASK_QUEUE,
  seed: { licenceNumber?: string } = {},
): Promise<{ handle: WorkflowHandle; input: DepositVerificationInput }> {
  const { input } = await seedDepositVerification(db.orm, { accountNumber, ...seed });
  const handle = await env.client.workflow.start(WORKFLOW_TYPES.depositVerification, {
    workflowId: `deposit-verification:${input.accountId}`,
    taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'FAIL',
    typedSearchAttributes: [
      { key: searchAttributes.accountId, value: String(input.accountId) },
      { key: searchAttributes.caseType, value: CASE_TYPES.depositVerification },
      { key: searchAttributes.caseStatus, value: 'payout_pending' },
    ],
  });
  return { handle, input };
}

async function state(handle: WorkflowHandle): Promise<DepositVerificationState> {
  return handle.query(depositQueries.state);
}

/** Waits (in real time, briefly) until the workflow reports the wanted status. */
async function until(
  handle: WorkflowHandle,
  status: DepositVerificationState['status'],
): Promise<DepositVerificationState> {
  for (let i = 0; i < 200; i += 1) {
    const s = await state(handle);
    if (s.status === status) return s;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`workflow never reached ${status}; last: ${(await state(handle)).status}`);
}

/** Waits until the payout activity has run (payoutRequestedAt is set). */
async function payoutRequested(handle: WorkflowHandle): Promise<DepositVerificationState> {
  for (let i = 0; i < 200; i += 1) {
    const s = await state(handle);
    if (s.payoutRequestedAt) return s;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the payout was never requested');
}

async function land(handle: WorkflowHandle): Promise<DepositVerificationState> {
  await payoutRequested(handle);
  const landedAt = new Date(await env.currentTimeMs()).toISOString();
  await handle.signal(depositSignals.payoutLanded, { landedAt, bankReference: 'SBX-test' });
  return until(handle, 'awaiting_amount');
}

const enter = (handle: WorkflowHandle, amountFen: number) =>
  handle.executeUpdate(depositUpdates.submitAmount, { args: [{ amountFen }] });

/** An entry under the update ID the API derives from a client's Idempotency-Key. */
const enterKeyed = (handle: WorkflowHandle, amountFen: number, key: string) =>
  handle.executeUpdate(depositUpdates.submitAmount, {
    args: [{ amountFen }],
    updateId: depositUpdateIds.submitAmount(key),
  });

async function acceptedEntries(handle: WorkflowHandle): Promise<number> {
  const history = await handle.fetchHistory();
  return history.events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length ?? 0;
}

async function realNameStatus(accountId: number): Promise<string> {
  const a = await db.orm.em.fork().findOneOrFail(Account, { id: accountId });
  return a.realNameStatus;
}

/** The real activities over the test database and a sandbox bank, paying PAYOUT_FEN. */
function realActivities(): ReturnType<typeof createVerificationActivities> {
  const clock = new SystemClock();
  const calendar = new BusinessCalendar();
  return createVerificationActivities({
    orm: db.orm,
    bank: new SandboxBank(db.orm, clock, calendar, {
      minBusinessDays: 1,
      maxBusinessDays: 3,
      webhookUrl: 'http://127.0.0.1:9/unused',
      webhookSecret: 'workflow-test-secret-000',
    }),
    clock,
    calendar,
    dataBox: TEST_DATA_BOX,
    drawAmountFen: () => PAYOUT_FEN,
  });
}

/**
 * A worker on its own task queue that caches no workflow, so a test can stop it, let signals and
 * updates pile up for one workflow task, and start another that gets them all at once.
 */
function workerWithoutCache(taskQueue: string): Promise<Worker> {
  return Worker.create({
    connection: env.nativeConnection,
    dataConverter: TEST_DATA_CONVERTER,
    taskQueue,
    ...WORKFLOW_CODE,
    activities: realActivities(),
    maxCachedWorkflows: 0,
  });
}

describe('deposit verification workflow (time-skipping)', () => {
  it('RN-8: the right amount on the first try verifies the enterprise at once (RN-11)', async () => {
    const { handle, input } = await start();
    const landed = await land(handle);
    expect(landed.attemptsLeft).toBe(2);
    expect(Date.parse(landed.deadline!) - Date.parse(landed.landedAt!)).toBe(DEPOSIT_AMOUNT_WINDOW_MS);

    const result = await enter(handle, PAYOUT_FEN);
    expect(result).toEqual({ outcome: 'verified', attemptsLeft: 1 });
    // RN-11: visible the moment it changes — the update returns after the database says so.
    expect(await realNameStatus(input.accountId)).toBe('enterprise');
    const final = await handle.result();
    expect(final.status).toBe('verified');
    const record = await db.orm.em.fork().findOneOrFail(RealNameRecord, { sourceId: input.verificationId });
    expect(record).toMatchObject({ kind: 'enterprise', method: 'deposit', supersededAt: null });
    const desc = await handle.describe();
    expect(desc.typedSearchAttributes.get(searchAttributes.caseStatus)).toBe('verified');
    expect(desc.typedSearchAttributes.get(searchAttributes.accountId)).toBe(String(input.accountId));
    await maybeRecordHistory(handle, 'deposit-verified-first-try');
  });

  it('issue 12: every step on the timeline has a summary, and every payload is sealed by the codec', async () => {
    const { handle } = await start();
    await land(handle);
    expect(await enter(handle, PAYOUT_FEN)).toEqual({ outcome: 'verified', attemptsLeft: 1 });
    await handle.result();
    const history = await handle.fetchHistory();
    const codec = TEST_DATA_CONVERTER.payloadCodecs![0];
    const summaries: string[] = [];
    for (const event of history.events ?? []) {
      const summary = event.activityTaskScheduledEventAttributes ? event.userMetadata?.summary : undefined;
      if (!event.activityTaskScheduledEventAttributes) continue;
      expect(summary).toBeDefined();
      expect(Buffer.from(summary!.metadata!['encoding']).toString()).toBe('binary/encrypted');
      const [opened] = await codec.decode([summary!]);
      summaries.push(defaultPayloadConverter.fromPayload<string>(opened));
    }
    expect(new Set(summaries)).toEqual(
      new Set([
        'Send the small payout to the company bank account',
        'Record the verification state for the owner',
        'Check the amount the owner entered',
        'Make the account enterprise-verified (RN-11)',
      ]),
    );
    // Nothing but the SDK's patch markers and the search attributes is plain.
    const raw = JSON.stringify(history.events);
    expect(raw).not.toContain(`"amountFen":${PAYOUT_FEN}`);
    await maybeRecordHistory(handle, 'deposit-encrypted-with-summaries-verified');
  });

  it("RN-2: a right amount that the enterprise's limit refuses at completion ends the run refused, naming the rule", async () => {
    const licence = licenceNumber();
    await seedEnterpriseHolders(db.orm, licence, 3);
    const { handle, input } = await start(undefined, TASK_QUEUE, { licenceNumber: licence });
    await land(handle);
    // The entry is answered with the rule's refusal (the API's 422)…
    const err: unknown = await enter(handle, PAYOUT_FEN).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    // …and the run ends at once, refused, with the rule and code readable (patch refusedAtCompletion).
    const final = await handle.result();
    expect(final).toMatchObject({
      status: 'refused',
      refusal: { rule: 'RN-2', code: 'enterprise_account_limit' },
    });
    expect(final.closedAt).not.toBeNull();
    expect(await realNameStatus(input.accountId)).toBe('unverified');
    const row = await db.orm.em.fork().findOneOrFail(DepositVerification, { id: input.verificationId });
    expect(row).toMatchObject({
      status: 'refused',
      refusalRule: 'RN-2',
      refusalCode: 'enterprise_account_limit',
    });
    expect(row.closedAt).toBeInstanceOf(Date);
    await maybeRecordHistory(handle, 'deposit-refused-enterprise-limit');
  });

  it('RN-8: a wrong amount leaves one attempt; the right amount on the second try verifies', async () => {
    const { handle, input } = await start();
    await land(handle);
    expect(await enter(handle, PAYOUT_FEN + 1)).toEqual({ outcome: 'wrong_amount', attemptsLeft: 1 });
    expect((await state(handle)).status).toBe('awaiting_amount');
    expect(await realNameStatus(input.accountId)).toBe('unverified');
    expect(await enter(handle, PAYOUT_FEN)).toEqual({ outcome: 'verified', attemptsLeft: 0 });
    expect((await handle.result()).status).toBe('verified');
    await maybeRecordHistory(handle, 'deposit-verified-second-try');
  });

  it('RN-8: two wrong amounts fail the verification; nothing is verified', async () => {
    const { handle, input } = await start();
    await land(handle);
    expect(await enter(handle, 1)).toEqual({ outcome: 'wrong_amount', attemptsLeft: 1 });
    expect(await enter(handle, 2)).toEqual({ outcome: 'failed', attemptsLeft: 0 });
    const final = await handle.result();
    expect(final).toMatchObject({ status: 'failed', attemptsLeft: 0 });
    expect(await realNameStatus(input.accountId)).toBe('unverified');
    const row = await db.orm.em.fork().findOneOrFail(DepositVerification, { id: input.verificationId });
    expect(row.status).toBe('failed');
    expect(row.closedAt).toBeInstanceOf(Date);
    // A third entry is refused: the verification is over.
    await expect(enter(handle, PAYOUT_FEN)).rejects.toThrow();
    await maybeRecordHistory(handle, 'deposit-failed');
  });

  it('RN-8: with no entry it is still open just before 7 days and expires exactly at 7 days', async () => {
    const { handle, input } = await start();
    const landed = await land(handle);
    const deadline = Date.parse(landed.deadline!);

    await env.sleep(deadline - (await env.currentTimeMs()) - 1_000);
    expect((await state(handle)).status).toBe('awaiting_amount');

    await env.sleep(2_000);
    const final = await handle.result();
    expect(final.status).toBe('expired');
    expect(final.closedAt).toBe(landed.deadline);
    expect(await realNameStatus(input.accountId)).toBe('unverified');
    await maybeRecordHistory(handle, 'deposit-expired');
  });

  it('RN-8: a payout that never lands (wrong account number) ends as payout_not_received', async () => {
    const { handle, input } = await start('6222020200001239'); // fails the sandbox bank's Luhn check
    await payoutRequested(handle);
    const transfer = await db.orm.em
      .fork()
      .findOne(SandboxBankTransfer, { idempotencyKey: `deposit-payout:${input.verificationId}` });
    expect(transfer?.status).toBe('undeliverable');

    await env.sleep(DEPOSIT_PAYOUT_WAIT_MS - 60_000);
    expect((await state(handle)).status).toBe('payout_pending');
    const final = await handle.result();
    expect(final.status).toBe('payout_not_received');
    expect(final.appealAvailableFrom).not.toBeNull();
  });

  it('RN-8: the owner can withdraw before the payout lands, but not after', async () => {
    const { handle } = await start('6222020200001239');
    await until(handle, 'payout_pending');
    const withdrawn = await handle.executeUpdate(depositUpdates.withdraw, { args: [] });
    expect(withdrawn.status).toBe('payout_pending');
    expect((await handle.result()).status).toBe('withdrawn');

    const other = await start();
    await land(other.handle);
    await expect(other.handle.executeUpdate(depositUpdates.withdraw, { args: [] })).rejects.toMatchObject({
      cause: { type: DEPOSIT_UPDATE_REJECTIONS.notWithdrawable },
    });
    await enter(other.handle, PAYOUT_FEN);
  });

  it('RN-8: a duplicate start for the same account is refused while one is open (never a second payout)', async () => {
    const { handle, input } = await start();
    await payoutRequested(handle);
    await expect(
      env.client.workflow.start(WORKFLOW_TYPES.depositVerification, {
        workflowId: `deposit-verification:${input.accountId}`,
        taskQueue: TASK_QUEUE,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
      }),
    ).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
    const transfers = await db.orm.em
      .fork()
      .count(SandboxBankTransfer, { idempotencyKey: `deposit-payout:${input.verificationId}` });
    expect(transfers).toBe(1);
    await land(handle);
    await enter(handle, PAYOUT_FEN);
  });

  it.each([0, -5, 1.5, 100, Number.NaN])(
    'RN-8: a malformed amount (%p) is refused by the validator without spending an attempt',
    async (amountFen) => {
      const { handle } = await start();
      await land(handle);
      const err = await enter(handle, amountFen).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      expect((err as WorkflowUpdateFailedError).cause).toMatchObject({
        type: DEPOSIT_UPDATE_REJECTIONS.malformedAmount,
      });
      expect((await state(handle)).attemptsLeft).toBe(2);
      // Rejected updates leave no trace in history.
      const history = await handle.fetchHistory();
      const accepted = history.events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes) ?? [];
      expect(accepted).toHaveLength(0);
      await enter(handle, PAYOUT_FEN);
    },
  );

  it('RN-8: an amount entered before landing is refused without spending an attempt', async () => {
    const { handle } = await start();
    await until(handle, 'payout_pending');
    await expect(enter(handle, PAYOUT_FEN)).rejects.toMatchObject({
      cause: { type: DEPOSIT_UPDATE_REJECTIONS.notAwaitingAmount },
    });
    expect((await state(handle)).attemptsLeft).toBe(2);
    await land(handle);
    await enter(handle, PAYOUT_FEN);
  });

  it('RN-8: an entry sent again under its update ID (a retry, a double click) spends one attempt and answers every copy', async () => {
    const { handle, input } = await start();
    await land(handle);
    const [first, doubleClick] = await Promise.all([
      enterKeyed(handle, PAYOUT_FEN + 1, 'entry-1'),
      enterKeyed(handle, PAYOUT_FEN + 1, 'entry-1'),
    ]);
    expect(first).toEqual({ outcome: 'wrong_amount', attemptsLeft: 1 });
    expect(doubleClick).toEqual(first);
    expect(await enterKeyed(handle, PAYOUT_FEN + 1, 'entry-1')).toEqual(first);
    expect((await state(handle)).attemptsLeft).toBe(1);

    expect(await enterKeyed(handle, PAYOUT_FEN, 'entry-2')).toEqual({ outcome: 'verified', attemptsLeft: 0 });
    expect((await handle.result()).status).toBe('verified');
    expect(await realNameStatus(input.accountId)).toBe('enterprise');
    expect(await acceptedEntries(handle)).toBe(2);
    await maybeRecordHistory(handle, 'deposit-keyed-entries-verified');
  });

  it('RN-8: an amount that cannot be checked fails the entry as entry_unavailable and spends no attempt', async () => {
    const queue = `${TASK_QUEUE}-flaky`;
    let checkable = false;
    const real = realActivities();
    const flaky = await Worker.create({
      connection: env.nativeConnection,
      dataConverter: TEST_DATA_CONVERTER,
      taskQueue: queue,
      ...WORKFLOW_CODE,
      activities: {
        ...real,
        checkDepositAmount: async (input: { verificationId: string; amountFen: number }) => {
          if (!checkable) throw ApplicationFailure.nonRetryable('the database is down', 'DatabaseDown');
          return real.checkDepositAmount(input);
        },
      },
    });
    await flaky.runUntil(async () => {
      const { handle } = await start(undefined, queue);
      await land(handle);
      await expect(enterKeyed(handle, PAYOUT_FEN, 'entry-1')).rejects.toMatchObject({
        cause: { type: DEPOSIT_UPDATE_REJECTIONS.entryUnavailable },
      });
      expect((await state(handle)).attemptsLeft).toBe(2);
      checkable = true;
      // The API moves the same key on to its next update ID (see depositUpdateIds).
      expect(
        await handle.executeUpdate(depositUpdates.submitAmount, {
          args: [{ amountFen: PAYOUT_FEN }],
          updateId: depositUpdateIds.submitAmount('entry-1', 1),
        }),
      ).toEqual({ outcome: 'verified', attemptsLeft: 1 });
      expect((await handle.result()).status).toBe('verified');
    });
  });

  it('a malformed landed signal is ignored, not a failing workflow task; a good one still lands it', async () => {
    const { handle } = await start();
    await payoutRequested(handle);
    await handle.signal(depositSignals.payoutLanded, {
      landedAt: 'yesterday',
      bankReference: 'SBX-typo',
    });
    expect((await state(handle)).status).toBe('payout_pending');
    const history = await handle.fetchHistory();
    expect(history.events?.some((e) => e.workflowTaskFailedEventAttributes)).toBe(false);
    const landed = await land(handle);
    expect(landed.status).toBe('awaiting_amount');
    expect(await enter(handle, PAYOUT_FEN)).toEqual({ outcome: 'verified', attemptsLeft: 1 });
    expect((await handle.result()).status).toBe('verified');
    // A run with the short-timeout and withdraw-wins patches, and an ignored malformed signal.
    await maybeRecordHistory(handle, 'deposit-malformed-signal-verified');
  });

  it('a withdraw that races the landing is answered with what happens: accepted means withdrawn', async () => {
    const queue = 'deposit-withdraw-race';
    const worker = () => workerWithoutCache(queue);
    let handle: WorkflowHandle | undefined;
    await (
      await worker()
    ).runUntil(async () => {
      handle = (await start(undefined, queue)).handle;
      await payoutRequested(handle);
    });
    // No worker runs now: the withdraw and the landing wait for the same workflow task, in
    // whichever order they reach the server; the answer must match the outcome either way.
    const withdraw = handle!.executeUpdate(depositUpdates.withdraw).then(
      () => 'accepted' as const,
      (err: unknown) => {
        if (err instanceof WorkflowUpdateFailedError) return 'refused' as const;
        throw err;
      },
    );
    const landedAt = new Date(await env.currentTimeMs()).toISOString();
    await handle!.signal(depositSignals.payoutLanded, { landedAt, bankReference: 'SBX-race' });
    await (
      await worker()
    ).runUntil(async () => {
      const answer = await withdraw;
      // Accepted means withdrawn; refused means the landing counts and the amount is awaited.
      const outcome = answer === 'accepted' ? (await handle!.result()).status : (await state(handle!)).status;
      expect({ answer, outcome }).toEqual(
        answer === 'accepted'
          ? { answer: 'accepted', outcome: 'withdrawn' }
          : { answer: 'refused', outcome: 'awaiting_amount' },
      );
    });
  });

  it('never exposes the payout amount through the query', async () => {
    const { handle } = await start();
    const s = await land(handle);
    // No field is named like an amount, and no number in the answer is the amount paid (a
    // pattern over the JSON text would also match "42" inside a timestamp).
    expect(Object.keys(s).filter((k) => /amount/i.test(k))).toEqual([]);
    expect(Object.values(s).filter((v) => v === PAYOUT_FEN || v === String(PAYOUT_FEN))).toEqual([]);
    await enter(handle, PAYOUT_FEN);
  });
});
