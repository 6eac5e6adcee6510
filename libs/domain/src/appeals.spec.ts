import { compareIdentity, REQUIRED_DOCUMENTS } from './appeals';

describe('appeals (issue 9 §3)', () => {
  const person = { kind: 'personal' as const, name: 'Zhang San', certificateNumber: '11010119900307777X' };
  const company = {
    kind: 'enterprise' as const,
    name: 'Acme Cloud Ltd',
    certificateNumber: '91110000MA01ABCD2X',
  };

  it('MFA-5: a person is compared with the real-name record: match or mismatch, never the numbers', () => {
    expect(
      compareIdentity(person, { person: { realName: 'zhang  san', idNumber: '11010119900307777x' } }),
    ).toEqual({
      realName: 'match',
      idNumber: 'match',
    });
    expect(
      compareIdentity(person, { person: { realName: 'Li Si', idNumber: '110101199003070000' } }),
    ).toEqual({
      realName: 'mismatch',
      idNumber: 'mismatch',
    });
    expect(compareIdentity(null, { person: { realName: 'Li Si', idNumber: '110101199003070000' } })).toEqual({
      realName: 'no_record',
      idNumber: 'no_record',
    });
  });

  it('MFA-5: an enterprise is compared by company name and certificate number', () => {
    const given = {
      enterprise: {
        companyName: 'Acme Cloud Ltd',
        certificateNumber: '91110000MA01ABCD2X',
        applicantName: 'Wang Wu',
        applicantIdNumber: '110101199003071111',
      },
    };
    expect(compareIdentity(company, given)).toMatchObject({
      companyName: 'match',
      certificateNumber: 'match',
    });
    expect(compareIdentity(person, given)).toMatchObject({
      companyName: 'no_record',
      certificateNumber: 'no_record',
    });
  });

  it('CON-1: a person holds the ID card front and back; an enterprise sends licence and the legal representative’s card', () => {
    expect(REQUIRED_DOCUMENTS['security-phone-appeal'].person).toEqual([
      'id_front_in_hand',
      'id_back_in_hand',
    ]);
    expect(REQUIRED_DOCUMENTS['security-phone-appeal'].enterprise).toEqual([
      'licence',
      'legal_rep_id_front',
      'legal_rep_id_back',
    ]);
    expect(REQUIRED_DOCUMENTS['payout-appeal'].person).toEqual(['bank_statement']);
  });
});
