import { checkTotp, newTotpSecret, otpauthUri, totpCode, totpStep } from './totp';

describe('TOTP (MFA-1, MFA-4)', () => {
  const secret = newTotpSecret();
  const at = new Date('2026-03-02T04:05:10.000Z');

  it('MFA-4: accepts the current code and names its step', () => {
    expect(checkTotp(secret, totpCode(secret, at), at, null)).toEqual({ ok: true, step: totpStep(at) });
  });

  it('accepts one step of drift either side, not two', () => {
    const prev = new Date(at.getTime() - 30_000);
    const next = new Date(at.getTime() + 30_000);
    const tooOld = new Date(at.getTime() - 60_000);
    expect(checkTotp(secret, totpCode(secret, prev), at, null)).toEqual({ ok: true, step: totpStep(prev) });
    expect(checkTotp(secret, totpCode(secret, next), at, null)).toEqual({ ok: true, step: totpStep(next) });
    expect(checkTotp(secret, totpCode(secret, tooOld), at, null)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('RFC 6238 §5.2: refuses a step already used, and any older step', () => {
    const code = totpCode(secret, at);
    const first = checkTotp(secret, code, at, null);
    expect(first.ok).toBe(true);
    const used = first.ok ? first.step : 0;
    expect(checkTotp(secret, code, at, used)).toEqual({ ok: false, reason: 'replayed' });
    const prev = new Date(at.getTime() - 30_000);
    expect(checkTotp(secret, totpCode(secret, prev), at, used)).toEqual({ ok: false, reason: 'replayed' });
    const next = new Date(at.getTime() + 30_000);
    expect(checkTotp(secret, totpCode(secret, next), next, used)).toEqual({ ok: true, step: used + 1 });
  });

  it('refuses malformed and wrong codes', () => {
    expect(checkTotp(secret, '12345', at, null)).toEqual({ ok: false, reason: 'invalid' });
    expect(checkTotp(secret, 'abcdef', at, null)).toEqual({ ok: false, reason: 'invalid' });
    const code = totpCode(secret, at);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect(checkTotp(secret, wrong, at, null).ok).toBe(false);
  });

  it('builds an otpauth URI with issuer and secret', () => {
    const uri = otpauthUri('a@example.com', 'Account Center', secret);
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect(uri).toContain(`secret=${secret}`);
    expect(uri).toContain('issuer=Account%20Center');
  });
});
