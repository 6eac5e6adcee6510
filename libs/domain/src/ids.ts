import { createHash, randomBytes, randomInt } from 'node:crypto';
import { ulid } from 'ulid';

/** Time-ordered unique ID for records and cases. */
export function newId(): string {
  return ulid();
}

/** ACC-1: a 16-digit numeric account ID, below Number.MAX_SAFE_INTEGER. */
export function newAccountId(): number {
  return randomInt(1_000_000_000, 8_999_999_999) * 1_000_000 + randomInt(0, 1_000_000);
}

/** An opaque bearer token; only its SHA-256 is stored. */
export function newToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
