import { Module } from '@nestjs/common';
import { VerificationsModule } from '../verifications/verifications.module';
import { BankWebhookController } from './bank-webhook.controller';
import { FaceWebhookController } from './face-webhook.controller';

@Module({ imports: [VerificationsModule], controllers: [BankWebhookController, FaceWebhookController] })
export class WebhooksModule {}
