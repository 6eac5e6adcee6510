import type { Provider } from '@nestjs/common';
import { decodeKey32, type AppConfig } from '../../../../libs/config/src/config';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { DATA_SECRET_BOX, SecretBox } from '../../../../libs/domain/src/secret-box';
import { ACCOUNT_KEYRING, AccountKeyring } from '../../../../libs/persistence/src/account-keys';

/** The data key's SecretBox (DATA_ENCRYPTION_KEY), for a feature module that seals or opens data. */
export const dataSecretBoxProvider: Provider = {
  provide: DATA_SECRET_BOX,
  // The configuration is validated at start-up, so the key decodes.
  useFactory: (config: AppConfig) => new SecretBox(decodeKey32(config.dataEncryptionKey)!),
  inject: [APP_CONFIG],
};

/**
 * The per-account data keys (issue 10 CAN-5) under the data key's SecretBox: what seals an
 * account's values, so that cancellation can destroy them. Provide with {@link dataSecretBoxProvider}.
 */
export const accountKeyringProvider: Provider = {
  provide: ACCOUNT_KEYRING,
  useFactory: (box: SecretBox) => new AccountKeyring(box),
  inject: [DATA_SECRET_BOX],
};
