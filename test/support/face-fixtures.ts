/**
 * Personal verification by face over HTTP, as a user does it: submit name and ID number, do the
 * liveness step on the sandbox face service's page, and read the result its signed callback
 * brought. Used by every test that needs a personally verified account (RN-5, RN-2, …).
 */
import { randomBytes } from 'node:crypto';
import type { PERSONAL_VERIFICATION_STATUSES } from '../../libs/domain/src/personal-verification';
import type { LivenessCapture } from '../../libs/integrations/src/face/sandbox-face-verifier';
import { eventually, requestCode, uniqueEmail, type TestAccount } from './factories';
import type { HttpClient } from './http';

export const FACE_BASE = '/verifications/personal/face';

/** A camera capture that passes: the whole face, uncovered, like the ID photo. */
export const GOOD_CAPTURE: LivenessCapture = { face: 'clear', framing: 'full', likeness: 93 };

/** A mainland ID number (GB 11643) whose check character is right, or wrong on purpose. */
export function mainlandIdNumber(valid = true): string {
  const birth = `19${String(60 + (randomBytes(1)[0] % 40))}0${1 + (randomBytes(1)[0] % 9)}1${randomBytes(1)[0] % 9}`;
  const seq = String(randomBytes(2).readUInt16BE() % 1000).padStart(3, '0');
  const body = `110101${birth}${seq}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(body[i]) * weights[i];
  const right = '10X98765432'[sum % 11];
  const wrong = right === '0' ? '1' : '0';
  return `${body}${valid ? right : wrong}`;
}

export function personalSubmission(overrides: Record<string, unknown> = {}) {
  return { name: '张三', documentType: 'mainland_id_card', idNumber: mainlandIdNumber(), ...overrides };
}

type Status = (typeof PERSONAL_VERIFICATION_STATUSES)[number];

/** Polls GET …/face/{id} until the verification has one of `statuses`. */
export async function awaitPersonalStatus(
  http: HttpClient,
  token: string,
  id: string,
  statuses: Status[],
): Promise<Record<string, any>> {
  return eventually(
    async () => {
      const r = await http.get(`${FACE_BASE}/${id}`, token);
      return statuses.includes(r.body.status as Status) ? (r.body as Record<string, any>) : undefined;
    },
    20_000,
    `personal verification ${id} to be ${statuses.join(' or ')}`,
  );
}

/**
 * One whole attempt: submit, do the liveness step with `capture` at the session's liveness page
 * (a path of the API's sandbox routes), and wait for the outcome the signed callback brings.
 */
export async function faceAttempt(
  http: HttpClient,
  token: string,
  submission: Record<string, unknown>,
  capture: LivenessCapture = GOOD_CAPTURE,
): Promise<Record<string, any>> {
  const started = await http.post(FACE_BASE, submission, token);
  if (started.status !== 201)
    throw new Error(`face start failed: ${started.status} ${JSON.stringify(started.body)}`);
  const id = started.body.verificationId as string;
  const waiting = await awaitPersonalStatus(http, token, id, ['awaiting_liveness']);
  const livenessPath = new URL(waiting.session.livenessUrl as string).pathname;
  const captured = await http.post(livenessPath, capture);
  if (captured.status !== 202)
    throw new Error(`liveness failed: ${captured.status} ${JSON.stringify(captured.body)}`);
  return awaitPersonalStatus(http, token, id, ['verified', 'failed', 'refused', 'expired']);
}

/** Makes the account personally verified through the API (RN-6), as its owner would. */
export async function verifyPersonallyByFace(
  http: HttpClient,
  owner: TestAccount,
  submission: Record<string, unknown> = personalSubmission(),
): Promise<Record<string, any>> {
  const result = await faceAttempt(http, owner.token, submission);
  if (result.status !== 'verified')
    throw new Error(`face verification not verified: ${JSON.stringify(result)}`);
  return result;
}

/** An account on the international site (ACC-11), signed up and signed in over HTTP. */
export async function signUpInternational(http: HttpClient): Promise<TestAccount> {
  const email = uniqueEmail('intl');
  const password = 'Passw0rd-123';
  const code = await requestCode(http, '/sign-up/email/codes', { site: 'intl', email }, email);
  const created = await http.post('/accounts', { site: 'intl', email, code, password });
  if (created.status !== 201)
    throw new Error(`sign-up failed: ${created.status} ${JSON.stringify(created.body)}`);
  const session = await http.post('/sessions', { site: 'intl', email, password });
  if (session.status !== 201)
    throw new Error(`sign-in failed: ${session.status} ${JSON.stringify(session.body)}`);
  return {
    accountId: created.body.accountId as number,
    email,
    password,
    token: session.body.token as string,
  };
}
