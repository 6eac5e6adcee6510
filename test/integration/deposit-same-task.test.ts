/**
 * RN-8, issue 9 §0: an amount entry that reaches the workflow in the same workflow task as the
 * payout's landing is judged on the landed state. Run against the real Temporal dev server: the
 * time-skipping test server does not reliably put a signal and an update into one task (a known
 * test-server bug, sdk-java #2127), so there the scenario cannot be set up on purpose.
 */
import { readFileSync } from 'node:fs';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import { createVerificationActivities } from '../../activities/verification.activities';
import { BusinessCalendar } from '../../libs/domain/src/business-days';
import { SystemClock } from '../../libs/domain/src/clock';
import type { DepositVerificationState } from '../../libs/domain/src/deposit-verification';
import { SandboxBank } from '../../libs/integrations/src/bank/sandbox-bank';
import {
  CASE_TYPES,
  WORKFLOW_TYPES,
  depositQueries,
  depositSignals,
  depositUpdateIds,
  depositUpdates,
  searchAttributes,
} from '../../libs/temporal/src/contract';
import { seedDepositVerification, TEST_DATA_BOX } from '../support/deposit-fixtures';
import { TEST_DATA_CONVERTER } from '../support/codec';
import { eventually } from '../support/factories';
import { startPlatform, testState, type Platform } from '../support/platform';

jest.setTimeout(60_000);

const PAYOUT_FEN = 37;

describe('deposit verification: a landing and an entry in one workflow task', () => {
  let p: Platform;
  let connection: NativeConnection;
  beforeAll(async () => {
    p = await startPlatform();
    connection = await NativeConnection.connect({ address: testState().temporalAddress });
  }, 60_000);
  afterAll(async () => {
    await connection.close();
    await p.close();
  });

  /** A worker that caches no workflow: stopped, the next task waits for whichever worker polls. */
  const worker = (taskQueue: string) => {
    const clock = new SystemClock();
    const calendar = new BusinessCalendar();
    return Worker.create({
      connection,
      taskQueue,
      dataConverter: TEST_DATA_CONVERTER,
      workflowBundle: { code: readFileSync(testState().workflowBundlePath, 'utf8') },
      activities: createVerificationActivities({
        orm: p.orm,
        bank: new SandboxBank(p.orm, clock, calendar, {
          minBusinessDays: 1,
          maxBusinessDays: 3,
          webhookUrl: 'http://127.0.0.1:9/unused',
          webhookSecret: 'same-task-test-secret-00',
        }),
        clock,
        calendar,
        dataBox: TEST_DATA_BOX,
        drawAmountFen: () => PAYOUT_FEN,
      }),
      maxCachedWorkflows: 0,
    });
  };

  it('RN-8: an entry that arrives in the same workflow task as the landing is judged on the landed state', async () => {
    const taskQueue = `${p.config.temporal.taskQueue ?? 'same-task'}-same-task`;
    const { input } = await seedDepositVerification(p.orm);
    let handle: WorkflowHandle | undefined;
    await (
      await worker(taskQueue)
    ).runUntil(async () => {
      handle = await p.temporal.workflow.start(WORKFLOW_TYPES.depositVerification, {
        workflowId: `deposit-verification:${input.accountId}`,
        taskQueue,
        args: [input],
        typedSearchAttributes: [
          { key: searchAttributes.accountId, value: String(input.accountId) },
          { key: searchAttributes.caseType, value: CASE_TYPES.depositVerification },
          { key: searchAttributes.caseStatus, value: 'payout_pending' },
        ],
      });
      await eventually(async () => {
        const s: DepositVerificationState = await handle!.query(depositQueries.state);
        return s.payoutRequestedAt ? s : undefined;
      });
    });
    // No worker polls now: the landing and then the entry wait for the same workflow task.
    await handle!.signal(depositSignals.payoutLanded, {
      landedAt: new Date().toISOString(),
      bankReference: 'SBX-same-task',
    });
    const entry = handle!.executeUpdate(depositUpdates.submitAmount, {
      args: [{ amountFen: PAYOUT_FEN }],
      updateId: depositUpdateIds.submitAmount('same-task'),
    });
    const result = await (await worker(taskQueue)).runUntil(entry);
    expect(result).toEqual({ outcome: 'verified', attemptsLeft: 1 });
  });
});
