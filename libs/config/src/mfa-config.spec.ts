import { ConfigError, decodeKey32, parseConfig } from './config';

describe('MFA_ENCRYPTION_KEY', () => {
  it('has a working local default', () => {
    expect(decodeKey32(parseConfig({}).mfa.encryptionKey)).toHaveLength(32);
  });

  it('accepts 32 bytes as hex or base64', () => {
    const hex = 'ab'.repeat(32);
    const b64 = Buffer.alloc(32, 7).toString('base64');
    expect(decodeKey32(parseConfig({ MFA_ENCRYPTION_KEY: hex }).mfa.encryptionKey)).toEqual(
      Buffer.from(hex, 'hex'),
    );
    expect(decodeKey32(parseConfig({ MFA_ENCRYPTION_KEY: b64 }).mfa.encryptionKey)).toEqual(
      Buffer.alloc(32, 7),
    );
  });

  it.each([
    ['too short', 'ab'.repeat(16)],
    ['not hex or base64', 'z'.repeat(64)],
    ['base64 of 31 bytes', Buffer.alloc(31).toString('base64')],
  ])('refuses a key that is %s, naming the variable', (_why, key) => {
    expect(() => parseConfig({ MFA_ENCRYPTION_KEY: key })).toThrow(ConfigError);
    expect(() => parseConfig({ MFA_ENCRYPTION_KEY: key })).toThrow(/MFA_ENCRYPTION_KEY/);
  });
});
