import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentAccount, type OwnerPrincipal } from '../auth/principal';
import { RequiresStepUp } from '../auth/step-up.guard';
import { RateLimited } from '../common/request-limits';
import { ApiCodeSendResponses } from '../notifications/code-send.responses';
import {
  ApplyCancellationDto,
  CancellationApplicationDto,
  type CancellationApplicationResponse,
} from './cancellation-applications.dto';
import { CancellationApplicationsService } from './cancellation-applications.service';

@ApiTags('account cancellation')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'No valid session' })
@Controller('accounts/me/cancellation')
export class CancellationApplicationsController {
  constructor(private readonly applications: CancellationApplicationsService) {}

  @Post('codes')
  @HttpCode(202)
  @RateLimited('code_send')
  @ApiOperation({ summary: 'Send the code to apply for cancellation to the security phone (CAN-8)' })
  @ApiResponse({ status: 202, description: 'Sent: `expiresAt`, `resendAfterSeconds`' })
  @ApiResponse({
    status: 422,
    description: 'CAN-8 security_phone_required: bind or change the security phone first (`error.href`)',
  })
  @ApiCodeSendResponses()
  async sendCode(
    @CurrentAccount() principal: OwnerPrincipal,
  ): Promise<{ expiresAt: string; resendAfterSeconds: number }> {
    const sent = await this.applications.sendCode(principal.accountId);
    return { expiresAt: sent.expiresAt.toISOString(), resendAfterSeconds: sent.resendAfterSeconds };
  }

  @Post()
  // MFA-3: cancellation is a sensitive operation: a recent authentication, with operation
  // protection on the second factor.
  @RequiresStepUp()
  @ApiOperation({
    summary:
      'Apply to cancel the account: eligibility, review when a risk flag applies, cooling-off, execution',
  })
  @ApiResponse({ status: 201, type: CancellationApplicationDto })
  @ApiResponse({ status: 400, description: 'code_invalid / code_expired on `code`' })
  @ApiResponse({ status: 409, description: 'cancellation_in_progress (`error.applicationId`)' })
  @ApiResponse({ status: 422, description: 'CAN-8 security_phone_required (`error.href`)' })
  async apply(
    @CurrentAccount() principal: OwnerPrincipal,
    @Body() body: ApplyCancellationDto,
  ): Promise<CancellationApplicationResponse> {
    return this.applications.apply(principal.accountId, body.code);
  }

  @Get()
  @ApiOperation({ summary: 'The latest application: status, reasons, risk flags, cooling-off left' })
  @ApiResponse({ status: 200, type: CancellationApplicationDto })
  @ApiResponse({ status: 404, description: 'The account has never applied' })
  async current(@CurrentAccount() principal: OwnerPrincipal): Promise<CancellationApplicationResponse> {
    return this.applications.current(principal.accountId);
  }

  @Post('withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw the open application (until execution starts)' })
  @ApiResponse({ status: 200, type: CancellationApplicationDto })
  @ApiResponse({ status: 404, description: 'No open application' })
  @ApiResponse({ status: 409, description: 'not_withdrawable: execution has started' })
  @ApiResponse({ status: 503, description: 'review_unavailable: send the same request again (Retry-After)' })
  async withdraw(@CurrentAccount() principal: OwnerPrincipal): Promise<CancellationApplicationResponse> {
    return this.applications.withdraw(principal.accountId);
  }
}
