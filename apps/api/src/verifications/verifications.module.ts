import { Module } from '@nestjs/common';
import { accountKeyringProvider, dataSecretBoxProvider } from '../common/data-box';
import { DepositVerificationsController } from './deposit-verifications.controller';
import { DepositVerificationsService } from './deposit-verifications.service';

@Module({
  controllers: [DepositVerificationsController],
  providers: [DepositVerificationsService, dataSecretBoxProvider, accountKeyringProvider],
  exports: [DepositVerificationsService],
})
export class VerificationsModule {}
