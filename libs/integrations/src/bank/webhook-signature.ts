import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
export const BANK_SIGNATURE_HEADER = 'x-bank-signature';
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function signBankWebhook(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const mac = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${mac}`;
}

export type SignatureCheck =
  { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

/** Verifies a webhook signature over the raw body, refusing replays older than the tolerance. */
export function verifyBankWebhook(
  secret: string,
  body: string,
  header: string | undefined,
  now: Date,
): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing' };
  const parts = Object.fromEntries(
    header.split(',').map((kv) => {
      const i = kv.indexOf('=');
      return [kv.slice(0, i).trim(), kv.slice(i + 1).trim()];
    }),
  );
  const t = Number(parts['t']);
  const given = parts['v1'];
  if (!Number.isInteger(t) || !given || !/^[0-9a-f]{64}$/.test(given))
    return { ok: false, reason: 'malformed' };
  if (Math.abs(now.getTime() / 1000 - t) > SIGNATURE_TOLERANCE_SECONDS) return { ok: false, reason: 'stale' };
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  const ok = timingSafeEqual(expected, Buffer.from(given, 'hex'));
  return ok ? { ok: true } : { ok: false, reason: 'mismatch' };
}
