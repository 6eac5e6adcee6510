import type { Advice } from '../../../../libs/persistence/src/login-advice';
import type { Account, RealNameRecord } from '../../../../libs/persistence/src/entities';
import type { AccountResponse } from './accounts.dto';

export function toAccountResponse(
  account: Account,
  realName: RealNameRecord | null,
  advice: Advice[],
): AccountResponse {
  return {
    accountId: account.id,
    email: account.email ?? null,
    site: account.site,
    accountType: account.accountType,
    signUpMethod: account.signUpMethod,
    status: account.status,
    realNameStatus: account.realNameStatus,
    enterprise:
      realName && realName.kind === 'enterprise'
        ? { name: realName.name, verifiedAt: realName.verifiedAt.toISOString() }
        : null,
    createdAt: account.createdAt.toISOString(),
    advice,
  };
}
