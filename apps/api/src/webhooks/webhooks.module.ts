import { Module } from '@nestjs/common';
import { BankWebhookController } from './bank-webhook.controller';
import { FaceWebhookController } from './face-webhook.controller';

@Module({ controllers: [BankWebhookController, FaceWebhookController] })
export class WebhooksModule {}
