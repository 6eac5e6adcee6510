import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { UnauthenticatedError } from '../../../../libs/domain/src/errors';
import {
  IDENTITY_PROVIDER,
  InvalidAssertionError,
  type IdentityProvider,
  type IdentityProviderName,
  type VerifiedIdentity,
} from '../../../../libs/integrations/src/identity/identity-provider.port';
import { isUniqueViolation } from '../../../../libs/persistence/src/database';
import { UsedIdentityAssertion } from '../../../../libs/persistence/src/entities';

/**
 * Verifies provider assertions; an untrustworthy one is a 401 naming why. Like an OAuth
 * authorization code, an assertion is accepted once: its ID is recorded, and a replay refused.
 */
@Injectable()
export class ThirdPartyIdentities {
  constructor(
    @Inject(IDENTITY_PROVIDER) private readonly provider: IdentityProvider,
    private readonly em: EntityManager,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async verify(provider: IdentityProviderName, assertion: string): Promise<VerifiedIdentity> {
    try {
      const identity = await this.provider.verify(provider, assertion);
      if (identity.assertionId) await this.spend(identity.assertionId, provider, identity.expiresAt);
      return identity;
    } catch (err) {
      if (err instanceof InvalidAssertionError) {
        throw new UnauthenticatedError(
          `The ${provider} sign-in could not be verified (${err.reason}); sign in with the provider again`,
          'identity_assertion_invalid',
          { reason: err.reason },
        );
      }
      throw err;
    }
  }

  private async spend(
    id: string,
    provider: IdentityProviderName,
    expiresAt: Date | undefined,
  ): Promise<void> {
    const now = this.clock.now();
    try {
      await this.em.fork().insert(UsedIdentityAssertion, {
        id: id.slice(0, 64),
        provider,
        usedAt: now,
        expiresAt: expiresAt ?? now,
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new InvalidAssertionError('replayed');
      throw err;
    }
  }
}
