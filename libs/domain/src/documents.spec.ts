import { randomBytes } from 'node:crypto';
import { AccountSecretBox, SecretBox } from './secret-box';
import {
  DocumentCipher,
  MAX_DOCUMENT_BYTES,
  MAX_DOCUMENTS_PER_CASE,
  isDocumentLabel,
  sha256OfBytes,
  sniffDocumentType,
} from './documents';
import { IntegrityError } from './errors';

const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46]);
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00]);
const pdf = Buffer.from('%PDF-1.7\n%âãÏÓ\n', 'latin1');

describe('document limits', () => {
  it('are 10 MB (binary) per document and 8 per case', () => {
    expect(MAX_DOCUMENT_BYTES).toBe(10 * 1024 * 1024);
    expect(MAX_DOCUMENTS_PER_CASE).toBe(8);
  });

  it('takes short lower-case labels only', () => {
    for (const ok of ['id_front', 'id_back', 'licence', 'bank_statement', 'other', 'a'.repeat(40)]) {
      expect(isDocumentLabel(ok)).toBe(true);
    }
    for (const bad of ['', 'ID_FRONT', '1front', 'id-front', 'id front', 'a'.repeat(41), 'x/../y']) {
      expect(isDocumentLabel(bad)).toBe(false);
    }
  });
});

describe('sniffDocumentType', () => {
  it('recognises JPEG, PNG and PDF by their first bytes', () => {
    expect(sniffDocumentType(jpeg)).toBe('image/jpeg');
    expect(sniffDocumentType(png)).toBe('image/png');
    expect(sniffDocumentType(pdf)).toBe('application/pdf');
  });

  it('refuses anything else, a truncated signature and an empty file', () => {
    expect(sniffDocumentType(Buffer.from('hello, this is text'))).toBeNull();
    expect(sniffDocumentType(Buffer.from('GIF89a'))).toBeNull();
    expect(sniffDocumentType(Buffer.from([0xff, 0xd8]))).toBeNull();
    expect(sniffDocumentType(png.subarray(0, 7))).toBeNull();
    expect(sniffDocumentType(Buffer.from(' %PDF-1.4'))).toBeNull();
    expect(sniffDocumentType(Buffer.alloc(0))).toBeNull();
  });

  it('reads a view into a larger buffer from its own start', () => {
    const big = Buffer.concat([Buffer.from('junk'), png]);
    expect(sniffDocumentType(big.subarray(4))).toBe('image/png');
    expect(sniffDocumentType(new Uint8Array(big.buffer, big.byteOffset + 4, png.length))).toBe('image/png');
  });
});

describe('DocumentCipher (envelope encryption)', () => {
  const cipher = new DocumentCipher(randomBytes(32));
  const marker = Buffer.from('DISTINCTIVE-MARKER-'.repeat(4).slice(0, 64));
  const plaintext = Buffer.concat([pdf, marker, randomBytes(1000)]);

  it('round-trips, and keeps neither the bytes nor the document key in the clear', () => {
    const sealed = cipher.seal('01DOC', plaintext);
    expect(sealed.sha256).toBe(sha256OfBytes(plaintext));
    expect(sealed.blob.includes(marker)).toBe(false);
    expect(sealed.blob.subarray(0, 4).toString('latin1')).toBe('ACD1');
    expect(sealed.wrappedKey).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(cipher.open('01DOC', sealed).equals(plaintext)).toBe(true);
  });

  it('uses a fresh key and IV per document: the same bytes seal differently', () => {
    const a = cipher.seal('01DOC', plaintext);
    const b = cipher.seal('01DOC', plaintext);
    expect(a.blob.equals(b.blob)).toBe(false);
    expect(a.wrappedKey).not.toBe(b.wrappedKey);
  });

  it('refuses a changed blob byte with an IntegrityError', () => {
    const sealed = cipher.seal('01DOC', plaintext);
    const blob = Buffer.from(sealed.blob);
    blob[blob.length - 10] ^= 0x01;
    expect(() => cipher.open('01DOC', { ...sealed, blob })).toThrow(IntegrityError);
  });

  it('refuses a truncated blob, a changed wrapped key and another key', () => {
    const sealed = cipher.seal('01DOC', plaintext);
    expect(() => cipher.open('01DOC', { ...sealed, blob: sealed.blob.subarray(0, 20) })).toThrow(
      IntegrityError,
    );
    const other = cipher.seal('01DOC', plaintext);
    expect(() => cipher.open('01DOC', { ...sealed, wrappedKey: other.wrappedKey })).toThrow(IntegrityError);
    expect(() => cipher.open('01DOC', { ...sealed, wrappedKey: 'v1.x.y.z' })).toThrow(IntegrityError);
    expect(() => new DocumentCipher(randomBytes(32)).open('01DOC', sealed)).toThrow(IntegrityError);
  });

  it('binds the document ID: a blob and key copied onto another document do not open', () => {
    const sealed = cipher.seal('01DOC', plaintext);
    expect(() => cipher.open('01OTHER', sealed)).toThrow(IntegrityError);
  });

  it('refuses a checksum that does not match the decrypted bytes', () => {
    const sealed = cipher.seal('01DOC', plaintext);
    const err = (() => {
      try {
        cipher.open('01DOC', { ...sealed, sha256: sha256OfBytes(Buffer.from('other')) });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(IntegrityError);
    expect((err as IntegrityError).code).toBe('document_integrity_failed');
    expect((err as IntegrityError).message).toContain('checksum');
  });

  it('needs a 32-byte key', () => {
    expect(() => new DocumentCipher(randomBytes(16))).toThrow(RangeError);
  });

  it("wraps under an account's data key when given its box: that box opens it, nothing else does (CAN-5)", () => {
    const global = new SecretBox(randomBytes(32));
    const accountBox = new AccountSecretBox(randomBytes(32), 42, global);
    const sealed = cipher.seal('01DOC', plaintext, accountBox);
    expect(sealed.wrappedKey.startsWith('a1.')).toBe(true);
    expect(cipher.open('01DOC', sealed, accountBox).equals(plaintext)).toBe(true);
    expect(() => cipher.open('01DOC', sealed)).toThrow(IntegrityError);
    expect(() => cipher.open('01DOC', sealed, new AccountSecretBox(randomBytes(32), 42, global))).toThrow(
      IntegrityError,
    );
    expect(() => cipher.open('01OTHER', sealed, accountBox)).toThrow(IntegrityError);
    // A key wrapped before, under DATA_ENCRYPTION_KEY, still opens with an account box at hand.
    const before = cipher.seal('01DOC', plaintext);
    expect(cipher.open('01DOC', before, accountBox).equals(plaintext)).toBe(true);
  });
});
