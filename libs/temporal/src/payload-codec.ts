import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  METADATA_ENCODING_KEY,
  ValueError,
  type DataConverter,
  type Payload,
  type PayloadCodec,
} from '@temporalio/common';

/**
 * The payload codec of every Temporal client and worker (issue 12): each payload (workflow and
 * activity inputs and results, signals, updates, queries, memos, failures' details, user
 * metadata) is sealed with AES-256-GCM before it leaves the process, so the Temporal server, its
 * database, its backups and anyone who reaches the Web UI see only ciphertext. Search attributes
 * are not payloads of the codec: they stay plain and must never hold personal data.
 *
 * Envelope: metadata `encoding: binary/encrypted`, `encryption-cipher: AES256GCM` and
 * `encryption-key-id: <id>`; data = IV (12 bytes) ‖ ciphertext ‖ GCM tag (16 bytes) of the
 * original payload as JSON (metadata and data in base64). The key ID is authenticated as
 * additional data, so a payload cannot be relabelled with another key's ID.
 *
 * Key ring: the first key encrypts, every key of the ring decrypts. To rotate, put a new key
 * first and keep the old ones: histories written under them still decode and replay. A payload
 * whose key is not in the ring fails to decode, naming the key ID. Payloads that are not
 * encrypted (histories recorded before the codec, test/fixtures/histories) decode as they are.
 */

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const METADATA_KEY_ID = 'encryption-key-id';
export const METADATA_CIPHER = 'encryption-cipher';
export const CIPHER_NAME = 'AES256GCM';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

export interface PayloadKeyRing {
  /** ID of the key new payloads are encrypted under. */
  currentKeyId: string;
  /** Every key that may have encrypted a payload still in a history, by ID (32 bytes each). */
  keys: ReadonlyMap<string, Buffer>;
}

/** Builds a ring; the first entry is the current key. Refuses a bad ID, a short key or a repeated ID. */
export function keyRing(entries: ReadonlyArray<readonly [string, Buffer]>): PayloadKeyRing {
  if (entries.length === 0) throw new Error('a payload key ring needs at least one key');
  const keys = new Map<string, Buffer>();
  for (const [id, key] of entries) {
    if (!KEY_ID.test(id)) throw new Error(`payload key ID "${id}" must be 1–64 of A–Z a–z 0–9 . _ -`);
    if (key.length !== 32) throw new Error(`payload key "${id}" must be 32 bytes`);
    if (keys.has(id)) throw new Error(`payload key ID "${id}" appears twice`);
    keys.set(id, key);
  }
  return { currentKeyId: entries[0][0], keys };
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array | null | undefined): string | undefined =>
  b ? new TextDecoder().decode(b) : undefined;

export function isEncrypted(payload: Payload): boolean {
  return text(payload.metadata?.[METADATA_ENCODING_KEY]) === ENCRYPTED_ENCODING;
}

/** The key ID an encrypted payload names, or undefined for a plain payload. */
export function keyIdOf(payload: Payload): string | undefined {
  return isEncrypted(payload) ? text(payload.metadata?.[METADATA_KEY_ID]) : undefined;
}

interface Envelope {
  m: Record<string, string>;
  d: string;
}

function serialize(payload: Payload): Buffer {
  const m: Record<string, string> = {};
  for (const [k, v] of Object.entries(payload.metadata ?? {})) {
    if (v) m[k] = Buffer.from(v).toString('base64');
  }
  const envelope: Envelope = { m, d: Buffer.from(payload.data ?? new Uint8Array()).toString('base64') };
  return Buffer.from(JSON.stringify(envelope), 'utf8');
}

function deserialize(bytes: Buffer): Payload {
  const envelope = JSON.parse(bytes.toString('utf8')) as Envelope;
  const metadata: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(envelope.m)) metadata[k] = new Uint8Array(Buffer.from(v, 'base64'));
  return { metadata, data: new Uint8Array(Buffer.from(envelope.d, 'base64')) };
}

export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(private readonly ring: PayloadKeyRing) {}

  /** Seals each payload under the current key. */
  async encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve(payloads.map((p) => this.encodeOne(p)));
  }

  /** Opens each encrypted payload with the key its metadata names; plain payloads pass unchanged. */
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve(payloads.map((p) => this.decodeOne(p)));
  }

  encodeOne(payload: Payload): Payload {
    if (isEncrypted(payload)) return payload;
    const keyId = this.ring.currentKeyId;
    const key = this.ring.keys.get(keyId)!;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(keyId, 'utf8'));
    const sealed = Buffer.concat([
      iv,
      cipher.update(serialize(payload)),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    return {
      metadata: {
        [METADATA_ENCODING_KEY]: utf8(ENCRYPTED_ENCODING),
        [METADATA_CIPHER]: utf8(CIPHER_NAME),
        [METADATA_KEY_ID]: utf8(keyId),
      },
      data: new Uint8Array(sealed),
    };
  }

  decodeOne(payload: Payload): Payload {
    if (!isEncrypted(payload)) return payload;
    const keyId = text(payload.metadata?.[METADATA_KEY_ID]);
    if (!keyId) throw new ValueError('an encrypted payload without a key ID');
    const cipherName = text(payload.metadata?.[METADATA_CIPHER]);
    if (cipherName !== CIPHER_NAME) throw new ValueError(`unknown payload cipher "${cipherName ?? ''}"`);
    const key = this.ring.keys.get(keyId);
    if (!key) throw new ValueError(`payload key "${keyId}" is not in the key ring`);
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES)
      throw new ValueError('an encrypted payload too short to hold IV and tag');
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(keyId, 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    try {
      return deserialize(
        Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]),
      );
    } catch {
      throw new ValueError(`payload under key "${keyId}" failed authentication`);
    }
  }
}

/** The data converter every client, worker, test environment and replay uses. */
export function payloadDataConverter(ring: PayloadKeyRing): DataConverter {
  return { payloadCodecs: [new AesGcmPayloadCodec(ring)] };
}
