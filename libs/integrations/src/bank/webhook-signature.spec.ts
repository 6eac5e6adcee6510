import { signBankWebhook, verifyBankWebhook } from './webhook-signature';

describe('bank webhook signatures', () => {
  const secret = 'a-webhook-secret-of-some-length';
  const body = '{"type":"payout.landed"}';
  const at = new Date('2026-03-02T02:00:00Z');

  it('accepts its own signature within the tolerance', () => {
    const sig = signBankWebhook(secret, body, at);
    expect(verifyBankWebhook(secret, body, sig, new Date(at.getTime() + 60_000))).toEqual({ ok: true });
  });

  it('refuses a changed body, a wrong secret, a stale or missing signature, and garbage', () => {
    const sig = signBankWebhook(secret, body, at);
    expect(verifyBankWebhook(secret, `${body} `, sig, at)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyBankWebhook('another-secret-entirely', body, sig, at)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifyBankWebhook(secret, body, sig, new Date(at.getTime() + 301_000))).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(verifyBankWebhook(secret, body, undefined, at)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyBankWebhook(secret, body, 't=abc,v1=zz', at)).toEqual({ ok: false, reason: 'malformed' });
  });
});
