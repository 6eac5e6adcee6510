import { randomBytes } from 'node:crypto';
import type { HttpClient } from './http';

/** A fresh provider subject (openid) for QQ / WeChat / Official Account tests. */
export function uniqueSubject(prefix = 'openid'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** A fresh mainland mobile number, as a user would type it. */
export function uniquePhone(): string {
  const digits = Array.from({ length: 8 }, () => String(randomBytes(1)[0] % 10)).join('');
  return `139${digits}`;
}

/** What the provider's OAuth callback would hand over after the user signed in there (sandbox). */
export async function providerAssertion(
  http: HttpClient,
  provider: 'qq' | 'wechat' | 'wechat_oa',
  subject: string,
  displayName = 'Li Lei',
): Promise<string> {
  const q = new URLSearchParams({ provider, subject, displayName });
  const res = await http.get(`/sandbox/identity/authorize?${q.toString()}`);
  if (res.status !== 200) throw new Error(`authorize failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.assertion as string;
}

/** Signs up with a third-party identity; returns the account ID and its session token. */
export async function signUpWithProvider(
  http: HttpClient,
  provider: 'qq' | 'wechat' | 'wechat_oa',
  subject: string,
  extra: { site?: 'cn' | 'intl'; accountType?: 'personal' | 'enterprise'; displayName?: string } = {},
): Promise<{ accountId: number; token: string; body: any }> {
  const assertion = await providerAssertion(http, provider, subject, extra.displayName);
  const res = await http.post('/sign-up/third-party', {
    provider,
    assertion,
    site: extra.site,
    accountType: extra.accountType,
  });
  if (res.status !== 201)
    throw new Error(`third-party sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    accountId: res.body.account.accountId as number,
    token: res.body.signIn.token as string,
    body: res.body,
  };
}
