import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
/** The prefix of values sealed under an account's data key (AccountSecretBox), not the global one. */
export const ACCOUNT_SEAL_VERSION = 'a1';

/**
 * Encrypts secrets at rest with AES-256-GCM (MFA secrets under MFA_ENCRYPTION_KEY, bank account
 * numbers under DATA_ENCRYPTION_KEY). Output:
 * `v1.<iv>.<tag>.<ciphertext>` (`a1.…` under an account's data key), base64url parts; a fresh 96-bit IV per value. `context` (e.g. the
 * device ID) is bound as additional authenticated data, so a sealed value copied onto another
 * row does not open.
 */
export class SecretBox {
  /**
   * `version` is the prefix of what it seals and the only one it opens: `v1` under a global key,
   * `a1` ({@link ACCOUNT_SEAL_VERSION}) under an account's data key.
   */
  constructor(
    private readonly key: Buffer,
    private readonly version: string = VERSION,
  ) {
    if (key.length !== 32) throw new RangeError('SecretBox needs a 32-byte key');
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [this.version, iv, tag, ct]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
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
    if (version !== this.version || !iv || !tag || ct === undefined) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/**
 * The SecretBox of one account (issue 10 CAN-5, crypto-shredding): seals under the account's own
 * data key (`a1.` values), so that destroying that key leaves every value it sealed unreadable,
 * copies and backups included. It still opens `v1.` values, sealed under the global data key
 * before accounts had keys. Digests stay under the global key: they are lookups across accounts
 * ("this bank account number again", RN-8), not stored secrets. Made by AccountKeyring
 * (libs/persistence/src/account-keys.ts).
 */
export class AccountSecretBox extends SecretBox {
  constructor(
    accountKey: Buffer,
    readonly accountId: number,
    private readonly global: SecretBox,
  ) {
    super(accountKey, ACCOUNT_SEAL_VERSION);
  }

  override open(sealed: string, context: string): string {
    return sealed.startsWith(`${VERSION}.`) ? this.global.open(sealed, context) : super.open(sealed, context);
  }

  override digest(value: string, context: string): string {
    return this.global.digest(value, context);
  }
}

/**
 * True for a value `SecretBox.seal` produced, under the global key (`v1.`) or an account's
 * (`a1.`); a bank account number or a code never starts so.
 */
export function isSealed(value: string): boolean {
  return value.startsWith(`${VERSION}.`) || value.startsWith(`${ACCOUNT_SEAL_VERSION}.`);
}

/** True for a value sealed under an account's data key (it opens only with that account's box). */
export function isAccountSealed(value: string): boolean {
  return value.startsWith(`${ACCOUNT_SEAL_VERSION}.`);
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
