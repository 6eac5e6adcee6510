import { createHmac, randomInt } from 'node:crypto';
import { MINUTE_MS } from './clock';

/** Verification codes (ACC-12, CON-1a, CON-4): 6 digits, 10 minutes, 5 tries, 60 s between sends. */
export const CODE_LENGTH = 6;
export const CODE_TTL_MS = 10 * MINUTE_MS;
export const CODE_MAX_ATTEMPTS = 5;
export const CODE_RESEND_COOLDOWN_MS = 60_000;
/** How long the proof of the first step of a two-step change (current phone/email) lasts. */
export const CHANGE_PROOF_TTL_MS = 10 * MINUTE_MS;
/** ACC-3: one phone number can be the security phone of at most 5 accounts. */
export const MAX_ACCOUNTS_PER_PHONE = 5;

export function newVerificationCode(): string {
  return String(randomInt(0, 10 ** CODE_LENGTH)).padStart(CODE_LENGTH, '0');
}

/**
 * Codes are stored as an HMAC keyed by a server secret and bound to the code's row: a bare
 * SHA-256 of a 6-digit number is reversed by trying all million values.
 */
export function hashVerificationCode(secret: string, codeId: string, code: string): string {
  return createHmac('sha256', secret).update(`${codeId}:${code}`).digest('hex');
}

/**
 * A phone number in one canonical form: `+<country code><number>`. A bare 11-digit mainland
 * mobile number (1xxxxxxxxxx) gets +86. Spaces, dashes and parentheses are ignored.
 * Returns null when it is not a plausible phone number.
 */
export function normalizePhone(input: string): string | null {
  const compact = input.trim().replace(/[\s\-()]/g, '');
  if (/^1[3-9]\d{9}$/.test(compact)) return `+86${compact}`;
  if (/^\+86 ?1[3-9]\d{9}$/.test(compact)) return compact;
  if (/^00\d{7,15}$/.test(compact)) return normalizePhone(`+${compact.slice(2)}`);
  if (/^\+[1-9]\d{6,14}$/.test(compact)) {
    if (compact.startsWith('+86') && !/^\+861[3-9]\d{9}$/.test(compact)) return null;
    return compact;
  }
  return null;
}

/** A display name shown to someone who may not own it: first character, then stars. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '***';
  return `${chars[0]}***`;
}
