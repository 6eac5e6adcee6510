import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { NotFoundError, RuleViolationError, ValidationError } from '../../../../libs/domain/src/errors';
import { maskEmail } from '../../../../libs/domain/src/masking';
import { NOTIFIER, type Notifier } from '../../../../libs/integrations/src/notifier/notifier.port';
import { Account, type LoginIdentity } from '../../../../libs/persistence/src/entities';
import { VerificationCodeService, type CodeSent } from '../notifications/verification-codes.service';
import { emailSchema } from '../accounts/accounts.dto';
import { SubUsersService } from '../users/sub-users.service';
import { isSubUserLoginName, LoginIdentitiesService } from './login-identities.service';
import { ThirdPartyIdentities } from './third-party-identities';

export const LOGIN_EMAIL_CODE_PURPOSE = 'login_email';

/** Associated login methods (AS-1, AS-2, ACC-6, ACC-7, ACC-8). */
@Injectable()
export class LoginMethodsService {
  constructor(
    private readonly em: EntityManager,
    private readonly identities: LoginIdentitiesService,
    private readonly thirdParty: ThirdPartyIdentities,
    private readonly codes: VerificationCodeService,
    @Inject(NOTIFIER) private readonly notifier: Notifier,
    private readonly subUsers: SubUsersService,
  ) {}

  list(accountId: number): Promise<LoginIdentity[]> {
    return this.identities.list(accountId);
  }

  async sendEmailCode(accountId: number, candidate: string): Promise<CodeSent> {
    const account = await this.account(accountId);
    const email = await this.loginEmail(candidate);
    await this.identities.assertAssociable(account, 'email', email);
    return this.codes.send(
      {
        site: account.site,
        purpose: LOGIN_EMAIL_CODE_PURPOSE,
        channel: 'email',
        destination: email,
        accountId,
      },
      (code) => ({
        subject: 'Confirm your login email',
        text: `Your code to add this address as a login method of account ${account.id} is ${code}. It is valid for 10 minutes.`,
      }),
    );
  }

  async associateEmail(accountId: number, candidate: string, code: string): Promise<LoginIdentity> {
    const account = await this.account(accountId);
    const email = await this.loginEmail(candidate);
    await this.identities.assertAssociable(account, 'email', email);
    await this.codes.verify(
      {
        site: account.site,
        purpose: LOGIN_EMAIL_CODE_PURPOSE,
        channel: 'email',
        destination: email,
        accountId,
      },
      code,
    );
    const row = await this.identities.associate(account, 'email', email, null);
    await this.tellOwner(
      account,
      `The email ${maskEmail(email)} was added as a login method of your account.`,
    );
    return row;
  }

  async associateThirdParty(
    accountId: number,
    provider: 'qq' | 'wechat',
    assertion: string,
  ): Promise<LoginIdentity> {
    const account = await this.account(accountId);
    const identity = await this.thirdParty.verify(provider, assertion);
    // rule ACC-8: a QQ-registered account may add WeChat; AS-1 decides for every account.
    const row = await this.identities.associate(
      account,
      provider,
      identity.subject,
      identity.displayName.slice(0, 100),
    );
    await this.tellOwner(
      account,
      `A ${provider === 'qq' ? 'QQ' : 'WeChat'} identity was added as a login method of your account.`,
    );
    return row;
  }

  async unbind(accountId: number, identityId: string): Promise<void> {
    const account = await this.account(accountId);
    const row = await this.identities.unbind(accountId, identityId);
    const what = row.kind === 'email' ? `The email ${maskEmail(row.subject)}` : `A ${row.kind} identity`;
    await this.tellOwner(account, `${what} was removed from the login methods of your account.`);
  }

  /** rule AS-1: a sub-user of any account is never a login method; anything else must be an email. */
  private async loginEmail(candidate: string): Promise<string> {
    if (isSubUserLoginName(candidate) || (await this.subUsers.isSubUserLogin(candidate))) {
      throw new RuleViolationError('AS-1', 'identity_is_sub_user', 'A sub-user cannot be a login method', {
        field: 'email',
      });
    }
    const parsed = emailSchema.safeParse(candidate);
    if (!parsed.success) throw new ValidationError('email', 'email: Invalid email');
    return parsed.data;
  }

  private async account(accountId: number): Promise<Account> {
    const account = await this.em.findOne(Account, { id: accountId, status: 'active' });
    if (!account) throw new NotFoundError('Account');
    return account;
  }

  /** Login-method changes are security events: the security email and phone hear of them. */
  private async tellOwner(account: Account, text: string): Promise<void> {
    if (account.securityEmail) {
      await this.notifier.send({
        channel: 'email',
        to: account.securityEmail,
        subject: 'Login methods changed',
        text,
      });
    }
    if (account.securityPhone) {
      await this.notifier.send({
        channel: 'sms',
        to: account.securityPhone,
        subject: 'Login methods changed',
        text,
      });
    }
  }
}
