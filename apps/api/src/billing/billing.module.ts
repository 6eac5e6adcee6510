import { Module } from '@nestjs/common';
import { BillingController } from './billing.controller';
import { BillingService } from './billing.service';
import { LedgerService } from './ledger.service';

@Module({
  controllers: [BillingController],
  providers: [LedgerService, BillingService],
  exports: [LedgerService],
})
export class BillingModule {}
