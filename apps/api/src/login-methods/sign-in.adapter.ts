import { Injectable } from '@nestjs/common';
import type { Account } from '../../../../libs/persistence/src/entities';
import { SignInService, type SignInOutcome } from '../auth/sign-in.service';

export type SignInMethod = 'qq' | 'wechat' | 'wechat_oa';
export type { SignInOutcome };

/**
 * The one place this feature turns a proven identity into a signed-in account: the auth
 * feature's SignInService applies MFA login protection (MFA-2), records login history (ACC-13)
 * and issues a fresh session.
 */
@Injectable()
export class AccountSignIn {
  constructor(private readonly signIn: SignInService) {}

  complete(
    account: Account,
    meta: { method: SignInMethod; ip?: string | null; userAgent?: string | null },
  ): Promise<SignInOutcome> {
    return this.signIn.complete(account, meta);
  }
}
