import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentAccount, type OwnerPrincipal } from '../auth/principal';
import { CancellationEligibilityResponseDto, type CancellationEligibilityResponse } from './cancellation.dto';
import { CancellationEligibilityService } from './cancellation-eligibility.service';

@ApiTags('account cancellation')
@ApiBearerAuth()
@Controller('accounts/me/cancellation')
export class CancellationEligibilityController {
  constructor(private readonly eligibility: CancellationEligibilityService) {}

  @Get('eligibility')
  @ApiOperation({
    summary:
      'May the account be cancelled? Every unmet condition at once, each with a code, a message, what to do and where (CAN-1)',
  })
  @ApiResponse({ status: 200, type: CancellationEligibilityResponseDto })
  @ApiResponse({ status: 401, description: 'No valid session' })
  @ApiResponse({ status: 403, description: 'owner_only: not an account owner session' })
  async check(@CurrentAccount() principal: OwnerPrincipal): Promise<CancellationEligibilityResponse> {
    return this.eligibility.check(principal.accountId);
  }
}
