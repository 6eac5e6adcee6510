import { CODE_LENGTH, hashVerificationCode, maskName, newVerificationCode, normalizePhone } from './contact';

describe('contact helpers', () => {
  it('normalises phone numbers to +<country><number>', () => {
    expect(normalizePhone('138 0013 8000')).toBe('+8613800138000');
    expect(normalizePhone('+86 138-0013-8000')).toBe('+8613800138000');
    expect(normalizePhone('0085291234567')).toBe('+85291234567');
    expect(normalizePhone('+14155550100')).toBe('+14155550100');
    expect(normalizePhone('+86123')).toBeNull();
    expect(normalizePhone('12345')).toBeNull();
    expect(normalizePhone('not a phone')).toBeNull();
  });

  it('draws 6-digit codes and hashes them per row with a keyed HMAC', () => {
    for (let i = 0; i < 50; i += 1)
      expect(newVerificationCode()).toMatch(new RegExp(`^\\d{${CODE_LENGTH}}$`));
    const a = hashVerificationCode('secret-0123456789', 'row1', '123456');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(hashVerificationCode('secret-0123456789', 'row2', '123456')).not.toBe(a);
    expect(hashVerificationCode('secret-abcdefghij', 'row1', '123456')).not.toBe(a);
  });

  it('masks display names', () => {
    expect(maskName('李雷')).toBe('李***');
    expect(maskName('')).toBe('***');
  });
});
