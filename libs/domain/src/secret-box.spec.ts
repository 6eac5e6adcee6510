import { randomBytes } from 'node:crypto';
import { AccountSecretBox, SecretBox, isAccountSealed, isSealed } from './secret-box';

describe('SecretBox (MFA secrets at rest)', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips, and never stores the plaintext', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'device-1');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(box.open(sealed, 'device-1')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('uses a fresh IV per value', () => {
    expect(box.seal('same', 'c')).not.toBe(box.seal('same', 'c'));
  });

  it('refuses a value moved to another context, tampered with, or under another key', () => {
    const sealed = box.seal('secret', 'device-1');
    expect(() => box.open(sealed, 'device-2')).toThrow();
    const parts = sealed.split('.');
    const ct = Buffer.from(parts[3] ?? '', 'base64url');
    ct.writeUInt8(ct.readUInt8(0) ^ 1, 0);
    expect(() =>
      box.open([parts[0], parts[1], parts[2], ct.toString('base64url')].join('.'), 'device-1'),
    ).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'device-1')).toThrow();
  });

  it('digests a value the same way every time, per context and key, without showing it', () => {
    const d = box.digest('6222020200001234', 'bank-account');
    expect(d).toBe(box.digest('6222020200001234', 'bank-account'));
    expect(d).not.toContain('6222020200001234');
    expect(box.digest('6222020200001235', 'bank-account')).not.toBe(d);
    expect(box.digest('6222020200001234', 'other')).not.toBe(d);
    expect(new SecretBox(randomBytes(32)).digest('6222020200001234', 'bank-account')).not.toBe(d);
  });

  it('needs a 32-byte key', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow(RangeError);
  });
});

describe('AccountSecretBox (a data key per account, CAN-5)', () => {
  const global = new SecretBox(randomBytes(32));
  const account = new AccountSecretBox(randomBytes(32), 7, global);

  it('seals a1. values that only its key opens; opens v1. values of the global key; digests stay global', () => {
    const sealed = account.seal('6222020200001235', 'c');
    expect(isAccountSealed(sealed) && isSealed(sealed)).toBe(true);
    expect(account.open(sealed, 'c')).toBe('6222020200001235');
    expect(() => global.open(sealed, 'c')).toThrow();
    expect(() => new AccountSecretBox(randomBytes(32), 7, global).open(sealed, 'c')).toThrow();
    expect(account.open(global.seal('before', 'c'), 'c')).toBe('before');
    expect(isAccountSealed(global.seal('x', 'c'))).toBe(false);
    expect(account.digest('x', 'c')).toBe(global.digest('x', 'c'));
  });
});
