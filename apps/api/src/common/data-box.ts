import type { Provider } from '@nestjs/common';
import { decodeKey32, type AppConfig } from '../../../../libs/config/src/config';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { DATA_SECRET_BOX, SecretBox } from '../../../../libs/domain/src/secret-box';

/** The data key's SecretBox (DATA_ENCRYPTION_KEY), for a feature module that seals or opens data. */
export const dataSecretBoxProvider: Provider = {
  provide: DATA_SECRET_BOX,
  // The configuration is validated at start-up, so the key decodes.
  useFactory: (config: AppConfig) => new SecretBox(decodeKey32(config.dataEncryptionKey)!),
  inject: [APP_CONFIG],
};
