import { Module } from '@nestjs/common';
import { accountKeyringProvider, dataSecretBoxProvider } from '../common/data-box';
import { DepositVerificationsController } from './deposit-verifications.controller';
import { DepositVerificationsService } from './deposit-verifications.service';
import { PersonalVerificationsController } from './personal-verifications.controller';
import { PersonalVerificationsService } from './personal-verifications.service';

@Module({
  controllers: [DepositVerificationsController, PersonalVerificationsController],
  providers: [
    DepositVerificationsService,
    PersonalVerificationsService,
    dataSecretBoxProvider,
    accountKeyringProvider,
  ],
  exports: [DepositVerificationsService],
})
export class VerificationsModule {}
