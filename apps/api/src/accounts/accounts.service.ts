import {
  adviceForLoginMethods,
  loginMethodAdvice,
  type Advice,
} from '../../../../libs/persistence/src/login-advice';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { ConflictError, NotFoundError } from '../../../../libs/domain/src/errors';
import { newAccountId, newId } from '../../../../libs/domain/src/ids';
import type { VerifiedIdentity } from '../../../../libs/integrations/src/identity/identity-provider.port';
import { isUniqueViolation } from '../../../../libs/persistence/src/database';
import {
  Account,
  LoginIdentity,
  RealNameRecord,
  RegisteredEmail,
  type AccountType,
  type LoginIdentityKind,
  type SignUpMethod,
  type Site,
} from '../../../../libs/persistence/src/entities';
import { PasswordHasher } from '../auth/password-hasher';
import { uniqueKeyFor } from '../login-methods/login-identities.service';
import { VerificationCodeService, type CodeSent } from '../notifications/verification-codes.service';

/** Stored as the password hash of accounts registered through QQ/WeChat/Official Account: never verifies. */
const NO_PASSWORD = '!no-password';

export const SIGN_UP_CODE_PURPOSE = 'sign_up';

@Injectable()
export class AccountsService {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly codes: VerificationCodeService,
  ) {}

  /**
   * rule ACC-2: an email sign-up starts with a code to the address. An address that already
   * registered an account on the site gets a notice instead of a code, so this answer says
   * nothing about whether the address is taken.
   */
  async requestSignUpCode(site: Site, email: string): Promise<CodeSent> {
    const target = {
      site,
      purpose: SIGN_UP_CODE_PURPOSE,
      channel: 'email' as const,
      destination: email,
      accountId: null,
    };
    if (await this.emailTaken(site, email)) {
      return this.codes.sendNotice(target, {
        subject: 'Sign-up attempt with your address',
        text: 'Someone tried to sign up with this address, which already has an account. If it was you, sign in or use "find my account".',
      });
    }
    return this.codes.send(target, (code) => ({
      subject: 'Your sign-up code',
      text: `Your Account Center sign-up code is ${code}. It is valid for 10 minutes.`,
    }));
  }

  /** ACC-2 email sign-up, confirmed by the code; ACC-4: the account is usable the moment this returns. */
  async signUpWithEmail(input: {
    site: Site;
    email: string;
    code: string;
    password: string;
    accountType: AccountType;
  }): Promise<Account> {
    // No enumeration (ASVS 6.3.8): the code is proven before anything is said about the address.
    // A taken address was only ever sent a notice, never a code, so it fails here exactly like
    // any other wrong code.
    await this.codes.verify(
      {
        site: input.site,
        purpose: SIGN_UP_CODE_PURPOSE,
        channel: 'email',
        destination: input.email,
        accountId: null,
      },
      input.code,
    );
    // rule ACC-6: an email that registered a live account never registers another one; rule CAN-4:
    // the email of a cancelled account (its registered_emails row released) may sign up again.
    // Only someone who holds the mailbox gets here: the address became taken after its code was sent.
    if (await this.emailTaken(input.site, input.email)) throw this.emailTakenError();
    const passwordHash = await this.hasher.hash(input.password);
    return this.create(
      {
        site: input.site,
        email: input.email,
        passwordHash,
        accountType: input.accountType,
        signUpMethod: 'email',
      },
      { kind: 'email', subject: input.email, displayName: null },
    );
  }

  /** ACC-2 sign-up with a verified QQ, WeChat or Official Account identity (ACC-7: a separate account). */
  async signUpWithIdentity(input: {
    site: Site;
    identity: VerifiedIdentity;
    accountType: AccountType;
  }): Promise<Account> {
    const { identity } = input;
    return this.create(
      {
        site: input.site,
        email: null,
        passwordHash: NO_PASSWORD,
        accountType: input.accountType,
        signUpMethod: identity.provider,
      },
      { kind: identity.provider, subject: identity.subject, displayName: identity.displayName.slice(0, 100) },
    );
  }

  /** rule LOG-2: advice for an account with a single login method. */
  advice(accountId: number): Promise<Advice[]> {
    return loginMethodAdvice(this.em, accountId);
  }

  async get(accountId: number): Promise<{ account: Account; realName: RealNameRecord | null }> {
    const account = await this.em.findOne(Account, { id: accountId });
    if (!account) throw new NotFoundError('Account');
    // The account info shows the current record only when it is an enterprise one, and such a
    // record exists only for an enterprise-verified account: markEnterpriseVerified writes both in
    // one transaction. Other accounts (most of them) are spared the lookup.
    const realName =
      account.realNameStatus === 'enterprise'
        ? await this.em.findOne(RealNameRecord, { account: accountId, supersededAt: null })
        : null;
    return { account, realName };
  }

  /**
   * The account information (GET /accounts/me) in one round trip for most accounts: the account
   * row with the count of its login methods that LOG-2's advice needs (issue 13 §3).
   */
  async info(
    accountId: number,
  ): Promise<{ account: Account; realName: RealNameRecord | null; advice: Advice[] }> {
    const rows = (await this.em
      .getConnection()
      .execute(
        'select a.*, (select count(*) from login_identities li where li.account_id = a.id) as login_methods ' +
          'from accounts a where a.id = ?',
        [accountId],
      )) as Array<Record<string, unknown> & { login_methods: string | number }>;
    if (!rows[0]) throw new NotFoundError('Account');
    const { login_methods: methods, ...columns } = rows[0];
    const account = this.em.map(Account, columns);
    const realName =
      account.realNameStatus === 'enterprise'
        ? await this.em.findOne(RealNameRecord, { account: accountId, supersededAt: null })
        : null;
    return { account, realName, advice: adviceForLoginMethods(Number(methods)) };
  }

  private async emailTaken(site: Site, email: string): Promise<boolean> {
    // rule CAN-4: a row released by a cancellation does not hold the address for sign-up.
    const registered = await this.em.count(RegisteredEmail, { site, email, releasedAt: null });
    if (registered > 0) return true;
    return (await this.em.count(LoginIdentity, { site, kind: 'email', subject: email })) > 0;
  }

  private emailTakenError(): ConflictError {
    return new ConflictError('email_taken', 'An account with this email already exists', { field: 'email' });
  }

  /**
   * Creates the account, its registration login identity and (for email) the permanent
   * registration-email record in one transaction; the unique constraints settle races.
   */
  private async create(
    fields: {
      site: Site;
      email: string | null;
      passwordHash: string;
      accountType: AccountType;
      signUpMethod: SignUpMethod;
    },
    identity: { kind: LoginIdentityKind; subject: string; displayName: string | null },
  ): Promise<Account> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const now = this.clock.now();
      const id = newAccountId();
      try {
        return await this.em.transactional(async (em) => {
          const account = em.create(Account, { id, ...fields, createdAt: now, updatedAt: now });
          em.create(LoginIdentity, {
            id: newId(),
            account,
            site: fields.site,
            kind: identity.kind,
            subject: identity.subject,
            uniqueKey: uniqueKeyFor(identity.kind, identity.subject, 'registration', id),
            role: 'registration',
            displayName: identity.displayName,
            createdAt: now,
          });
          await em.flush();
          if (fields.email) {
            // rule CAN-4: a released address (its account cancelled) is taken over by the new
            // account; otherwise a new row. The conditional UPDATE and the unique (site, email)
            // decide between simultaneous sign-ups: only one of them gets the address.
            const taken = await em.nativeUpdate(
              RegisteredEmail,
              { site: fields.site, email: fields.email, releasedAt: { $ne: null } },
              { accountId: id, registeredAt: now, releasedAt: null },
            );
            if (taken === 0) {
              await em.insert(RegisteredEmail, {
                id: newId(),
                site: fields.site,
                email: fields.email,
                accountId: id,
                registeredAt: now,
              });
            }
          }
          return account;
        });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        if (fields.email && (await this.emailTaken(fields.site, fields.email))) throw this.emailTakenError();
        if (identity.kind !== 'email') {
          const taken = await this.em.count(LoginIdentity, {
            site: fields.site,
            uniqueKey: uniqueKeyFor(identity.kind, identity.subject, 'registration', id),
          });
          if (taken > 0) {
            throw new ConflictError(
              'identity_taken',
              'This identity already registered an account on this site; sign in with it instead',
            );
          }
        }
        // An account ID collision: draw another one. rule CAN-4: a cancelled account's row stays
        // as its tombstone (never deleted), so its ID collides here too and is never issued again.
      }
    }
    throw new Error('could not allocate an account ID');
  }
}
