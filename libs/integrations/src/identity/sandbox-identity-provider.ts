import type { Clock } from '../../../domain/src/clock';
import { signAssertion, verifyAssertion } from './assertion';
import type { IdentityProvider, IdentityProviderName, VerifiedIdentity } from './identity-provider.port';

/**
 * Stands in for QQ / WeChat / Official Account login: `authorize` is what the provider's login
 * page and callback would hand back (exposed as GET /sandbox/identity/authorize), `verify` is
 * what the platform does with it — HMAC signature and expiry, on the injected clock.
 */
export class SandboxIdentityProvider implements IdentityProvider {
  constructor(
    private readonly secret: string,
    private readonly ttlSeconds: number,
    private readonly clock: Clock,
  ) {}

  authorize(identity: VerifiedIdentity): { assertion: string; expiresAt: Date } {
    return signAssertion(this.secret, identity, this.clock.now(), this.ttlSeconds);
  }

  async verify(provider: IdentityProviderName, assertion: string): Promise<VerifiedIdentity> {
    return verifyAssertion(this.secret, provider, assertion, this.clock.now());
  }
}
