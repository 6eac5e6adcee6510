import { timingSafeEqual } from 'node:crypto';
import { authenticator } from 'otplib';

/** RFC 6238 time step (30 s) and the tolerance of one step either side (clock drift). */
export const TOTP_STEP_SECONDS = 30;
export const TOTP_WINDOW_STEPS = 1;

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: 'invalid' | 'replayed' };

/** A fresh base32 secret (160 bits, the RFC 4226 recommendation). */
export function newTotpSecret(): string {
  return authenticator.generateSecret(20);
}

export function isBase32Secret(value: string): boolean {
  return /^[A-Z2-7]{16,128}=*$/.test(value);
}

export function totpStep(at: Date): number {
  return Math.floor(at.getTime() / (TOTP_STEP_SECONDS * 1000));
}

/** The code a device shows at `at` (tests and the sandbox hardware token use it). */
export function totpCode(secret: string, at: Date): string {
  return authenticator.clone({ epoch: at.getTime(), step: TOTP_STEP_SECONDS }).generate(secret);
}

/**
 * Checks a code against the steps around `at` (±1). A step at or before `lastUsedStep` is refused:
 * a code is accepted once, and an older one never after a newer (RFC 6238 §5.2).
 */
export function checkTotp(secret: string, code: string, at: Date, lastUsedStep: number | null): TotpCheck {
  if (!/^\d{6}$/.test(code)) return { ok: false, reason: 'invalid' };
  const now = totpStep(at);
  let replayed = false;
  for (let delta = -TOTP_WINDOW_STEPS; delta <= TOTP_WINDOW_STEPS; delta += 1) {
    const step = now + delta;
    const expected = totpCode(secret, new Date(step * TOTP_STEP_SECONDS * 1000));
    if (!timingSafeEqual(Buffer.from(expected), Buffer.from(code))) continue;
    if (lastUsedStep !== null && step <= lastUsedStep) {
      replayed = true;
      continue;
    }
    return { ok: true, step };
  }
  return { ok: false, reason: replayed ? 'replayed' : 'invalid' };
}

/** The otpauth:// URI an authenticator app reads from a QR code. */
export function otpauthUri(accountName: string, issuer: string, secret: string): string {
  return authenticator.keyuri(accountName, issuer, secret);
}
