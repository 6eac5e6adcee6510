/**
 * The recharge verification workflow (RN-9) on Temporal's time-skipping test server, with the
 * real 7-day window and the real 1-business-day confirmation, and the real activities over a
 * real (PostgreSQL) database. The bank's reports are what the webhook writes and signals.
 */
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createRechargeActivities } from '../../activities/recharge.activities';
import { BusinessCalendar } from '../../libs/domain/src/business-days';
import { SystemClock } from '../../libs/domain/src/clock';
import {
  RECHARGE_PAYMENT_WINDOW_MS,
  type RechargeVerificationState,
} from '../../libs/domain/src/recharge-verification';
import {
  Account,
  IncomingPayment,
  RealNameRecord,
  RechargeVerification,
} from '../../libs/persistence/src/entities';
import {
  CASE_TYPES,
  WORKFLOW_TYPES,
  rechargeQueries,
  rechargeSignals,
  searchAttributes,
  workflowIds,
  type RechargeVerificationInput,
} from '../../libs/temporal/src/contract';
import { registerSearchAttributes } from '../support/search-attributes';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { TEST_DATA_BOX } from '../support/deposit-fixtures';
import { licenceNumber } from '../support/factories';
import { maybeRecordHistory } from '../support/histories';
import { REPO_ROOT } from '../support/paths';
import {
  seedEnterpriseHolders,
  seedIncomingPayment,
  seedRechargeVerification,
} from '../support/recharge-fixtures';
import { WORKFLOW_CODE } from '../support/workflow-code';

jest.setTimeout(30_000);

const SUM_FEN = 37;
const TASK_QUEUE = 'recharge-verification-workflow-test';
const DAY_MS = 24 * 3600 * 1000;

let env: TestWorkflowEnvironment;
let db: TestDatabase;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: join(REPO_ROOT, 'scripts/test-server.sh') } },
  });
  await registerSearchAttributes(env.connection, env.namespace ?? 'default');
  db = await createTestDatabase();
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    ...WORKFLOW_CODE,
    activities: createRechargeActivities({
      orm: db.orm,
      clock: new SystemClock(),
      calendar: new BusinessCalendar(),
      dataBox: TEST_DATA_BOX,
    }),
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
  opts: { licenceNumber?: string } = {},
): Promise<{ handle: WorkflowHandle; input: RechargeVerificationInput }> {
  const { input } = await seedRechargeVerification(db.orm, {
    amountFen: SUM_FEN,
    now: new Date(await env.currentTimeMs()),
    licenceNumber: opts.licenceNumber,
  });
  const handle = await env.client.workflow.start(WORKFLOW_TYPES.rechargeVerification, {
    workflowId: workflowIds.rechargeVerification(input.accountId),
    taskQueue: TASK_QUEUE,
    args: [input],
    workflowIdConflictPolicy: 'FAIL',
    typedSearchAttributes: [
      { key: searchAttributes.accountId, value: String(input.accountId) },
      { key: searchAttributes.caseType, value: CASE_TYPES.rechargeVerification },
      { key: searchAttributes.caseStatus, value: 'awaiting_payment' },
    ],
  });
  return { handle, input };
}

const state = (handle: WorkflowHandle): Promise<RechargeVerificationState> =>
  handle.query(rechargeQueries.state);

/** Waits (in real time, briefly) until the workflow's state satisfies `check`. */
async function until(
  handle: WorkflowHandle,
  check: (s: RechargeVerificationState) => boolean,
  what: string,
): Promise<RechargeVerificationState> {
  for (let i = 0; i < 400; i += 1) {
    const s = await state(handle);
    if (check(s)) return s;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`workflow never reached ${what}; last: ${JSON.stringify(await state(handle))}`);
}

/** The bank reports a payment: the row the webhook writes, then the signal it sends. */
async function pay(
  handle: WorkflowHandle,
  input: RechargeVerificationInput,
  p: { amountFen: number; payerHolder?: string; channel?: string },
): Promise<IncomingPayment> {
  const arrivedAt = new Date(await env.currentTimeMs());
  const payment = await seedIncomingPayment(db.orm, input.accountId, { ...p, arrivedAt });
  await handle.signal(rechargeSignals.paymentArrived, {
    paymentId: payment.id,
    arrivedAt: arrivedAt.toISOString(),
  });
  return payment;
}

async function realNameStatus(accountId: number): Promise<string> {
  return (await db.orm.em.fork().findOneOrFail(Account, { id: accountId })).realNameStatus;
}

/** The next Friday 20:00 in Shanghai (12:00 UTC) after `fromMs`, at least an hour away. */
function nextFridayEvening(fromMs: number): number {
  const d = new Date(fromMs + 3600_000);
  let at = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 12);
  while (new Date(at).getUTCDay() !== 5 || at <= fromMs + 3600_000) at += DAY_MS;
  return at;
}

