import type { EntityManager } from '@mikro-orm/core';
import { LoginIdentity } from './entities';

/** Advice the account information and the sign-in answer give (LOG-2). */
export interface Advice {
  rule: 'LOG-2';
  code: 'add_second_login_method';
  message: string;
  /** The route that does what the advice says. */
  href: string;
}

/**
 * rule LOG-2: while an account has a single login method (its registration email or third-party
 * identity, and no associated one), advise binding WeChat or an email as a second one: an
 * employee who leaves, or a frozen QQ/WeChat, then does not lock the owner out (LOG-1).
 */
export async function loginMethodAdvice(em: EntityManager, accountId: number): Promise<Advice[]> {
  return adviceForLoginMethods(await em.count(LoginIdentity, { account: accountId }));
}

/** rule LOG-2: the advice for an account with `methods` login methods (counted by the caller). */
export function adviceForLoginMethods(methods: number): Advice[] {
  if (methods > 1) return [];
  return [
    {
      rule: 'LOG-2',
      code: 'add_second_login_method',
      message:
        'This account can be signed in to one way only. Bind WeChat or an email as a second login method, so that losing the first does not lock you out.',
      href: '/accounts/me/login-methods',
    },
  ];
}
