/**
 * The personal verification workflow (issue 11 §2: RN-6) on Temporal's time-skipping test server,
 * with its real 30-minute wait for the face service's result, the real activities over a real
 * (PostgreSQL) database, and the sandbox face service, whose signed callbacks are handed to the
 * workflow as the API's webhook hands them (signature checked, then the signal).
 */
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createPersonalVerificationActivities } from '../../activities/personal-verification.activities';
import { SystemClock } from '../../libs/domain/src/clock';
import { newAccountId, newId } from '../../libs/domain/src/ids';
import {
  FACE_RESULT_WAIT_MS,
  type PersonalVerificationState,
} from '../../libs/domain/src/personal-verification';
import { verifyBankWebhook } from '../../libs/integrations/src/bank/webhook-signature';
import {
  FACE_SIGNATURE_HEADER,
  type FaceResultEvent,
} from '../../libs/integrations/src/face/face-verifier.port';
import {
  SandboxFaceVerifier,
  type LivenessCapture,
} from '../../libs/integrations/src/face/sandbox-face-verifier';
import { AccountKeyring } from '../../libs/persistence/src/account-keys';
import { Account, PersonalVerification, RealNameRecord } from '../../libs/persistence/src/entities';
import { sealPersonalIdentity } from '../../libs/persistence/src/personal-identity';
import { certificateDigest } from '../../libs/domain/src/real-name';
import { openCertificate } from '../../libs/persistence/src/real-name-records';
import {
  CASE_TYPES,
  personalQueries,
  personalSignals,
  searchAttributes,
  WORKFLOW_TYPES,
  workflowIds,
} from '../../libs/temporal/src/contract';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { TEST_DATA_BOX } from '../support/deposit-fixtures';
import { GOOD_CAPTURE, mainlandIdNumber } from '../support/face-fixtures';
import { eventually } from '../support/factories';
import { maybeRecordHistory } from '../support/histories';
import { REPO_ROOT } from '../support/paths';
import { registerSearchAttributes } from '../support/search-attributes';
import { WORKFLOW_CODE } from '../support/workflow-code';

jest.setTimeout(60_000);

const TASK_QUEUE = 'personal-verification-workflow-test';
const SECRET = 'face-workflow-test-secret-0000';

let env: TestWorkflowEnvironment;
let db: TestDatabase;
let worker: Worker;
let running: Promise<void>;
let face: SandboxFaceVerifier;
/** What the callback receiver does with a verified result; a test may make it lose callbacks. */
let deliver: (event: FaceResultEvent) => Promise<void>;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: join(REPO_ROOT, 'scripts/test-server.sh') } },
  });
  await registerSearchAttributes(env.connection, env.namespace ?? 'default');
  db = await createTestDatabase();
  const clock = new SystemClock();
  // The face service's callbacks reach this receiver: the signature is checked as the API does,
  // then the verification's workflow is signalled.
  const receiver: typeof fetch = async (_url, init) => {
    const body = init?.body as string;
    const headers = init?.headers as Record<string, string>;
    if (!verifyBankWebhook(SECRET, body, headers[FACE_SIGNATURE_HEADER], clock.now()).ok) {
      return new Response('bad signature', { status: 401 });
    }
    await deliver(JSON.parse(body) as FaceResultEvent);
    return new Response('{}', { status: 200 });
  };
  face = new SandboxFaceVerifier(
    db.orm,
    clock,
    {
      webhookUrl: 'http://api.invalid/webhooks/face',
      webhookSecret: SECRET,
      livenessBaseUrl: 'http://api.invalid',
      resultDelayMs: 0,
      sessionTtlMs: FACE_RESULT_WAIT_MS,
    },
    receiver,
  );
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    ...WORKFLOW_CODE,
    activities: createPersonalVerificationActivities({ orm: db.orm, clock, face, dataBox: TEST_DATA_BOX }),
  });
  running = worker.run();
}, 120_000);

