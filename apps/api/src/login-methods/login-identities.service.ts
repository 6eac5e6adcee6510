import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { ConflictError, NotFoundError, RuleViolationError } from '../../../../libs/domain/src/errors';
import { newId } from '../../../../libs/domain/src/ids';
import { isUniqueViolation } from '../../../../libs/persistence/src/database';
import {
  Account,
  LoginIdentity,
  RegisteredEmail,
  type LoginIdentityKind,
  type Site,
} from '../../../../libs/persistence/src/entities';

import { isSubUserLoginName, uniqueKeyFor } from '../../../../libs/persistence/src/login-emails';

export { isSubUserLoginName, uniqueKeyFor };

@Injectable()
export class LoginIdentitiesService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Active accounts that `kind:subject` signs in to on `site` (never across sites, ACC-11). */
  async accountsFor(site: Site, kind: LoginIdentityKind, subject: string): Promise<Account[]> {
    const rows = await this.em.find(
      LoginIdentity,
      { site, kind, subject, account: { status: 'active', site } },
      { populate: ['account'], orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    return rows.map((r) => r.account);
  }

  async list(accountId: number): Promise<LoginIdentity[]> {
    return this.em.find(LoginIdentity, { account: accountId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  /** rule AS-1 (and ACC-6, ACC-7): may `kind:subject` become an extra login method of the account? */
  /** The account's own login methods: what its owner may always be told. */
  async assertNotOwn(account: Account, kind: LoginIdentityKind, subject: string): Promise<void> {
    const own = await this.em.count(LoginIdentity, { account: account.id, kind, subject });
    if (own > 0) {
      throw new ConflictError(
        'login_method_already_bound',
        'This login method is already bound to the account',
      );
    }
  }

  async assertAssociable(account: Account, kind: LoginIdentityKind, subject: string): Promise<void> {
    const site = account.site;
    await this.assertNotOwn(account, kind, subject);
    if (kind === 'email') {
      if (isSubUserLoginName(subject)) {
        throw new RuleViolationError('AS-1', 'identity_is_sub_user', 'A sub-user cannot be a login method', {
          field: 'email',
        });
      }
      // rule ACC-6: an email that registered an account — even a cancelled one — never logs in elsewhere.
      if (await this.em.count(RegisteredEmail, { site, email: subject })) {
        throw new RuleViolationError(
          'AS-1',
          'identity_registered_account',
          'This email registered an account of its own and cannot be associated',
          { field: 'email' },
        );
      }
    } else {
      // rule ACC-7: accounts registered with QQ, WeChat or an Official Account are never merged.
      const registered = await this.em.count(LoginIdentity, { site, kind, subject, role: 'registration' });
      if (registered > 0) {
        throw new RuleViolationError(
          'AS-1',
          'identity_registered_account',
          'This identity registered an account of its own; accounts cannot be merged (ACC-7)',
        );
      }
    }
    // rule AS-1: already associated with another account (WeChat excepted: ACC-7).
    if (kind !== 'wechat' && (await this.em.count(LoginIdentity, { site, kind, subject }))) {
      throw new RuleViolationError(
        'AS-1',
        'identity_associated_elsewhere',
        'This identity is already a login method of another account',
        kind === 'email' ? { field: 'email' } : undefined,
      );
    }
  }

  async associate(
    account: Account,
    kind: LoginIdentityKind,
    subject: string,
    displayName: string | null,
  ): Promise<LoginIdentity> {
    await this.assertAssociable(account, kind, subject);
    const row = this.em.create(LoginIdentity, {
      id: newId(),
      account,
      site: account.site,
      kind,
      subject,
      uniqueKey: uniqueKeyFor(kind, subject, 'associated', account.id),
      role: 'associated',
      displayName,
      createdAt: this.clock.now(),
    });
    try {
      await this.em.flush();
    } catch (err) {
      this.em.clear();
      if (!isUniqueViolation(err)) throw err;
      // A concurrent association or sign-up took it first.
      throw new RuleViolationError(
        'AS-1',
        'identity_associated_elsewhere',
        'This identity is already a login method of another account',
      );
    }
    return row;
  }

  /** rule AS-2: an associated login method can be unbound; the registration one cannot. */
  async unbind(accountId: number, identityId: string): Promise<LoginIdentity> {
    const row = await this.em.findOne(LoginIdentity, { id: identityId, account: accountId });
    if (!row) throw new NotFoundError('Login method');
    if (row.role === 'registration') {
      throw new RuleViolationError(
        'AS-2',
        'registration_login_method',
        'The login method the account was registered with cannot be unbound; changing it needs a manual appeal',
      );
    }
    await this.em.nativeDelete(LoginIdentity, { id: row.id, account: accountId });
    return row;
  }
}
