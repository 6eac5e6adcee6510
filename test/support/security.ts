/** Typed shapes and helpers for the sign-in security tests (sessions, CON-2, MFA, staff). */
import { totpCode } from '../../apps/api/src/mfa/totp';
import type { Clock } from '../../libs/domain/src/clock';
import type { HttpClient, HttpResponse } from './http';

export interface ApiError {
  code: string;
  message: string;
  correlationId: string;
  rule?: string;
  field?: string;
  captchaRequired?: boolean;
  captcha?: { challengeId: string; expiresAt: string; prompt: string };
  lockedUntil?: string;
  attemptsLeft?: number;
  [k: string]: unknown;
}

/** Any JSON answer: success fields are read through `field()`, errors through `.error`. */
export interface Json {
  error: ApiError;
  [k: string]: unknown;
}

export type Res = HttpResponse<Json>;

export function str(r: Res, key: string): string {
  const v = r.body[key];
  if (typeof v !== 'string')
    throw new Error(`expected string ${key} in ${r.status} ${JSON.stringify(r.body)}`);
  return v;
}

export function items<T = Record<string, unknown>>(r: Res): T[] {
  const v = r.body['items'];
  if (!Array.isArray(v)) throw new Error(`expected items in ${r.status} ${JSON.stringify(r.body)}`);
  return v as T[];
}

/** Reads the sandbox captcha's answer, the way a person reads the image. */
export async function solveCaptcha(
  http: HttpClient,
  challengeId: string,
): Promise<{ challengeId: string; answer: string }> {
  const r = await http.get<{ answer: string }>(`/sandbox/captcha/${challengeId}`);
  if (r.status !== 200) throw new Error(`captcha ${challengeId}: ${r.status}`);
  return { challengeId, answer: r.body.answer };
}

export async function freshCaptcha(http: HttpClient): Promise<{ challengeId: string; answer: string }> {
  const c = await http.post<{ challengeId: string }>('/captcha/challenges');
  return solveCaptcha(http, c.body.challengeId);
}

/** What an authenticator app shows for `secret` now (by the platform's clock). */
export function codeFor(secret: string, clock: Clock, offsetSteps = 0): string {
  return totpCode(secret, new Date(clock.now().getTime() + offsetSteps * 30_000));
}
