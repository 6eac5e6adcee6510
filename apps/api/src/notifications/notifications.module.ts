import { Global, Module } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { AppConfig } from '../../../../libs/config/src/config';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { IDENTITY_PROVIDER } from '../../../../libs/integrations/src/identity/identity-provider.port';
import { createIdentityProvider } from '../../../../libs/integrations/src/identity/identity.factory';
import { SandboxIdentityProvider } from '../../../../libs/integrations/src/identity/sandbox-identity-provider';
import { createNotifier } from '../../../../libs/integrations/src/notifier/notifier.factory';
import { NOTIFIER } from '../../../../libs/integrations/src/notifier/notifier.port';
import { NotificationOutbox } from './notification-outbox.service';
import { VerificationCodeService } from './verification-codes.service';

/**
 * The outside world of people: the Notifier (SMS/email), verification codes sent through it,
 * and the third-party identity provider. Global, so every feature can send a code.
 */
@Global()
@Module({
  providers: [
    {
      provide: NOTIFIER,
      useFactory: (config: AppConfig, orm: MikroORM, clock: Clock) => createNotifier(config, orm, clock),
      inject: [APP_CONFIG, MikroORM, CLOCK],
    },
    {
      provide: SandboxIdentityProvider,
      useFactory: (config: AppConfig, clock: Clock) => createIdentityProvider(config, clock),
      inject: [APP_CONFIG, CLOCK],
    },
    { provide: IDENTITY_PROVIDER, useExisting: SandboxIdentityProvider },
    VerificationCodeService,
    NotificationOutbox,
  ],
  exports: [
    NOTIFIER,
    IDENTITY_PROVIDER,
    SandboxIdentityProvider,
    VerificationCodeService,
    NotificationOutbox,
  ],
})
export class NotificationsModule {}
