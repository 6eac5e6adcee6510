import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { MikroORM, RequestContext } from '@mikro-orm/core';
import type { AppConfig } from '../../../libs/config/src/config';
import { AppConfigModule } from '../../../libs/config/src/config.module';
import type { Clock } from '../../../libs/domain/src/clock';
import { PersistenceModule } from '../../../libs/persistence/src/nest/persistence.module';
import { AccountsModule } from './accounts/accounts.module';
import { AuthModule } from './auth/auth.module';
import { SandboxCaptchaModule } from './auth/captcha.controller';
import { MfaModule } from './mfa/mfa.module';
import { StaffModule } from './staff/staff.controller';
import { RequestLimitsModule } from './common/request-limits.module';
import { MaintenanceModule } from './maintenance/purge.service';
import { InputPipe } from './common/input.pipe';
import { ApiExceptionFilter } from './common/exception.filter';
import { HealthModule } from './health/health.controller';
import { SandboxModule } from './sandbox/sandbox.module';
import { TemporalClientModule } from './temporal/temporal.module';
import { VerificationsModule } from './verifications/verifications.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { NotificationsModule } from './notifications/notifications.module';
import { SandboxPeopleModule } from './notifications/sandbox-people.module';
import { SignUpModule } from './sign-up/sign-up.module';
import { LoginMethodsModule } from './login-methods/login-methods.module';
import { SecurityContactsModule } from './security-contacts/security-contacts.module';
import { FindAccountModule } from './find-account/find-account.module';
import { AdminSandboxModule } from './admin-sandbox/admin-sandbox.module';
import { AssetsModule } from './assets/assets.module';
import { BillingModule } from './billing/billing.module';
import { IcpModule } from './icp/icp.module';
import { PermissionsModule } from './permissions/permissions.module';
import { ProjectsModule } from './projects/projects.module';
import { UsersModule } from './users/users.module';
import { AppealsModule } from './appeals/appeals.module';
import { CancellationModule } from './cancellation/cancellation.module';
import { ReviewModule } from './review/review.controller';
import { ConsoleModule } from './console/console.controller';
import { TemporalCodecModule } from './temporal-codec/temporal-codec.controller';

export interface ApiModuleOptions {
  config: AppConfig;
  clock?: Clock;
  /** An ORM owned by the caller (tests); otherwise the module opens and closes its own. */
  orm?: MikroORM;
}

@Module({})
export class AppModule implements NestModule {
  constructor(private readonly orm: MikroORM) {}

  static forRoot({ config, clock, orm }: ApiModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config, clock),
        PersistenceModule.forRoot(config.database, orm),
        TemporalClientModule.forRoot(config),
        RequestLimitsModule,
        MaintenanceModule,
        AuthModule,
        HealthModule,
        AccountsModule,
        VerificationsModule,
        WebhooksModule,
        ...(config.sandboxRoutes ? [SandboxModule] : []),
        ...(config.sandboxRoutes ? [SandboxCaptchaModule] : []),
        MfaModule,
        StaffModule,
        NotificationsModule,
        SignUpModule,
        LoginMethodsModule,
        SecurityContactsModule,
        FindAccountModule,
        ...(config.sandboxRoutes ? [SandboxPeopleModule] : []),
        PermissionsModule,
        UsersModule,
        AppealsModule,
        ReviewModule,
        ProjectsModule,
        BillingModule,
        AssetsModule,
        IcpModule,
        CancellationModule,
        ConsoleModule,
        TemporalCodecModule,
        ...(config.sandboxAdmin.enabled ? [AdminSandboxModule] : []),
      ],
      providers: [
        { provide: APP_PIPE, useValue: new InputPipe() },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // The correlation ID is set before body parsing, in app.factory.ts.
    consumer
      .apply((_req: unknown, _res: unknown, next: () => void) =>
        // Each request gets its own identity map.
        RequestContext.create(this.orm.em, next),
      )
      .forRoutes('*');
  }
}
