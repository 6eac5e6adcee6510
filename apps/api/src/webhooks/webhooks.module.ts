import { Module } from '@nestjs/common';
import { VerificationsModule } from '../verifications/verifications.module';
import { BankWebhookController } from './bank-webhook.controller';

@Module({ imports: [VerificationsModule], controllers: [BankWebhookController] })
export class WebhooksModule {}
