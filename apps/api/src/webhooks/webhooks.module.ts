import { Module } from '@nestjs/common';
import { BankWebhookController } from './bank-webhook.controller';

@Module({ controllers: [BankWebhookController] })
export class WebhooksModule {}
