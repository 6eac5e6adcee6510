/**
 * Third-party identities (QQ, WeChat, WeChat Official Account). After the user signs in at the
 * provider, the OAuth callback hands the platform an assertion; the adapter verifies it and
 * returns who it is. Adapter: `SandboxIdentityProvider` (IDENTITY_ADAPTER=sandbox).
 */
export const IDENTITY_PROVIDERS = ['qq', 'wechat', 'wechat_oa'] as const;
export type IdentityProviderName = (typeof IDENTITY_PROVIDERS)[number];

export interface VerifiedIdentity {
  provider: IdentityProviderName;
  /** The provider's stable user ID (openid). */
  subject: string;
  displayName: string;
  /**
   * An Official Account's verified subject (WeChat's own qualification check of the account's
   * owner): the enterprise's registered name and business licence number. Only `wechat_oa`
   * assertions carry it, and only for an Official Account whose owner is an organisation.
   */
  enterprise?: { name: string; licenceNumber: string };
  /** The assertion's own ID and expiry, so the platform can accept each assertion once. */
  assertionId?: string;
  expiresAt?: Date;
}

export interface IdentityProvider {
  /** Verifies an assertion for `provider`; throws InvalidAssertionError when it cannot be trusted. */
  verify(provider: IdentityProviderName, assertion: string): Promise<VerifiedIdentity>;
}

export const IDENTITY_PROVIDER = Symbol('IdentityProvider');

export type AssertionProblem =
  'malformed' | 'bad_signature' | 'expired' | 'not_yet_valid' | 'wrong_provider' | 'replayed';

export class InvalidAssertionError extends Error {
  constructor(readonly reason: AssertionProblem) {
    super(`identity assertion rejected: ${reason}`);
    this.name = 'InvalidAssertionError';
  }
}
