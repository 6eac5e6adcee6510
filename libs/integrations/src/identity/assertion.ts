import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  IDENTITY_PROVIDERS,
  InvalidAssertionError,
  type IdentityProviderName,
  type VerifiedIdentity,
} from './identity-provider.port';

/**
 * The sandbox provider's signed assertion: `sbx1.<base64url JSON>.<base64url HMAC-SHA256>`,
 * the payload carrying provider, subject, display name, issue and expiry times (unix seconds)
 * and a random ID. Pure functions, unit-tested beside this file.
 */
const VERSION = 'sbx1';
/** Clock skew tolerated on the issue time. */
const SKEW_SECONDS = 30;

interface Payload {
  provider: IdentityProviderName;
  sub: string;
  name: string;
  iat: number;
  exp: number;
  jti: string;
  /** wechat_oa only: the Official Account's verified subject (name, licence number). */
  ent?: { name: string; lic: string };
}

function mac(secret: string, data: string): Buffer {
  return createHmac('sha256', secret).update(data).digest();
}

export function signAssertion(
  secret: string,
  identity: VerifiedIdentity,
  issuedAt: Date,
  ttlSeconds: number,
): { assertion: string; expiresAt: Date } {
  const iat = Math.floor(issuedAt.getTime() / 1000);
  const payload: Payload = {
    provider: identity.provider,
    sub: identity.subject,
    name: identity.displayName,
    iat,
    exp: iat + ttlSeconds,
    jti: randomBytes(12).toString('base64url'),
    ...(identity.enterprise && identity.provider === 'wechat_oa'
      ? { ent: { name: identity.enterprise.name, lic: identity.enterprise.licenceNumber } }
      : {}),
  };
  const body = `${VERSION}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return {
    assertion: `${body}.${mac(secret, body).toString('base64url')}`,
    expiresAt: new Date(payload.exp * 1000),
  };
}

export function verifyAssertion(
  secret: string,
  expected: IdentityProviderName,
  assertion: string,
  now: Date,
): VerifiedIdentity {
  const parts = assertion.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION || !parts[1] || !parts[2]) {
    throw new InvalidAssertionError('malformed');
  }
  const given = Buffer.from(parts[2], 'base64url');
  const wanted = mac(secret, `${parts[0]}.${parts[1]}`);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    throw new InvalidAssertionError('bad_signature');
  }
  let p: Partial<Payload>;
  try {
    p = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Partial<Payload>;
  } catch {
    throw new InvalidAssertionError('malformed');
  }
  if (
    !p.provider ||
    !(IDENTITY_PROVIDERS as readonly string[]).includes(p.provider) ||
    typeof p.sub !== 'string' ||
    !p.sub ||
    typeof p.name !== 'string' ||
    !Number.isInteger(p.iat) ||
    !Number.isInteger(p.exp)
  ) {
    throw new InvalidAssertionError('malformed');
  }
  const nowS = now.getTime() / 1000;
  if (p.iat! > nowS + SKEW_SECONDS) throw new InvalidAssertionError('not_yet_valid');
  if (p.exp! <= nowS) throw new InvalidAssertionError('expired');
  if (p.provider !== expected) throw new InvalidAssertionError('wrong_provider');
  const ent = p.ent;
  if (
    ent !== undefined &&
    (p.provider !== 'wechat_oa' ||
      typeof ent !== 'object' ||
      ent === null ||
      typeof ent.name !== 'string' ||
      !ent.name ||
      typeof ent.lic !== 'string' ||
      !ent.lic)
  ) {
    throw new InvalidAssertionError('malformed');
  }
  return {
    ...(ent ? { enterprise: { name: ent.name, licenceNumber: ent.lic } } : {}),
    provider: p.provider,
    subject: p.sub,
    displayName: p.name,
    assertionId: typeof p.jti === 'string' && p.jti ? `${p.provider}:${p.jti}` : undefined,
    expiresAt: new Date(p.exp! * 1000),
  };
}
