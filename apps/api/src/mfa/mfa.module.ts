import { Module } from '@nestjs/common';
import { MfaController, StaffHardwareTokensController } from './mfa.controller';
import { MfaService } from './mfa.service';

@Module({ controllers: [MfaController, StaffHardwareTokensController], providers: [MfaService] })
export class MfaModule {}
