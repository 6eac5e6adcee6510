import { Module } from '@nestjs/common';
import { dataSecretBoxProvider } from '../common/data-box';
import { DepositVerificationsController } from './deposit-verifications.controller';
import { DepositVerificationsService } from './deposit-verifications.service';

@Module({
  controllers: [DepositVerificationsController],
  providers: [DepositVerificationsService, dataSecretBoxProvider],
  exports: [DepositVerificationsService],
})
export class VerificationsModule {}
