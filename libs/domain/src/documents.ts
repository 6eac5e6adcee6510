import {
  createCipheriv,
  createDecipheriv,
  createHash,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import {
  ConflictError,
  IntegrityError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from './errors';
import type { SecretBox } from './secret-box';

/**
 * Appeal documents (issue 9 §2): what a document may be, and how its bytes are kept. Pure (no
 * I/O), shared by the API and the activities.
 *
 * Envelope encryption: each document gets a random 32-byte key; its bytes are sealed with
 * AES-256-GCM under that key, and the key itself is sealed (wrapped) with AES-256-GCM under a key
 * derived by HKDF from DATA_ENCRYPTION_KEY. The document ID is bound as additional authenticated
 * data to both, so a blob or a wrapped key copied onto another document does not open. The
 * SHA-256 of the plaintext is kept beside the wrapped key and checked after every decryption.
 *
 * Since per-account data keys (issue 10 CAN-5), a document of an account's case has its key
 * wrapped under the account's data key instead (`a1.` wrapped keys, through the account's
 * SecretBox): destroying that key at cancellation leaves the document unreadable, from any copy.
 * `v1.` wrapped keys, made before, still open under the key derived from DATA_ENCRYPTION_KEY.
 */

/** At most this many bytes per document (10 MB). */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
/** The size limit as people read it, in refusals. */
export const MAX_DOCUMENT_SIZE_TEXT = '10 MB';
/** At most this many documents per case, over all its uploads. */
export const MAX_DOCUMENTS_PER_CASE = 8;

export const DOCUMENT_CONTENT_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export type DocumentContentType = (typeof DOCUMENT_CONTENT_TYPES)[number];

/**
 * What a document is for, chosen by the appeal form: `id_front`, `id_back`, `licence`,
 * `legal_rep_id_front`, `bank_statement`, `other`… Lower-case letters, digits and `_`, at most 40.
 */
export const DOCUMENT_LABEL_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;

export function isDocumentLabel(value: string): boolean {
  return DOCUMENT_LABEL_PATTERN.test(value);
}

const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PDF = Buffer.from('%PDF-', 'latin1');

/**
 * The content type of a document judged by its first bytes (its "magic number"), never by its
 * name or the type the client claims: JPEG `FF D8 FF`, PNG `89 50 4E 47 0D 0A 1A 0A`, PDF
 * `%PDF-`. Null for anything else (an empty file included).
 */
export function sniffDocumentType(bytes: Uint8Array): DocumentContentType | null {
  const starts = (magic: Buffer) =>
    bytes.length >= magic.length && Buffer.from(bytes.buffer, bytes.byteOffset, magic.length).equals(magic);
  if (starts(JPEG)) return 'image/jpeg';
  if (starts(PNG)) return 'image/png';
  if (starts(PDF)) return 'application/pdf';
  return null;
}

/**
 * A client's file name as refusals quote it: NFC, control characters shown as `?`, at most 120
 * characters. Only ever echoed to the sender, never stored.
 */
export function displayFileName(originalName: string | undefined, index?: number): string {
  const name = (originalName ?? '')
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')
    .trim();
  if (!name) return index === undefined ? 'a file without a name' : `file ${index + 1} (no name)`;
  return name.length > 120 ? `${name.slice(0, 119)}…` : name;
}

/** 413 `document_too_large`: names the file and the limit. */
export function documentTooLarge(originalName: string | undefined, index?: number): PayloadTooLargeError {
  const file = displayFileName(originalName, index);
  return new PayloadTooLargeError(
    'document_too_large',
    `"${file}" is over the limit of ${MAX_DOCUMENT_SIZE_TEXT} per document`,
    { field: 'files', file, limit: MAX_DOCUMENT_SIZE_TEXT, limitBytes: MAX_DOCUMENT_BYTES },
  );
}

/** 415 `document_type_not_allowed`: names the file and what is taken. */
export function documentTypeNotAllowed(
  originalName: string | undefined,
  index?: number,
): UnsupportedMediaTypeError {
  const file = displayFileName(originalName, index);
  return new UnsupportedMediaTypeError(
    'document_type_not_allowed',
    `"${file}" is not a JPEG, PNG or PDF file (judged by its content, not its name)`,
    { field: 'files', file, allowed: [...DOCUMENT_CONTENT_TYPES] },
  );
}

/** 413 `too_many_documents`: one request carries more files than a case may hold. */
export function tooManyDocumentsInRequest(): PayloadTooLargeError {
  return new PayloadTooLargeError(
    'too_many_documents',
    `At most ${MAX_DOCUMENTS_PER_CASE} documents per case: this request carries more`,
    { field: 'files', limit: MAX_DOCUMENTS_PER_CASE },
  );
}

/** 409 `document_limit_reached`: the case would hold more than 8; names the first file refused. */
export function documentLimitReached(
  held: number,
  originalName: string | undefined,
  index?: number,
): ConflictError {
  const file = displayFileName(originalName, index);
  return new ConflictError(
    'document_limit_reached',
    `"${file}" would pass the limit of ${MAX_DOCUMENTS_PER_CASE} documents per case: the case holds ${held}`,
    { field: 'files', file, limit: MAX_DOCUMENTS_PER_CASE, held },
  );
}

/** 400 `document_label_invalid` for the label of a file. */
export function documentLabelInvalid(originalName: string | undefined, index: number): ValidationError {
  const file = displayFileName(originalName, index);
  return new ValidationError(
    `labels.${index}`,
    `The label of "${file}" must be lower-case letters, digits and _ (at most 40), e.g. id_front`,
    'document_label_invalid',
    { file },
  );
}

/** SHA-256 of bytes, lower-case hex. */
export function sha256OfBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A sealed document: the blob for the store and what its database row keeps. */
export interface SealedDocument {
  /** `ACD1` | 12-byte IV | 16-byte tag | ciphertext: all the store ever holds. */
  blob: Buffer;
  /**
   * The document key sealed under the wrapping key: `v1.<iv>.<tag>.<ciphertext>` (base64url), or
   * `a1.…` under the account's data key.
   */
  wrappedKey: string;
  /** SHA-256 of the plaintext, hex. */
  sha256: string;
}

const BLOB_MAGIC = Buffer.from('ACD1', 'latin1');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const WRAP_VERSION = 'v1';

/**
 * Seals and opens documents under a wrapping key derived from DATA_ENCRYPTION_KEY (HKDF-SHA-256,
 * its own `info`, so it is never the key that seals other data).
 */
export class DocumentCipher {
  private readonly wrappingKey: Buffer;

  constructor(dataEncryptionKey: Buffer) {
    if (dataEncryptionKey.length !== 32) throw new RangeError('DocumentCipher needs a 32-byte key');
    this.wrappingKey = Buffer.from(
      hkdfSync('sha256', dataEncryptionKey, Buffer.alloc(0), 'account-center case-document key wrap v1', 32),
    );
  }

  /** With `accountBox` (AccountKeyring.boxFor), the document key is wrapped under the account's key. */
  seal(documentId: string, plaintext: Buffer, accountBox?: SecretBox): SealedDocument {
    const documentKey = randomBytes(32);
    try {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', documentKey, iv);
      cipher.setAAD(contentAad(documentId));
      const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return {
        blob: Buffer.concat([BLOB_MAGIC, iv, cipher.getAuthTag(), ct]),
        wrappedKey: accountBox
          ? accountBox.seal(documentKey.toString('base64url'), keyContext(documentId))
          : this.wrap(documentId, documentKey),
        sha256: sha256OfBytes(plaintext),
      };
    } finally {
      documentKey.fill(0);
    }
  }

  /**
   * The plaintext of a sealed document, after its authentication tags and its SHA-256 have been
   * checked. Anything that does not check out (a changed blob, key or checksum, another document's
   * blob) is an {@link IntegrityError}: the bytes are never returned. A key wrapped under the
   * account's data key needs `accountBox`, that account's SecretBox.
   */
  open(documentId: string, sealed: SealedDocument, accountBox?: SecretBox): Buffer {
    let plaintext: Buffer;
    let documentKey: Buffer | undefined;
    try {
      documentKey = this.unwrap(documentId, sealed.wrappedKey, accountBox);
      const { blob } = sealed;
      if (blob.length < BLOB_MAGIC.length + IV_BYTES + TAG_BYTES || !blob.subarray(0, 4).equals(BLOB_MAGIC)) {
        throw new Error('not a sealed document');
      }
      const iv = blob.subarray(4, 4 + IV_BYTES);
      const tag = blob.subarray(4 + IV_BYTES, 4 + IV_BYTES + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', documentKey, iv);
      decipher.setAAD(contentAad(documentId));
      decipher.setAuthTag(tag);
      plaintext = Buffer.concat([decipher.update(blob.subarray(4 + IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch {
      throw integrityFailure(documentId, 'does not decrypt');
    } finally {
      documentKey?.fill(0);
    }
    const expected = Buffer.from(sealed.sha256, 'hex');
    const actual = createHash('sha256').update(plaintext).digest();
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
      throw integrityFailure(documentId, 'does not match its checksum');
    }
    return plaintext;
  }

  private wrap(documentId: string, documentKey: Buffer): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.wrappingKey, iv);
    cipher.setAAD(keyAad(documentId));
    const ct = Buffer.concat([cipher.update(documentKey), cipher.final()]);
    return [
      WRAP_VERSION,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      ct.toString('base64url'),
    ].join('.');
  }

  private unwrap(documentId: string, wrapped: string, accountBox?: SecretBox): Buffer {
    if (!wrapped.startsWith(`${WRAP_VERSION}.`)) {
      if (!accountBox) throw new Error('a key wrapped under an account key, and no account box');
      const key = Buffer.from(accountBox.open(wrapped, keyContext(documentId)), 'base64url');
      if (key.length !== 32) throw new Error('not a document key');
      return key;
    }
    const [version, iv, tag, ct] = wrapped.split('.');
    if (version !== WRAP_VERSION || !iv || !tag || !ct) throw new Error('not a wrapped key');
    const decipher = createDecipheriv('aes-256-gcm', this.wrappingKey, Buffer.from(iv, 'base64url'));
    decipher.setAAD(keyAad(documentId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const key = Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]);
    if (key.length !== 32) throw new Error('not a document key');
    return key;
  }
}

const contentAad = (documentId: string) => Buffer.from(`case-document:${documentId}:content`, 'utf8');
const keyContext = (documentId: string) => `case-document:${documentId}:key`;
const keyAad = (documentId: string) => Buffer.from(keyContext(documentId), 'utf8');

function integrityFailure(documentId: string, what: string): IntegrityError {
  return new IntegrityError(
    'document_integrity_failed',
    `The stored document ${what}: it is not served. Quote the correlation ID when reporting it.`,
    { documentId },
  );
}

/** Injection token of the DocumentCipher under DATA_ENCRYPTION_KEY. */
export const DOCUMENT_CIPHER = Symbol('DocumentCipher');
