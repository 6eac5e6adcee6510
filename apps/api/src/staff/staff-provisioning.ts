import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { ConflictError } from '../../../../libs/domain/src/errors';
import { newId } from '../../../../libs/domain/src/ids';
import { isUniqueViolation } from '../../../../libs/persistence/src/database';
import { StaffMember, type StaffRoleName } from '../../../../libs/persistence/src/entities';
import { PasswordHasher } from '../auth/password-hasher';
import type { SecretBox } from '../../../../libs/domain/src/secret-box';
import { newTotpSecret, otpauthUri } from '../mfa/totp';

export interface CreatedStaff {
  staffId: string;
  email: string;
  role: StaffRoleName;
  /** Shown once: the initial password (given or generated). */
  password: string;
  /** Shown once: the TOTP secret and its otpauth URI for the staff member's authenticator app. */
  totpSecret: string;
  otpauthUri: string;
}

/** The secret's AAD context: a sealed staff secret does not open on another row. */
export const staffSecretContext = (staffId: string): string => `staff:${staffId}`;

/** Creates a staff member (used by the operator CLI, and by tests through the same code path). */
export async function createStaffMember(
  orm: MikroORM,
  box: SecretBox,
  input: { email: string; role: StaffRoleName; password?: string; now: Date; issuer: string },
): Promise<CreatedStaff> {
  const email = input.email.trim().toLowerCase();
  const password = input.password ?? randomBytes(18).toString('base64url');
  const totpSecret = newTotpSecret();
  const id = newId();
  const em = orm.em.fork();
  try {
    await em.insert(StaffMember, {
      id,
      email,
      role: input.role,
      passwordHash: await new PasswordHasher().hash(password),
      totpSecretEncrypted: box.seal(totpSecret, staffSecretContext(id)),
      createdAt: input.now,
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new ConflictError('staff_email_taken', `A staff member ${email} already exists`);
    throw err;
  }
  return {
    staffId: id,
    email,
    role: input.role,
    password,
    totpSecret,
    otpauthUri: otpauthUri(email, `${input.issuer} staff`, totpSecret),
  };
}
