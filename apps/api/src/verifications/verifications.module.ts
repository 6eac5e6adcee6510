import { Module } from '@nestjs/common';
import { DepositVerificationsController } from './deposit-verifications.controller';
import { DepositVerificationsService } from './deposit-verifications.service';

@Module({
  controllers: [DepositVerificationsController],
  providers: [DepositVerificationsService],
  exports: [DepositVerificationsService],
})
export class VerificationsModule {}
