/**
 * Where the encrypted bytes of appeal documents are kept. The store sees only opaque keys and
 * ciphertext (the envelope of libs/domain/src/documents.ts): never a file name, a content type
 * or a plaintext byte. Keys are `/`-separated paths of [A-Za-z0-9_-] segments, e.g.
 * `cases/<caseId>/<documentId>`, so an object store (S3-style) can serve the same port later.
 */
export interface DocumentStore {
  /** Writes the whole object, replacing any under the key; a reader never sees half of it. */
  put(key: string, bytes: Buffer): Promise<void>;
  /** The object's bytes, or null when there is none under the key. */
  get(key: string): Promise<Buffer | null>;
  /** Removes the object; removing one that is not there is not an error (idempotent). */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}

export const DOCUMENT_STORE = Symbol('DocumentStore');

const KEY = /^[A-Za-z0-9_-]{1,64}(?:\/[A-Za-z0-9_-]{1,64}){0,7}$/;

/** Refuses a key that is not a plain relative path of safe segments (no `..`, no absolute path). */
export function assertStorageKey(key: string): void {
  if (!KEY.test(key)) throw new RangeError('invalid document storage key');
}
