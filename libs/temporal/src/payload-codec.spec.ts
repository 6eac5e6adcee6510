import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import {
  AesGcmPayloadCodec,
  ENCRYPTED_ENCODING,
  isEncrypted,
  keyIdOf,
  keyRing,
  METADATA_KEY_ID,
} from './payload-codec';

const payload = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);
const value = (p: Payload): unknown => defaultPayloadConverter.fromPayload(p);
const text = (p: Payload): string => Buffer.from(p.data ?? new Uint8Array()).toString('latin1');

describe('AES-256-GCM payload codec (issue 12)', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  const before = new AesGcmPayloadCodec(keyRing([['k-2026-01', oldKey]]));
  const after = new AesGcmPayloadCodec(
    keyRing([
      ['k-2026-07', newKey],
      ['k-2026-01', oldKey],
    ]),
  );
  const secret = { amountFen: 4217, bankAccountNumber: '6222020200112233445', holderName: '张三' };

  it('round trip: a sealed payload names its key, holds nothing in the clear and opens to the same value', async () => {
    const [sealed] = await before.encode([payload(secret)]);
    expect(isEncrypted(sealed)).toBe(true);
    expect(keyIdOf(sealed)).toBe('k-2026-01');
    expect(Buffer.from(sealed.metadata!['encoding']).toString()).toBe(ENCRYPTED_ENCODING);
    for (const clear of ['4217', '6222020200112233445', 'holderName', 'json/plain']) {
      expect(text(sealed)).not.toContain(clear);
    }
    const [opened] = await before.decode([sealed]);
    expect(value(opened)).toEqual(secret);
  });

  it('seals the same value differently each time (a fresh IV per payload)', async () => {
    const [a, b] = await before.encode([payload(secret), payload(secret)]);
    expect(Buffer.from(a.data!).equals(Buffer.from(b.data!))).toBe(false);
  });

  it('key rotation: payloads under the old key still open, new ones are sealed under the new key', async () => {
    const [old] = await before.encode([payload(secret)]);
    const [fresh] = await after.encode([payload(secret)]);
    expect(keyIdOf(fresh)).toBe('k-2026-07');
    const [a, b] = await after.decode([old, fresh]);
    expect(value(a)).toEqual(secret);
    expect(value(b)).toEqual(secret);
  });

  it('a payload whose key has left the ring (destroyed) no longer opens, naming the key', async () => {
    const [fresh] = await after.encode([payload(secret)]);
    await expect(before.decode([fresh])).rejects.toThrow(/payload key "k-2026-07" is not in the key ring/);
  });

  it('refuses a payload relabelled with another key ID or tampered with', async () => {
    const [sealed] = await after.encode([payload(secret)]);
    const relabelled: Payload = {
      ...sealed,
      metadata: { ...sealed.metadata, [METADATA_KEY_ID]: new TextEncoder().encode('k-2026-01') },
    };
    await expect(after.decode([relabelled])).rejects.toThrow(/failed authentication/);
    const data = Buffer.from(sealed.data!);
    data[20] = data[20] ^ 1;
    await expect(after.decode([{ ...sealed, data: new Uint8Array(data) }])).rejects.toThrow(
      /failed authentication/,
    );
  });

  it('plain payloads (histories recorded before the codec) decode unchanged', async () => {
    const plain = payload({ verificationId: 'v1' });
    const [decoded] = await after.decode([plain]);
    expect(decoded).toBe(plain);
    expect(value(decoded)).toEqual({ verificationId: 'v1' });
  });

  it('keeps an empty payload (undefined) round-tripping', async () => {
    const [sealed] = await after.encode([payload(undefined)]);
    const [opened] = await after.decode([sealed]);
    expect(value(opened)).toBeUndefined();
  });

  it('refuses a ring with a short key, a bad ID or no key', () => {
    expect(() => keyRing([['k', randomBytes(16)]])).toThrow(/32 bytes/);
    expect(() => keyRing([['bad id', randomBytes(32)]])).toThrow(/payload key ID/);
    expect(() => keyRing([])).toThrow(/at least one key/);
  });
});
