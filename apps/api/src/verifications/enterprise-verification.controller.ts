import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  ENTERPRISE_METHODS,
  RECHARGE_CHANNELS,
  RECHARGE_CONFIRM_BUSINESS_DAYS,
  RECHARGE_PAYMENT_WINDOW_MS,
} from '../../../../libs/domain/src/recharge-verification';
import { CurrentAccount, type OwnerPrincipal } from '../auth/principal';
import { RequiresStepUp } from '../auth/step-up.guard';
import {
  MethodsResponseDto,
  OfficialAccountDto,
  OfficialAccountResponseDto,
  type MethodsResponse,
  type OfficialAccountResponse,
} from './enterprise-verification.dto';
import { OfficialAccountVerificationService } from './official-account.service';

@ApiTags('enterprise verification')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'No valid session' })
@Controller('verifications/enterprise')
export class EnterpriseVerificationController {
  constructor(private readonly officialAccount: OfficialAccountVerificationService) {}

  @Get('methods')
  @ApiOperation({
    summary:
      'The enterprise verification methods and how long each takes (RN-7), and who may use them (RN-10)',
  })
  @ApiResponse({ status: 200, type: MethodsResponseDto })
  methods(): MethodsResponse {
    return {
      methods: ENTERPRISE_METHODS.map((m) => ({ ...m })),
      rechargeChannels: [...RECHARGE_CHANNELS],
      rechargeWindowDays: RECHARGE_PAYMENT_WINDOW_MS / (24 * 3600 * 1000),
      rechargeConfirmBusinessDays: RECHARGE_CONFIRM_BUSINESS_DAYS,
    };
  }

  @Post('official-account')
  @HttpCode(200)
  // Submitting real-name information is a sensitive change: a recent authentication (MFA-3).
  @RequiresStepUp()
  @ApiOperation({
    summary:
      'Verify the enterprise through its Official Account, immediately (RN-7; open to RN-10 public institutions)',
  })
  @ApiResponse({ status: 200, type: OfficialAccountResponseDto })
  @ApiResponse({ status: 400, description: '`assertion` is missing or malformed' })
  @ApiResponse({
    status: 401,
    description: 'identity_assertion_invalid: the assertion is forged, expired or already used',
  })
  @ApiResponse({
    status: 422,
    description:
      "RN-7 official_account_without_enterprise (the Official Account's owner is no verified organisation), " +
      'RN-3 (already verified for another enterprise), RN-2 (the enterprise verifies 3 accounts), RN-1 (changed within 30 days)',
  })
  verifyOfficialAccount(
    @CurrentAccount() principal: OwnerPrincipal,
    @Body() body: OfficialAccountDto,
  ): Promise<OfficialAccountResponse> {
    return this.officialAccount.verify(principal.accountId, body.assertion);
  }
}