describe('recharge verification workflow (time-skipping)', () => {
  it('RN-9/RN-7: the issued sum from the enterprise arriving on a Friday evening verifies it, confirmed by Monday (1 business day)', async () => {
    const { handle, input } = await start();
    const opened = await until(handle, (s) => s.deadline !== null, 'a deadline');
    const startedAt = Date.parse(opened.deadline!) - RECHARGE_PAYMENT_WINDOW_MS;

    const friday = nextFridayEvening(await env.currentTimeMs());
    expect(friday).toBeLessThan(Date.parse(opened.deadline!));
    await env.sleep(friday - (await env.currentTimeMs()));
    const payment = await pay(handle, input, { amountFen: SUM_FEN });

    const final = (await handle.result()) as RechargeVerificationState;
    expect(final.status).toBe('verified');
    expect(final.paidAt).toBe(payment.arrivedAt.toISOString());
    // RN-7: within 1 business day of arrival — Friday evening's payment by Monday evening.
    expect(Date.parse(final.confirmBy!) - payment.arrivedAt.getTime()).toBe(3 * DAY_MS);
    expect(new Date(final.confirmBy!).getUTCDay()).toBe(1);
    expect(Date.parse(final.closedAt!)).toBeLessThanOrEqual(Date.parse(final.confirmBy!));
    expect(Date.parse(final.closedAt!)).toBeGreaterThanOrEqual(startedAt);

    // RN-11: the account is enterprise-verified, by the recharge route, and the payment is linked.
    expect(await realNameStatus(input.accountId)).toBe('enterprise');
    const em = db.orm.em.fork();
    const record = await em.findOneOrFail(RealNameRecord, { sourceId: input.verificationId });
    expect(record).toMatchObject({ kind: 'enterprise', method: 'recharge', supersededAt: null });
    expect((await em.findOneOrFail(IncomingPayment, { id: payment.id })).rechargeVerificationId).toBe(
      input.verificationId,
    );
    const row = await em.findOneOrFail(RechargeVerification, { id: input.verificationId });
    expect(row).toMatchObject({ status: 'verified', matchedPaymentId: payment.id });
    expect(row.closedAt).toBeInstanceOf(Date);
    const desc = await handle.describe();
    expect(desc.typedSearchAttributes.get(searchAttributes.caseStatus)).toBe('verified');
    await maybeRecordHistory(handle, 'recharge-verified');
  });

  it('RN-9: a wrong sum and a payer in another name are no match; 7 days without a match end it exactly at the deadline', async () => {
    const { handle, input } = await start();
    const opened = await until(handle, (s) => s.deadline !== null, 'a deadline');

    await pay(handle, input, { amountFen: SUM_FEN + 1 });
    await pay(handle, input, { amountFen: SUM_FEN, payerHolder: 'Someone Else Trading Co' });
    await pay(handle, input, { amountFen: SUM_FEN, channel: 'third_party_payment' });
    const after = await until(handle, (s) => s.unmatchedPayments === 3, 'three unmatched payments');
    expect(after.status).toBe('awaiting_payment');
    expect(await realNameStatus(input.accountId)).toBe('unverified');

    // Still open a second before the 7 days are over…
    const deadline = Date.parse(opened.deadline!);
    await env.sleep(deadline - (await env.currentTimeMs()) - 1_000);
    expect((await state(handle)).status).toBe('awaiting_payment');
    // …and over at the deadline itself.
    await env.sleep(2_000);
    const final = (await handle.result()) as RechargeVerificationState;
    expect(final).toMatchObject({ status: 'expired', unmatchedPayments: 3, closedAt: opened.deadline });
    expect(await realNameStatus(input.accountId)).toBe('unverified');
    const row = await db.orm.em.fork().findOneOrFail(RechargeVerification, { id: input.verificationId });
    expect(row).toMatchObject({ status: 'expired', unmatchedPayments: 3, matchedPaymentId: null });
    await maybeRecordHistory(handle, 'recharge-expired-after-mismatches');
  });

  it('RN-9: a payment reported twice is looked at once; a malformed signal is dropped, not a failing task', async () => {
    const { handle, input } = await start();
    await until(handle, (s) => s.deadline !== null, 'a deadline');
    const wrong = await pay(handle, input, { amountFen: SUM_FEN + 2 });
    await handle.signal(rechargeSignals.paymentArrived, {
      paymentId: wrong.id,
      arrivedAt: wrong.arrivedAt.toISOString(),
    });
    await handle.signal(rechargeSignals.paymentArrived, {
      paymentId: 'nonsense',
      arrivedAt: 'yesterday',
    });
    await pay(handle, input, { amountFen: SUM_FEN });
    const final = (await handle.result()) as RechargeVerificationState;
    expect(final).toMatchObject({ status: 'verified', unmatchedPayments: 1 });
  });

  it('RN-2: a matching payment for an enterprise that already verifies 3 accounts ends the run refused, naming the rule; nothing is verified', async () => {
    const licence = licenceNumber();
    await seedEnterpriseHolders(db.orm, licence, 3);
    const { handle, input } = await start({ licenceNumber: licence });
    await until(handle, (s) => s.deadline !== null, 'a deadline');
    await pay(handle, input, { amountFen: SUM_FEN });
    const final = (await handle.result()) as RechargeVerificationState;
    expect(final).toMatchObject({
      status: 'refused',
      refusal: { rule: 'RN-2', code: 'enterprise_account_limit' },
    });
    expect(final.closedAt).not.toBeNull();
    expect(await realNameStatus(input.accountId)).toBe('unverified');
    const row = await db.orm.em.fork().findOneOrFail(RechargeVerification, { id: input.verificationId });
    expect(row).toMatchObject({
      status: 'refused',
      refusalRule: 'RN-2',
      refusalCode: 'enterprise_account_limit',
    });
    expect(
      await db.orm.em.fork().count(RealNameRecord, { certificateNumber: licence, supersededAt: null }),
    ).toBe(3);
    await maybeRecordHistory(handle, 'recharge-refused-enterprise-limit');
  });
});
