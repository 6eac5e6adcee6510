import { Module } from '@nestjs/common';
import type { AppConfig } from '../../../../libs/config/src/config';
import { decodeKey32 } from '../../../../libs/config/src/config';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { DATA_SECRET_BOX, SecretBox } from '../../../../libs/domain/src/secret-box';
import { DepositVerificationsController } from './deposit-verifications.controller';
import { DepositVerificationsService } from './deposit-verifications.service';

@Module({
  controllers: [DepositVerificationsController],
  providers: [
    DepositVerificationsService,
    {
      provide: DATA_SECRET_BOX,
      // The configuration is validated at start-up, so the key decodes.
      useFactory: (config: AppConfig) => new SecretBox(decodeKey32(config.dataEncryptionKey)!),
      inject: [APP_CONFIG],
    },
  ],
  exports: [DepositVerificationsService],
})
export class VerificationsModule {}
