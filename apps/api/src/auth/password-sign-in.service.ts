import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { LockedError, UnauthenticatedError } from '../../../../libs/domain/src/errors';
import { CAPTCHA, type Captcha } from '../../../../libs/integrations/src/captcha/captcha.port';
import { Account, type Site } from '../../../../libs/persistence/src/entities';
import { LoginHistoryService, type LoginContext } from './login-history.service';
import { PasswordHasher } from './password-hasher';
import { captchaRequired } from './sign-in-protection';
import { SignInProtectionService } from './sign-in-protection.service';
import { SignInService, type SignInOutcome } from './sign-in.service';

export interface PasswordSignInInput {
  email: string;
  password: string;
  site: Site;
  captcha?: { challengeId: string; answer: string };
}

/**
 * Email + password sign-in with CON-2 protection, then SignInService (MFA-2, history, session).
 * An unknown account is counted, captcha-gated and locked like a known one, and both get the
 * same answers (no enumeration).
 */
@Injectable()
export class PasswordSignInService {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
    private readonly protection: SignInProtectionService,
    private readonly history: LoginHistoryService,
    private readonly signIns: SignInService,
    @Inject(CAPTCHA) private readonly captcha: Captcha,
  ) {}

  async signIn(
    input: PasswordSignInInput,
    meta: { ip?: string | null; userAgent?: string | null },
  ): Promise<SignInOutcome> {
    const ctx: LoginContext = { method: 'password', ...meta };
    const account = await this.em.findOne(
      Account,
      { email: input.email, site: input.site, status: 'active' },
      { populate: ['passwordHash'] },
    );
    const subject = account
      ? SignInProtectionService.accountSubject(account.id)
      : SignInProtectionService.unknownSubject(`${input.site}:${input.email}`);
    const note = async (result: Parameters<LoginHistoryService['record']>[1]) => {
      if (account) await this.history.record(account.id, result, ctx);
    };

    // rule CON-2: a locked account is refused before the password is looked at.
    const lockedUntil = await this.protection.lockedUntil(subject);
    if (lockedUntil) {
      await note('locked');
      throw this.locked(lockedUntil);
    }

    // rule CON-2: after the 3rd wrong password of the day, each attempt needs a valid captcha.
    if (captchaRequired(await this.protection.failuresToday(subject))) {
      if (!input.captcha) {
        await note('captcha_required');
        throw new UnauthenticatedError(
          'Too many wrong passwords today: answer the captcha and try again',
          'captcha_required',
          { rule: 'CON-2', captcha: await this.challenge() },
        );
      }
      if (!(await this.captcha.verify(input.captcha.challengeId, input.captcha.answer))) {
        await note('captcha_failed');
        throw new UnauthenticatedError('The captcha answer is wrong or expired', 'captcha_invalid', {
          rule: 'CON-2',
          captcha: await this.challenge(),
        });
      }
    }

    const ok = await this.hasher.verify(account?.passwordHash ?? undefined, input.password);
    if (!account || !ok) {
      const after = await this.protection.recordFailure(subject);
      await note('wrong_password');
      if (after.lockedUntil) throw this.locked(after.lockedUntil);
      throw new UnauthenticatedError('Wrong account or password', 'invalid_credentials', {
        captchaRequired: captchaRequired(after.failures),
      });
    }
    return this.signIns.complete(account, ctx);
  }

  private locked(until: Date): LockedError {
    return new LockedError(
      'account_locked',
      `Too many wrong passwords: sign-in is locked until ${until.toISOString()}`,
      { rule: 'CON-2', lockedUntil: until.toISOString() },
    );
  }

  private async challenge(): Promise<{ challengeId: string; expiresAt: string; prompt: string }> {
    const c = await this.captcha.issue();
    return { challengeId: c.challengeId, expiresAt: c.expiresAt.toISOString(), prompt: c.prompt };
  }
}
