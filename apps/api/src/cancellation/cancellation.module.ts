import { Module } from '@nestjs/common';
import { CancellationApplicationsController } from './cancellation-applications.controller';
import { CancellationApplicationsService } from './cancellation-applications.service';
import { CancellationEligibilityController } from './cancellation-eligibility.controller';
import { CancellationEligibilityService } from './cancellation-eligibility.service';

/** Account cancellation (issue 10): eligibility, applying, state and withdrawal. */
@Module({
  controllers: [CancellationEligibilityController, CancellationApplicationsController],
  providers: [CancellationEligibilityService, CancellationApplicationsService],
  exports: [CancellationEligibilityService, CancellationApplicationsService],
})
export class CancellationModule {}
