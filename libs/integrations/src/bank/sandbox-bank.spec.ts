import { accountExists } from './sandbox-bank';

describe('sandbox bank accounts', () => {
  it('RN-8: knows accounts whose number passes the Luhn check, and no others', () => {
    expect(accountExists('6222020200001235')).toBe(true);
    expect(accountExists('6222020200001239')).toBe(false);
    expect(accountExists('79927398713')).toBe(true);
    expect(accountExists('1234')).toBe(false); // too short
    expect(accountExists('62220202000012a5')).toBe(false);
  });
});
