import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { NotFoundError, RuleViolationError, ValidationError } from '../../../../libs/domain/src/errors';
import { maskEmail } from '../../../../libs/domain/src/masking';
import { Account, type LoginIdentity } from '../../../../libs/persistence/src/entities';
import { NotificationOutbox } from '../notifications/notification-outbox.service';
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
    private readonly outbox: NotificationOutbox,
    private readonly subUsers: SubUsersService,
  ) {}

  list(accountId: number): Promise<LoginIdentity[]> {
    return this.identities.list(accountId);
  }

  /**
   * No enumeration (ASVS 6.3.8): the code goes out whatever other accounts hold the address, and
   * the answer is always 202. Only what the caller may know is checked first: the address's form
   * (a sub-user login name is refused by its shape alone) and the caller's own login methods.
   */
  async sendEmailCode(accountId: number, candidate: string): Promise<CodeSent> {
    const account = await this.account(accountId);
    const email = this.loginEmail(candidate);
    await this.identities.assertNotOwn(account, 'email', email);
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
    const email = this.loginEmail(candidate);
    await this.identities.assertNotOwn(account, 'email', email);
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
    // rule AS-1, once the mailbox is proven, with one answer for every reason (another account's
    // registration email, another account's login method, a sub-user's login name).
    try {
      if (await this.subUsers.isSubUserLogin(email)) {
        throw new RuleViolationError('AS-1', 'identity_is_sub_user', 'A sub-user cannot be a login method');
      }
      return await this.withNotice(
        account,
        `The email ${maskEmail(email)} was added as a login method of your account.`,
        () => this.identities.associate(account, 'email', email, null),
      );
    } catch (err) {
      if (err instanceof RuleViolationError && err.rule === 'AS-1') {
        throw new RuleViolationError(
          'AS-1',
          'login_method_unavailable',
          'This email cannot be added as a login method',
          { field: 'email' },
        );
      }
      throw err;
    }
  }

  async associateThirdParty(
    accountId: number,
    provider: 'qq' | 'wechat',
    assertion: string,
  ): Promise<LoginIdentity> {
    const account = await this.account(accountId);
    const identity = await this.thirdParty.verify(provider, assertion);
    // rule ACC-8: a QQ-registered account may add WeChat; AS-1 decides for every account.
    return this.withNotice(
      account,
      `A ${provider === 'qq' ? 'QQ' : 'WeChat'} identity was added as a login method of your account.`,
      () =>
        this.identities.associate(account, provider, identity.subject, identity.displayName.slice(0, 100)),
    );
  }

  async unbind(accountId: number, identityId: string): Promise<void> {
    const account = await this.account(accountId);
    await this.em.transactional(async (em) => {
      const row = await this.identities.unbind(accountId, identityId);
      const what = row.kind === 'email' ? `The email ${maskEmail(row.subject)}` : `A ${row.kind} identity`;
      this.tellOwner(em, account, `${what} was removed from the login methods of your account.`);
    });
    this.outbox.kick();
  }

  /** rule AS-1: a sub-user login name (`name@accountId`) is never a login method; anything else must be an email. */
  private loginEmail(candidate: string): string {
    if (isSubUserLoginName(candidate)) {
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

  /** Runs a login-method change and writes its notice in the same transaction, then sends it. */
  private async withNotice<T>(account: Account, text: string, change: () => Promise<T>): Promise<T> {
    const result = await this.em.transactional(async (em) => {
      const r = await change();
      this.tellOwner(em, account, text);
      return r;
    });
    this.outbox.kick();
    return result;
  }

  /**
   * Login-method changes are security events: the security email and phone hear of them, through
   * the outbox of the change's transaction (never lost, never failing the change).
   */
  private tellOwner(em: EntityManager, account: Account, text: string): void {
    this.outbox.tellAccount(em, account, 'Login methods changed', text);
  }
}
