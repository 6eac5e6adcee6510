import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/**
 * Encrypts secrets at rest with AES-256-GCM (MFA secrets under MFA_ENCRYPTION_KEY, bank account
 * numbers under DATA_ENCRYPTION_KEY). Output:
 * `v1.<iv>.<tag>.<ciphertext>`, base64url parts; a fresh 96-bit IV per value. `context` (e.g. the
 * device ID) is bound as additional authenticated data, so a sealed value copied onto another
 * row does not open.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new RangeError('SecretBox needs a 32-byte key');
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, iv, tag, ct].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  /**
   * A keyed digest (HMAC-SHA-256 under a key derived from this one, base64url) of a value that is
   * stored sealed but must still be looked up by equality, e.g. "this bank account number again".
   * Equal values in one `context` give equal digests; without the key it cannot be reversed by
   * trying every account number.
   */
  digest(value: string, context: string): string {
    this.digestKey ??= Buffer.from(hkdfSync('sha256', this.key, Buffer.alloc(0), 'secret-box digest v1', 32));
    return createHmac('sha256', this.digestKey)
      .update(context)
      .update('\0')
      .update(value)
      .digest('base64url');
  }

  private digestKey?: Buffer;

  open(sealed: string, context: string): string {
    const [version, iv, tag, ct] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || ct === undefined) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/** True for a value `SecretBox.seal` produced (a bank account number or a code never starts so). */
export function isSealed(value: string): boolean {
  return value.startsWith(`${VERSION}.`);
}

/** The sealed form of a deposit verification's bank account number, bound to that verification. */
export function sealBankAccountNumber(box: SecretBox, verificationId: string, accountNumber: string): string {
  return box.seal(accountNumber, bankAccountContext(verificationId));
}

/**
 * The bank account number of a verification. Rows written before numbers were encrypted hold the
 * plain number and are read as they are.
 */
export function openBankAccountNumber(box: SecretBox, verificationId: string, stored: string): string {
  return isSealed(stored) ? box.open(stored, bankAccountContext(verificationId)) : stored;
}

/**
 * The keyed digest of a bank account number: how "the same bank account" is recognised across
 * verifications (RN-8 run limit) while the number itself stays sealed.
 */
export function bankAccountDigest(box: SecretBox, accountNumber: string): string {
  return box.digest(accountNumber, 'deposit-verification:bank-account-number');
}

const bankAccountContext = (verificationId: string) =>
  `deposit-verification:${verificationId}:bank-account-number`;

/** Injection token of the SecretBox under DATA_ENCRYPTION_KEY (MFA secrets use their own key). */
export const DATA_SECRET_BOX = Symbol('DataSecretBox');
