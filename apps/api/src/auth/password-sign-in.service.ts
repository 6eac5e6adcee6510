import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { Account, type Site } from '../../../../libs/persistence/src/entities';
import { LoginIdentitiesService } from '../login-methods/login-identities.service';
import { LoginHistoryService, type LoginContext } from './login-history.service';
import { PasswordHasher } from './password-hasher';
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
 * The email is the account's registration email or an associated email login method (CON-3,
 * AS-2); never the security email. An unknown account is counted, captcha-gated and locked like
 * a known one, and both get the same answers (no enumeration).
 */
@Injectable()
export class PasswordSignInService {
  private readonly logger = new Logger(PasswordSignInService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly identities: LoginIdentitiesService,
    private readonly hasher: PasswordHasher,
    private readonly protection: SignInProtectionService,
    private readonly history: LoginHistoryService,
    private readonly signIns: SignInService,
  ) {}

  async signIn(
    input: PasswordSignInInput,
    meta: { ip?: string | null; userAgent?: string | null },
  ): Promise<SignInOutcome> {
    const ctx: LoginContext = { method: 'password', ...meta };
    const account = await this.accountFor(input.site, input.email);
    const subject = account
      ? SignInProtectionService.accountSubject(account.id)
      : SignInProtectionService.unknownSubject(`${input.site}:${input.email}`);
    const note = async (result: Parameters<LoginHistoryService['record']>[1]) => {
      if (account) await this.history.record(account.id, result, ctx);
    };

    // rule CON-2: the attempt is counted, and lock and captcha checked, before the password is.
    const attempt = await this.protection.admit(subject, input.captcha, note);

    const ok = await this.hasher.verify(account?.passwordHash ?? undefined, input.password);
    if (!account || !ok) return this.protection.refuse(attempt, note, 'Wrong account or password');
    await this.protection.release(attempt);
    return this.signIns.complete(account, ctx);
  }

  /**
   * The one active account of `site` that `email` signs in to, or null (then answered exactly like
   * an unknown account). Rule CON-3: the registration email (`accounts.email`) and the email login
   * identities (registration and associated, AS-2) are login methods; the security email is not.
   * Rule ACC-11: looked up on the caller's site only. Rule CAN-2: cancelled accounts never match.
   */
  private async accountFor(site: Site, email: string): Promise<Account | null> {
    const ids = new Set<number>();
    const own = await this.em.findOne(Account, { email, site, status: 'active' });
    if (own) ids.add(own.id);
    for (const a of await this.identities.accountsFor(site, 'email', email)) ids.add(a.id);
    if (ids.size > 1) {
      // One email address is one account's login (unique `email:<address>` key per site); several
      // means inconsistent data. Refuse rather than guess which account the person meant.
      this.logger.warn(`An email login matches ${ids.size} accounts on site ${site}: ${[...ids].join(', ')}`);
      return null;
    }
    const [id] = [...ids];
    if (id === undefined) return null;
    return this.em.findOne(Account, { id, site, status: 'active' }, { populate: ['passwordHash'] });
  }
}