beforeEach(() => {
  deliver = async (event) => {
    const v = await db.orm.em.fork().findOneOrFail(PersonalVerification, { id: event.reference });
    await env.client.workflow
      .getHandle(v.workflowId)
      .signal(personalSignals.faceResult, { sessionId: event.sessionId, outcome: event.outcome });
  };
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await db?.dispose();
  await env?.teardown();
});

/** An account with a submitted personal verification, sealed as the API writes it, and its run. */
async function submit(
  identity: { name?: string; idNumber?: string } = {},
): Promise<{ handle: WorkflowHandle; accountId: number; verificationId: string; idNumber: string }> {
  const em = db.orm.em.fork();
  const accountId = newAccountId();
  em.create(Account, {
    id: accountId,
    email: `face.${accountId}@example.com`,
    passwordHash: 'not-a-real-hash',
  });
  await em.flush();
  const verificationId = newId();
  const idNumber = identity.idNumber ?? mainlandIdNumber();
  const box = await new AccountKeyring(TEST_DATA_BOX).boxFor(em, accountId);
  em.create(PersonalVerification, {
    id: verificationId,
    account: em.getReference(Account, accountId),
    documentType: 'mainland_id_card',
    ...sealPersonalIdentity(box, verificationId, { name: identity.name ?? '李四', idNumber }),
    workflowId: workflowIds.personalVerification(accountId),
    createdAt: new Date(),
  });
  await em.flush();
  const handle = await env.client.workflow.start(WORKFLOW_TYPES.personalVerification, {
    workflowId: workflowIds.personalVerification(accountId),
    taskQueue: TASK_QUEUE,
    args: [{ verificationId, accountId }],
    typedSearchAttributes: [
      { key: searchAttributes.accountId, value: String(accountId) },
      { key: searchAttributes.caseType, value: CASE_TYPES.personalVerification },
      { key: searchAttributes.caseStatus, value: 'opening' },
    ],
  });
  return { handle, accountId, verificationId, idNumber };
}

async function awaitingLiveness(h: WorkflowHandle): Promise<PersonalVerificationState> {
  return eventually(
    async () => {
      const s = await h.query(personalQueries.state);
      return s.status === 'awaiting_liveness' ? s : undefined;
    },
    20_000,
    'awaiting_liveness',
  );
}

/** Every payload of a history, decoded: what Temporal keeps of the run, as text. */
function decodedPayloads(json: string): string {
  const out: string[] = [];
  const walk = (o: unknown): void => {
    if (!o || typeof o !== 'object') return;
    for (const [k, v] of Object.entries(o)) {
      if (k === 'data' && typeof v === 'string') out.push(Buffer.from(v, 'base64').toString('utf8'));
      else walk(v);
    }
  };
  walk(JSON.parse(json));
  return out.join('\n');
}

/** The user's liveness step on the session's page, then the service's due results and callbacks. */
async function liveness(s: PersonalVerificationState, capture: LivenessCapture): Promise<number> {
  await face.submitLiveness(s.session!.sessionId, capture);
  return face.deliverDue();
}

