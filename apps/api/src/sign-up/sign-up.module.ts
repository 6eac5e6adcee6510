import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { LoginMethodsModule } from '../login-methods/login-methods.module';
import { SignUpController } from './sign-up.controller';

@Module({ imports: [AccountsModule, LoginMethodsModule], controllers: [SignUpController] })
export class SignUpModule {}
