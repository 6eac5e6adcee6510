import { Injectable } from '@nestjs/common';
import type { Account } from '../../../../libs/persistence/src/entities';
import { SessionService } from '../auth/session.service';

export type SignInMethod = 'password' | 'qq' | 'wechat' | 'wechat_oa';

export type SignInOutcome =
  | { kind: 'session'; token: string; accountId: number; expiresAt: string }
  | { kind: 'mfa_required'; challengeId: string; expiresAt: string };

/**
 * The one place this feature turns a proven identity into a signed-in session. Until the auth
 * feature's SignInService (MFA login protection, login history) is available it issues the
 * session directly; switching is a change here only.
 */
@Injectable()
export class AccountSignIn {
  constructor(private readonly sessions: SessionService) {}

  async complete(
    account: Account,
    meta: { method: SignInMethod; ip?: string | null; userAgent?: string | null },
  ): Promise<SignInOutcome> {
    const issued = await this.sessions.issue(account, { ip: meta.ip, userAgent: meta.userAgent });
    return {
      kind: 'session',
      token: issued.token,
      accountId: account.id,
      expiresAt: issued.expiresAt.toISOString(),
    };
  }
}
