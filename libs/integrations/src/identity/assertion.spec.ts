import { signAssertion, verifyAssertion } from './assertion';
import { InvalidAssertionError } from './identity-provider.port';

const SECRET = 'unit-test-identity-secret';
const AT = new Date('2026-01-05T02:00:00.000Z');
const who = { provider: 'qq' as const, subject: 'openid-1', displayName: 'Li Lei' };

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof InvalidAssertionError) return err.reason;
    throw err;
  }
  return 'accepted';
}

describe('sandbox identity assertions', () => {
  it('round-trips a signed assertion within its lifetime', () => {
    const { assertion, expiresAt } = signAssertion(SECRET, who, AT, 300);
    expect(expiresAt.toISOString()).toBe('2026-01-05T02:05:00.000Z');
    const verified = verifyAssertion(SECRET, 'qq', assertion, new Date(AT.getTime() + 299_000));
    expect(verified).toMatchObject({ ...who, expiresAt });
    expect(verified.assertionId).toMatch(/^qq:/);
  });

  it('refuses an expired, tampered, foreign-key, wrong-provider or malformed assertion', () => {
    const { assertion } = signAssertion(SECRET, who, AT, 300);
    expect(reason(() => verifyAssertion(SECRET, 'qq', assertion, new Date(AT.getTime() + 300_000)))).toBe(
      'expired',
    );
    const [v, payload, sig] = assertion.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'someone-else' }),
    ).toString('base64url');
    expect(reason(() => verifyAssertion(SECRET, 'qq', `${v}.${forged}.${sig}`, AT))).toBe('bad_signature');
    expect(reason(() => verifyAssertion('another-secret-0123', 'qq', assertion, AT))).toBe('bad_signature');
    expect(reason(() => verifyAssertion(SECRET, 'wechat', assertion, AT))).toBe('wrong_provider');
    expect(reason(() => verifyAssertion(SECRET, 'qq', 'not-an-assertion', AT))).toBe('malformed');
    expect(reason(() => verifyAssertion(SECRET, 'qq', assertion, new Date(AT.getTime() - 120_000)))).toBe(
      'not_yet_valid',
    );
  });

  it("RN-7: an Official Account's assertion carries its verified enterprise; no other provider's does", () => {
    const enterprise = { name: 'Acme Cloud Ltd', licenceNumber: '91110000MA01ABCD2X' };
    const oa = { provider: 'wechat_oa' as const, subject: 'oa-1', displayName: 'Acme', enterprise };
    const { assertion } = signAssertion(SECRET, oa, AT, 300);
    expect(verifyAssertion(SECRET, 'wechat_oa', assertion, AT).enterprise).toEqual(enterprise);
    const qq = signAssertion(SECRET, { ...who, enterprise }, AT, 300).assertion;
    expect(verifyAssertion(SECRET, 'qq', qq, AT).enterprise).toBeUndefined();
  });
});
