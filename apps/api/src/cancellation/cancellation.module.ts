import { Module } from '@nestjs/common';
import { CancellationEligibilityController } from './cancellation-eligibility.controller';
import { CancellationEligibilityService } from './cancellation-eligibility.service';

/** Account cancellation (issue 10): eligibility now; applying, state and withdrawal beside it. */
@Module({
  controllers: [CancellationEligibilityController],
  providers: [CancellationEligibilityService],
  exports: [CancellationEligibilityService],
})
export class CancellationModule {}
