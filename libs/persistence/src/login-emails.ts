import type { EntityManager } from '@mikro-orm/core';
import {
  Account,
  LoginIdentity,
  RegisteredEmail,
  type LoginIdentityKind,
  type LoginIdentityRole,
  type Site,
} from './entities';

/**
 * The uniqueness rule of a login identity, as the value of `login_identities.unique_key`
 * (unique per site): one account per email, QQ or Official Account identity; a WeChat identity
 * registers at most one account but may be associated with several (ACC-7).
 */
export function uniqueKeyFor(
  kind: LoginIdentityKind,
  subject: string,
  role: LoginIdentityRole,
  accountId: number,
): string {
  if (kind === 'wechat' && role === 'associated') return `wechat:${subject}:${accountId}`;
  return `${kind}:${subject}`;
}

/**
 * The form a sub-user's login name takes: `<username>@<16-digit root account ID>` (optionally
 * followed by a domain suffix). Refused even when no such sub-user exists (yet): it can never be
 * a person's own mailbox. Existing sub-users are also checked by SubUsersService.isSubUserLogin.
 */
export function isSubUserLoginName(value: string): boolean {
  return /^[^@\s]+@\d{16}(\.[a-z0-9.-]+)?$/i.test(value.trim());
}

/** Why an email cannot become a login email of `accountId` (AS-1, ACC-6), or null when it can. */
export type EmailLoginRefusal =
  | 'identity_is_sub_user'
  | 'identity_registered_account'
  | 'identity_associated_elsewhere'
  | 'login_method_already_bound';

/**
 * rule AS-1 / ACC-6 / AS-2: may `email` become a login email of the account? Shared by the API
 * (a friendly early answer) and the appeal activities (checked again when the outcome is
 * applied); the unique key of `login_identities` is what finally decides under concurrency.
 */
export async function emailLoginRefusal(
  em: EntityManager,
  site: Site,
  email: string,
  accountId: number,
): Promise<EmailLoginRefusal | null> {
  if (isSubUserLoginName(email)) return 'identity_is_sub_user';
  if (await em.count(LoginIdentity, { account: accountId, kind: 'email', subject: email })) {
    return 'login_method_already_bound';
  }
  // ACC-6: an email that registered an account — even a cancelled one, whose row is released with
  // no account left on it — never logs in elsewhere (CAN-4 lets it only sign up anew).
  if (
    await em.count(RegisteredEmail, {
      site,
      email,
      $or: [{ accountId: null }, { accountId: { $ne: accountId } }],
    })
  ) {
    return 'identity_registered_account';
  }
  if (await em.count(Account, { site, email, id: { $ne: accountId } })) return 'identity_registered_account';
  if (await em.count(LoginIdentity, { site, kind: 'email', subject: email })) {
    return 'identity_associated_elsewhere';
  }
  return null;
}
