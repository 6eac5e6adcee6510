import { maskEmail, maskPhone, maskTail } from './masking';

describe('masking', () => {
  it('keeps only the tail of an account number', () => {
    expect(maskTail('6222020200001235')).toBe('********1235');
    expect(maskTail('123')).toBe('***');
  });
  it('masks emails and phones', () => {
    expect(maskEmail('zhang.san@example.com')).toBe('z***@example.com');
    expect(maskPhone('13812345678')).toBe('138****5678');
  });
});
