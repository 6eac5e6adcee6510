import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { LockedError, NotFoundError, UnauthenticatedError } from '../../../../libs/domain/src/errors';
import { StaffMember } from '../../../../libs/persistence/src/entities';
import { PasswordHasher } from '../auth/password-hasher';
import { SignInProtectionService } from '../auth/sign-in-protection.service';
import { SecretBox } from '../../../../libs/domain/src/secret-box';
import { checkTotp } from '../mfa/totp';
import { staffSecretContext } from './staff-provisioning';
import { StaffSessionsService } from './staff-sessions.service';

/** Staff sign-in: password plus a mandatory TOTP code, each code accepted once. */
@Injectable()
export class StaffService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly hasher: PasswordHasher,
    private readonly box: SecretBox,
    private readonly protection: SignInProtectionService,
    private readonly sessions: StaffSessionsService,
  ) {}

  async signIn(
    input: { email: string; password: string; code: string },
    meta: { ip?: string | null; userAgent?: string | null },
  ): Promise<{ token: string; staffId: string; role: string; expiresAt: string }> {
    const staff = await this.em.findOne(
      StaffMember,
      { email: input.email, disabledAt: null },
      { populate: ['passwordHash', 'totpSecretEncrypted'] },
    );
    // The CON-2 lock applies to staff too (without the captcha step: staff have a second factor).
    const subject = staff
      ? `staff:${staff.id}`
      : SignInProtectionService.unknownSubject(`staff:${input.email}`);
    const locked = (until: Date) =>
      new LockedError('account_locked', `Too many failed sign-ins: locked until ${until.toISOString()}`, {
        lockedUntil: until.toISOString(),
      });
    // Counted before the password and code are checked, so parallel guesses cannot outrun the count.
    const attempt = await this.protection.reserveWithinBudget(subject, undefined, locked);
    const passwordOk = await this.hasher.verify(staff?.passwordHash, input.password);
    let codeOk = false;
    if (staff && passwordOk) {
      const check = checkTotp(
        this.box.open(staff.totpSecretEncrypted, staffSecretContext(staff.id)),
        input.code,
        this.clock.now(),
        staff.lastUsedStep ?? null,
      );
      if (check.ok) {
        const claimed = await this.em.nativeUpdate(
          StaffMember,
          { id: staff.id, $or: [{ lastUsedStep: null }, { lastUsedStep: { $lt: check.step } }] },
          { lastUsedStep: check.step },
        );
        codeOk = claimed === 1;
      }
    }
    if (!staff || !passwordOk || !codeOk) {
      const lockedUntil = await this.protection.fail(attempt);
      if (lockedUntil) throw locked(lockedUntil);
      // One answer for unknown staff, wrong password and wrong or reused code.
      throw new UnauthenticatedError('Wrong email, password or code', 'invalid_credentials');
    }
    await this.protection.release(attempt);
    const issued = await this.sessions.issue(staff, meta);
    return {
      token: issued.token,
      staffId: staff.id,
      role: staff.role,
      expiresAt: issued.expiresAt.toISOString(),
    };
  }

  async get(staffId: string): Promise<StaffMember> {
    const staff = await this.em.findOne(StaffMember, { id: staffId });
    if (!staff) throw new NotFoundError('Staff member');
    return staff;
  }
}
