import { accountExists } from '../../libs/integrations/src/bank/sandbox-bank';
import { randomBytes } from 'node:crypto';
import type { HttpClient } from './http';

export interface TestAccount {
  accountId: number;
  email: string;
  password: string;
  token: string;
}

let seq = 0;
export function uniqueEmail(prefix = 'user'): string {
  seq += 1;
  return `${prefix}.${seq}.${randomBytes(3).toString('hex')}@example.com`;
}

/** Signs up an account through the API and signs it in. */
export async function signUpAndSignIn(
  http: HttpClient,
  overrides: { email?: string; password?: string } = {},
): Promise<TestAccount> {
  const email = overrides.email ?? uniqueEmail();
  const password = overrides.password ?? 'Passw0rd-123';
  const code = await requestCode(http, '/sign-up/email/codes', { email }, email);
  const created = await http.post('/accounts', { email, code, password });
  if (created.status !== 201)
    throw new Error(`sign-up failed: ${created.status} ${JSON.stringify(created.body)}`);
  const session = await http.post('/sessions', { email, password });
  if (session.status !== 201)
    throw new Error(`sign-in failed: ${session.status} ${JSON.stringify(session.body)}`);
  return {
    accountId: created.body.accountId as number,
    email,
    password,
    token: session.body.token as string,
  };
}

/** The newest verification code the sandbox outbox holds for a phone or email (read like the recipient would). */
export async function latestCode(http: HttpClient, to: string): Promise<string> {
  const inbox = await http.get(`/sandbox/outbox?to=${encodeURIComponent(to)}`);
  const text = (inbox.body as Array<{ text: string }> | undefined)?.[0]?.text ?? '';
  const code = /\b(\d{6})\b/.exec(text)?.[1];
  if (inbox.status !== 200 || !code)
    throw new Error(`no code for ${to}: ${inbox.status} ${JSON.stringify(inbox.body)}`);
  return code;
}

/** POSTs a "send me a code" request and returns the code as delivered to `to` (ACC-2, ACC-12). */
export async function requestCode(
  http: HttpClient,
  path: string,
  body: Record<string, unknown>,
  to: string,
  token?: string,
): Promise<string> {
  const sent = await http.post(path, body, token);
  if (sent.status !== 202)
    throw new Error(`code request failed: ${sent.status} ${JSON.stringify(sent.body)}`);
  return latestCode(http, to);
}

/** A bank account number the sandbox bank knows (passes the Luhn check), or one it does not. */
export function bankAccountNumber(valid = true): string {
  const body = Array.from({ length: 15 }, (_, i) => (i === 0 ? 6 : Number(randomBytes(1)[0] % 10))).join('');
  for (let d = 0; d < 10; d += 1) {
    const candidate = `${body}${d}`;
    if (accountExists(candidate) === valid) return candidate;
  }
  throw new Error('unreachable');
}

/** A business licence number no other test uses (18 letters and digits). */
export function licenceNumber(): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const tail = Array.from(randomBytes(8), (b) => alphabet[b % alphabet.length]).join('');
  return `91110000MA${tail}`;
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `timed out waiting for ${what}${last ? `: ${last instanceof Error ? last.message : JSON.stringify(last)}` : ''}`,
  );
}
