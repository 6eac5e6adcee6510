import { Module } from '@nestjs/common';
import { BillingModule } from '../billing/billing.module';
import { AdminSandboxController } from './admin-sandbox.controller';
import { AdminSandboxService } from './admin-sandbox.service';
import { AdminTokenGuard } from './admin-token.guard';

/** Mounted only when SANDBOX_ADMIN_API=true (see app.module.ts). */
@Module({
  imports: [BillingModule],
  controllers: [AdminSandboxController],
  providers: [AdminSandboxService, AdminTokenGuard],
})
export class AdminSandboxModule {}
