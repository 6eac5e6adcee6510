import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { MikroORM } from '@mikro-orm/core';
import type { AppConfig } from '../../../../libs/config/src/config';
import { decodeKey32 } from '../../../../libs/config/src/config';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { createCaptcha } from '../../../../libs/integrations/src/captcha/captcha.factory';
import { CAPTCHA } from '../../../../libs/integrations/src/captcha/captcha.port';
import { SandboxCaptcha } from '../../../../libs/integrations/src/captcha/sandbox-captcha';
import { LoginMethodsModule } from '../login-methods/login-methods.module';
import { MfaVerifier } from '../mfa/mfa-verifier.service';
import { SecretBox } from '../../../../libs/domain/src/secret-box';
import { StaffSessionsService } from '../staff/staff-sessions.service';
import { AccountSessionsService } from './account-sessions.service';
import { AuthGuard } from './auth.guard';
import { CaptchaController } from './captcha.controller';
import { LoginHistoryService } from './login-history.service';
import { PasswordHasher } from './password-hasher';
import { PasswordSignInService } from './password-sign-in.service';
import { PasswordService } from './password.service';
import { AccountSecurityController } from './security.controller';
import { SessionService } from './session.service';
import { SessionsController } from './sessions.controller';
import { SignInProtectionService } from './sign-in-protection.service';
import { SignInService } from './sign-in.service';
import { StepUpGuard } from './step-up.guard';
import { StepUpService } from './step-up.service';

@Global()
@Module({
  // LoginIdentitiesService: password sign-in also accepts associated emails (AS-2).
  imports: [LoginMethodsModule],
  controllers: [SessionsController, AccountSecurityController, CaptchaController],
  providers: [
    SessionService,
    PasswordHasher,
    { provide: APP_GUARD, useClass: AuthGuard },
    {
      provide: SecretBox,
      useFactory: (config: AppConfig) => new SecretBox(decodeKey32(config.mfa.encryptionKey)!),
      inject: [APP_CONFIG],
    },
    {
      provide: SandboxCaptcha,
      useFactory: (config: AppConfig, orm: MikroORM, clock: Clock) => createCaptcha(config, orm, clock),
      inject: [APP_CONFIG, MikroORM, CLOCK],
    },
    { provide: CAPTCHA, useExisting: SandboxCaptcha },
    MfaVerifier,
    LoginHistoryService,
    SignInProtectionService,
    SignInService,
    PasswordSignInService,
    AccountSessionsService,
    PasswordService,
    StepUpService,
    StepUpGuard,
    StaffSessionsService,
  ],
  exports: [
    SessionService,
    PasswordHasher,
    SecretBox,
    SandboxCaptcha,
    CAPTCHA,
    MfaVerifier,
    LoginHistoryService,
    SignInProtectionService,
    SignInService,
    AccountSessionsService,
    StepUpService,
    StepUpGuard,
    StaffSessionsService,
  ],
})
export class AuthModule {}
