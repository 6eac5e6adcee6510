import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { PasswordHasher } from './password-hasher';
import { SessionService } from './session.service';
import { SessionsController } from './sessions.controller';

@Global()
@Module({
  controllers: [SessionsController],
  providers: [SessionService, PasswordHasher, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [SessionService, PasswordHasher],
})
export class AuthModule {}
