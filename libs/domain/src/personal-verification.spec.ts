import {
  mainlandIdChecksumValid,
  maskIdentityNumber,
  nextShanghaiMidnight,
  siteAcceptsDocument,
} from './personal-verification';

describe('personal verification rules', () => {
  it('RN-4: the China site takes mainland ID cards only; the international site takes every document', () => {
    expect(siteAcceptsDocument('cn', 'mainland_id_card')).toBe(true);
    for (const d of ['hong_kong_macau_permit', 'taiwan_permit', 'foreign_passport'] as const) {
      expect(siteAcceptsDocument('cn', d)).toBe(false);
      expect(siteAcceptsDocument('intl', d)).toBe(true);
    }
    expect(siteAcceptsDocument('intl', 'mainland_id_card')).toBe(true);
  });

  it('RN-6: the attempts of a day start again at the next Asia/Shanghai midnight (16:00 UTC)', () => {
    expect(nextShanghaiMidnight(new Date('2026-03-02T15:59:59.000Z')).toISOString()).toBe(
      '2026-03-02T16:00:00.000Z',
    );
    expect(nextShanghaiMidnight(new Date('2026-03-02T16:00:00.000Z')).toISOString()).toBe(
      '2026-03-03T16:00:00.000Z',
    );
    expect(nextShanghaiMidnight(new Date('2026-03-03T02:00:00.000Z')).toISOString()).toBe(
      '2026-03-03T16:00:00.000Z',
    );
  });

  it('GB 11643: the check character of a mainland ID number', () => {
    expect(mainlandIdChecksumValid('11010519491231002X')).toBe(true);
    expect(mainlandIdChecksumValid('110105194912310020')).toBe(false);
    expect(mainlandIdChecksumValid('11010519491231002')).toBe(false);
  });

  it('masks an identity number to its first and last characters', () => {
    expect(maskIdentityNumber('11010519491231002X')).toBe('1****************X');
    expect(maskIdentityNumber('H123')).toBe('****');
  });
});
