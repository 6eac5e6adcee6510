import { decodeKey32 } from '../../libs/config/src/config';
import type { ManualClock } from '../../libs/domain/src/clock';
import { SecretBox } from '../../libs/domain/src/secret-box';
import { createStaffMember, type CreatedStaff } from '../../apps/api/src/staff/staff-provisioning';
import { requestCode } from './factories';
import type { Platform } from './platform';
import { codeFor, str, type Json } from './security';

export interface SignedInStaff {
  member: CreatedStaff;
  token: string;
}

/** Signs a staff member in with password and a TOTP code of a new step (the clock moves 30 s). */
export async function signInStaff(p: Platform, clock: ManualClock, member: CreatedStaff): Promise<string> {
  clock.advance(30_000);
  const s = await p.http.post<Json>('/staff/sessions', {
    email: member.email,
    password: member.password,
    code: codeFor(member.totpSecret, clock),
  });
  return str(s, 'token');
}

/** A staff member made as the operator CLI makes one, signed in. */
export async function createSignedInStaff(
  p: Platform,
  clock: ManualClock,
  role: CreatedStaff['role'],
  email: string,
): Promise<SignedInStaff> {
  const member = await createStaffMember(p.orm, new SecretBox(decodeKey32(p.config.mfa.encryptionKey)!), {
    email,
    role,
    now: clock.now(),
    issuer: 'test',
  });
  return { member, token: await signInStaff(p, clock, member) };
}

/**
 * Binds a security phone the way an owner does: a code to the new phone, then PUT (the clock moves
 * past the 60 s resend cooldown first). `phone` as typed: a bare mainland number.
 */
export async function bindSecurityPhone(
  p: Platform,
  clock: ManualClock,
  token: string,
  phone: string,
): Promise<void> {
  clock.advance(61_000);
  const code = await requestCode(
    p.http,
    '/accounts/me/security/phone/codes',
    { phone },
    `+86${phone}`,
    token,
  );
  const res = await p.http.put('/accounts/me/security/phone', { phone, code }, token);
  if (res.status !== 200) throw new Error(`bind failed: ${res.status} ${JSON.stringify(res.body)}`);
}
