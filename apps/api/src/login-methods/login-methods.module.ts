import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { LoginIdentitiesService } from './login-identities.service';
import { LoginMethodsController } from './login-methods.controller';
import { LoginMethodsService } from './login-methods.service';
import { AccountSignIn } from './sign-in.adapter';
import { ThirdPartyIdentities } from './third-party-identities';
import { ThirdPartySignInController } from './third-party-sign-in.controller';
import { ThirdPartySignInService } from './third-party-sign-in.service';

@Module({
  imports: [UsersModule],
  controllers: [LoginMethodsController, ThirdPartySignInController],
  providers: [
    LoginIdentitiesService,
    LoginMethodsService,
    ThirdPartyIdentities,
    ThirdPartySignInService,
    AccountSignIn,
  ],
  exports: [LoginIdentitiesService, ThirdPartyIdentities, AccountSignIn],
})
export class LoginMethodsModule {}