describe('personal verification workflow (time-skipping)', () => {
  it('RN-6: a passed face result, by the signed callback, makes the account personally verified', async () => {
    const { handle, accountId, verificationId, idNumber } = await submit();
    const waiting = await awaitingLiveness(handle);
    expect(waiting.session?.livenessUrl).toContain(
      `/sandbox/face/sessions/${waiting.session?.sessionId}/liveness`,
    );
    expect(await liveness(waiting, GOOD_CAPTURE)).toBe(1);
    const done = (await handle.result()) as PersonalVerificationState;
    expect(done).toMatchObject({ status: 'verified', failureReason: null, refusal: null });
    const em = db.orm.em.fork();
    expect((await em.findOneOrFail(Account, { id: accountId })).realNameStatus).toBe('personal');
    const record = await em.findOneOrFail(RealNameRecord, { sourceId: verificationId });
    expect(record).toMatchObject({ kind: 'personal', method: 'face', certificateNumber: null });
    // Stored sealed and found by its keyed digest (issue 11 §1).
    expect(record.certificateSealed).not.toContain(idNumber);
    expect(openCertificate(TEST_DATA_BOX, record)).toBe(idNumber);
    expect(record.certificateDigest).toBe(certificateDigest(TEST_DATA_BOX, 'personal', idNumber));
    expect((await em.findOneOrFail(PersonalVerification, { id: verificationId })).status).toBe('verified');
    // Workflow history holds IDs only: neither the name nor the ID number.
    const history = decodedPayloads(historyToJSON(await handle.fetchHistory()));
    expect(history).toContain(verificationId);
    expect(history).not.toContain(idNumber);
    expect(history).not.toContain('李四');
    await maybeRecordHistory(handle, 'personal-verified');
  });

  it('RN-6: a failure ends the attempt with its reason, and the account is unchanged', async () => {
    const { handle, accountId } = await submit();
    await liveness(await awaitingLiveness(handle), { ...GOOD_CAPTURE, face: 'covered' });
    const done = (await handle.result()) as PersonalVerificationState;
    expect(done).toMatchObject({ status: 'failed', failureReason: 'face_covered' });
    expect((await db.orm.em.fork().findOneOrFail(Account, { id: accountId })).realNameStatus).toBe(
      'unverified',
    );
    await maybeRecordHistory(handle, 'personal-failed');
  });

  it('RN-6: no liveness step within the real 30 minutes: the service is asked once, then the attempt expires', async () => {
    const { handle, verificationId } = await submit();
    const waiting = await awaitingLiveness(handle);
    const done = (await handle.result()) as PersonalVerificationState;
    expect(done.status).toBe('expired');
    expect(Date.parse(done.closedAt!) - Date.parse(waiting.session!.expiresAt)).toBeGreaterThanOrEqual(0);
    expect((await db.orm.em.fork().findOneOrFail(PersonalVerification, { id: verificationId })).status).toBe(
      'expired',
    );
    await maybeRecordHistory(handle, 'personal-expired');
  });

  it('RN-6: a lost callback: after 30 minutes the service is asked, and its result counts', async () => {
    deliver = () => Promise.reject(new Error('connection reset'));
    const { handle } = await submit();
    expect(await liveness(await awaitingLiveness(handle), { ...GOOD_CAPTURE, likeness: 12 })).toBe(0);
    const done = (await handle.result()) as PersonalVerificationState;
    expect(done).toMatchObject({ status: 'failed', failureReason: 'face_unlike_id_photo' });
  });

  it('RN-6: a malformed or foreign result signal is dropped; the real one still counts', async () => {
    const { handle } = await submit();
    const waiting = await awaitingLiveness(handle);
    await handle.signal(personalSignals.faceResult, {
      sessionId: waiting.session!.sessionId,
      outcome: 'maybe',
    } as never);
    await handle.signal(personalSignals.faceResult, { sessionId: 'FACE-of-another-run', outcome: 'passed' });
    expect((await handle.query(personalQueries.state)).status).toBe('awaiting_liveness');
    await liveness(waiting, { ...GOOD_CAPTURE, framing: 'partial' });
    const done = (await handle.result()) as PersonalVerificationState;
    expect(done).toMatchObject({ status: 'failed', failureReason: 'face_not_in_frame' });
  });

  it('RN-2: a passed face is refused at completion when the identity already verifies 3 accounts', async () => {
    const idNumber = mainlandIdNumber();
    for (let i = 0; i < 3; i += 1) {
      const { handle } = await submit({ idNumber });
      await liveness(await awaitingLiveness(handle), GOOD_CAPTURE);
      expect(((await handle.result()) as PersonalVerificationState).status).toBe('verified');
    }
    const { handle, accountId } = await submit({ idNumber });
    await liveness(await awaitingLiveness(handle), GOOD_CAPTURE);
    const done = (await handle.result()) as PersonalVerificationState;
    expect(done.status).toBe('refused');
    expect(done.refusal).toMatchObject({ rule: 'RN-2', code: 'personal_account_limit' });
    expect((await db.orm.em.fork().findOneOrFail(Account, { id: accountId })).realNameStatus).toBe(
      'unverified',
    );
  });
});
