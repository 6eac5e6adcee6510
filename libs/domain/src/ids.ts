import { createHash, randomBytes, randomFillSync, randomInt } from 'node:crypto';
import { ulid } from 'ulid';

/**
 * ulid's default PRNG asks the system CSPRNG for one byte per character (16 calls per ID, one
 * per request for the correlation ID alone). This one hands out the same cryptographic random
 * bytes, in the same byte/256 form, from a pool refilled 4 KiB at a time.
 */
const randomPool = Buffer.alloc(4096);
let randomPoolNext = randomPool.length;
function pooledRandom(): number {
  if (randomPoolNext >= randomPool.length) {
    randomFillSync(randomPool);
    randomPoolNext = 0;
  }
  return randomPool[randomPoolNext++] / 256;
}

/** Time-ordered unique ID for records and cases. */
export function newId(): string {
  return ulid(undefined, pooledRandom);
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
