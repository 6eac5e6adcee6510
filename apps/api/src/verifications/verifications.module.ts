import { Module } from '@nestjs/common';
import { BillingModule } from '../billing/billing.module';
import { accountKeyringProvider, dataSecretBoxProvider } from '../common/data-box';
import { LoginMethodsModule } from '../login-methods/login-methods.module';
import { DepositVerificationsController } from './deposit-verifications.controller';
import { DepositVerificationsService } from './deposit-verifications.service';
import { PersonalVerificationsController } from './personal-verifications.controller';
import { PersonalVerificationsService } from './personal-verifications.service';
import { EnterpriseVerificationController } from './enterprise-verification.controller';
import { IncomingPaymentsService } from './incoming-payments.service';
import { OfficialAccountVerificationService } from './official-account.service';
import { RechargeVerificationsController } from './recharge-verifications.controller';
import { RechargeVerificationsService } from './recharge-verifications.service';

@Module({
  imports: [BillingModule, LoginMethodsModule],
  controllers: [
    EnterpriseVerificationController,
    DepositVerificationsController,
    RechargeVerificationsController,
    PersonalVerificationsController,
  ],
  providers: [
    DepositVerificationsService,
    RechargeVerificationsService,
    OfficialAccountVerificationService,
    IncomingPaymentsService,
    PersonalVerificationsService,
    dataSecretBoxProvider,
    accountKeyringProvider,
  ],
  exports: [DepositVerificationsService, IncomingPaymentsService],
})
export class VerificationsModule {}
