import { Inject, Injectable } from '@nestjs/common';
import { UnauthenticatedError } from '../../../../libs/domain/src/errors';
import {
  IDENTITY_PROVIDER,
  InvalidAssertionError,
  type IdentityProvider,
  type IdentityProviderName,
  type VerifiedIdentity,
} from '../../../../libs/integrations/src/identity/identity-provider.port';

/** Verifies provider assertions; an untrustworthy one is a 401 naming why. */
@Injectable()
export class ThirdPartyIdentities {
  constructor(@Inject(IDENTITY_PROVIDER) private readonly provider: IdentityProvider) {}

  async verify(provider: IdentityProviderName, assertion: string): Promise<VerifiedIdentity> {
    try {
      return await this.provider.verify(provider, assertion);
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
}
