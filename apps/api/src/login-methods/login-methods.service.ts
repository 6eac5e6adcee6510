import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { NotFoundError } from '../../../../libs/domain/src/errors';
import { maskEmail } from '../../../../libs/domain/src/masking';
import { NOTIFIER, type Notifier } from '../../../../libs/integrations/src/notifier/notifier.port';
import { Account, type LoginIdentity } from '../../../../libs/persistence/src/entities';
import { VerificationCodeService, type CodeSent } from '../notifications/verification-codes.service';
import { LoginIdentitiesService } from './login-identities.service';
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
  ) {}

  list(accountId: number): Promise<LoginIdentity[]> {
    return this.identities.list(accountId);
  }

  async sendEmailCode(accountId: number, email: string): Promise<CodeSent> {
    const account = await this.account(accountId);
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

  async associateEmail(accountId: number, email: string, code: string): Promise<LoginIdentity> {
    const account = await this.account(accountId);
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
