import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { CLOCK, MINUTE_MS, type Clock } from '../../../../libs/domain/src/clock';
import { maskName } from '../../../../libs/domain/src/contact';
import { UnauthenticatedError, ValidationError } from '../../../../libs/domain/src/errors';
import { newId, newToken, sha256Hex } from '../../../../libs/domain/src/ids';
import { maskEmail, maskTail } from '../../../../libs/domain/src/masking';
import type { IdentityProviderName } from '../../../../libs/integrations/src/identity/identity-provider.port';
import {
  Account,
  LoginIdentity,
  SignInSelectionTicket,
  type Site,
} from '../../../../libs/persistence/src/entities';
import { LoginIdentitiesService } from './login-identities.service';
import { AccountSignIn, type SignInMethod } from './sign-in.adapter';
import type { ThirdPartySignInResponse } from './login-methods.dto';
import { ThirdPartyIdentities } from './third-party-identities';

/** ACC-7: how long the caller has to pick an account after a WeChat sign-in matched several. */
export const SELECTION_TICKET_TTL_MS = 5 * MINUTE_MS;

interface Meta {
  ip?: string | null;
  userAgent?: string | null;
}

/** Signing in with QQ, WeChat or an Official Account, including ACC-7's choice of account. */
@Injectable()
export class ThirdPartySignInService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly identities: ThirdPartyIdentities,
    private readonly loginIdentities: LoginIdentitiesService,
    @Inject(AccountSignIn) private readonly signIn: AccountSignIn,
  ) {}

  async start(
    site: Site,
    provider: IdentityProviderName,
    assertion: string,
    meta: Meta,
  ): Promise<ThirdPartySignInResponse> {
    const identity = await this.identities.verify(provider, assertion);
    const accounts = await this.loginIdentities.accountsFor(site, provider, identity.subject);
    const [only] = accounts;
    if (!only) {
      throw new UnauthenticatedError(
        'No account on this site signs in with this identity; sign up with it first',
        'identity_not_linked',
      );
    }
    if (accounts.length === 1) return this.signIn.complete(only, { method: provider, ...meta });

    // rule ACC-7: a WeChat identity bound to several accounts asks which one to enter.
    const token = newToken('ast');
    const expiresAt = new Date(this.clock.now().getTime() + SELECTION_TICKET_TTL_MS);
    this.em.create(SignInSelectionTicket, {
      id: newId(),
      tokenHash: sha256Hex(token),
      site,
      provider,
      accountIds: accounts.map((a) => String(a.id)).join(','),
      ip: meta.ip ?? null,
      expiresAt,
    });
    await this.em.flush();
    const labels = await this.labels(accounts);
    return {
      kind: 'choose_account',
      selectionTicket: token,
      expiresAt: expiresAt.toISOString(),
      accounts: accounts.map((a, i) => ({
        option: i + 1,
        accountId: maskTail(String(a.id), 4),
        label: labels.get(a.id) ?? '***',
        signUpMethod: a.signUpMethod,
      })),
    };
  }

  /** ACC-7 second step: the single-use ticket and the chosen option enter one account. */
  async choose(ticket: string, option: number, meta: Meta): Promise<ThirdPartySignInResponse> {
    const now = this.clock.now();
    const row = await this.em.findOne(SignInSelectionTicket, { tokenHash: sha256Hex(ticket) });
    const invalid = new UnauthenticatedError(
      'The account choice has expired or was already used; sign in again',
      'selection_ticket_invalid',
    );
    if (!row || row.usedAt || row.expiresAt.getTime() <= now.getTime()) throw invalid;
    const ids = row.accountIds.split(',').map(Number);
    const accountId = ids[option - 1];
    if (accountId === undefined) {
      throw new ValidationError('option', `option: must be between 1 and ${ids.length}`);
    }
    const spent = await this.em.nativeUpdate(
      SignInSelectionTicket,
      { id: row.id, usedAt: null },
      { usedAt: now },
    );
    if (spent !== 1) throw invalid;
    const account = await this.em.findOne(Account, { id: accountId, status: 'active', site: row.site });
    if (!account) throw invalid;
    return this.signIn.complete(account, { method: row.provider as SignInMethod, ...meta });
  }

  /** Masked registration email or display name of each account. */
  private async labels(accounts: Account[]): Promise<Map<number, string>> {
    const rows = await this.em.find(LoginIdentity, {
      account: { $in: accounts.map((a) => a.id) },
      role: 'registration',
    });
    const out = new Map<number, string>();
    for (const r of rows) {
      out.set(r.account.id, r.kind === 'email' ? maskEmail(r.subject) : maskName(r.displayName ?? r.kind));
    }
    return out;
  }
}
