import {
  ENTERPRISE_METHODS,
  accountOfCollectionAccount,
  collectionAccountNumber,
  isPublicInstitution,
  isRechargeChannel,
  sameHolderName,
} from './recharge-verification';

describe('recharge verification rules', () => {
  it('RN-10: a public institution is told by its unified social credit code (12…), nothing else is', () => {
    expect(isPublicInstitution('12110000400000000X')).toBe(true);
    expect(isPublicInstitution('91110000MA01ABCD2X')).toBe(false); // an enterprise
    expect(isPublicInstitution('11110000000000000A')).toBe(false); // a government body
    expect(isPublicInstitution('120000000000000')).toBe(false); // an old 15-digit registration number
  });

  it('RN-10: the recharge route is the one method closed to public institutions', () => {
    expect(ENTERPRISE_METHODS.filter((m) => !m.publicInstitutions).map((m) => m.method)).toEqual([
      'recharge',
    ]);
  });

  it('RN-9: the collection account names its account and nothing else', () => {
    const id = 1234567890123456;
    expect(collectionAccountNumber(id)).toBe('621234567890123456');
    expect(accountOfCollectionAccount(collectionAccountNumber(id))).toBe(id);
    expect(accountOfCollectionAccount('6222020200001235')).toBeNull();
    expect(accountOfCollectionAccount('620000000000000000')).toBeNull();
  });

  it("RN-9: the listed channels only; a payer's name compared as a bank does", () => {
    expect(isRechargeChannel('beijing_same_city_counter_cash')).toBe(true);
    expect(isRechargeChannel('third_party_payment')).toBe(false);
    expect(sameHolderName('Acme  Cloud Ltd ', 'acme cloud ltd')).toBe(true);
    expect(sameHolderName('Ａｃｍｅ Cloud Ltd', 'Acme Cloud Ltd')).toBe(true); // full-width letters
    expect(sameHolderName('Acme Cloud Ltd', 'Acme Clouds Ltd')).toBe(false);
  });
});
