import type { AppConfig } from '../../../config/src/config';
import type { Clock } from '../../../domain/src/clock';
import { SandboxIdentityProvider } from './sandbox-identity-provider';

/** Builds the identity provider adapter chosen by IDENTITY_ADAPTER. */
export function createIdentityProvider(config: AppConfig, clock: Clock): SandboxIdentityProvider {
  switch (config.identity.adapter) {
    case 'sandbox':
      return new SandboxIdentityProvider(
        config.identity.sandboxSecret,
        config.identity.assertionTtlSeconds,
        clock,
      );
  }
}
