import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { CurrentAccount, type OwnerPrincipal } from '../auth/principal';
import { RequiresStepUp } from '../auth/step-up.guard';
import { parseOr400 } from '../common/zod';
import {
  RechargeVerificationResponseDto,
  SubmitRechargeDto,
  type RechargeVerificationResponse,
} from './enterprise-verification.dto';
import { toRechargeResponse } from './recharge-verifications.mapper';
import { RechargeVerificationsService } from './recharge-verifications.service';

const idSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'is not a verification ID');

@ApiTags('enterprise verification')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'No valid session' })
@Controller('verifications/enterprise/recharge')
export class RechargeVerificationsController {
  constructor(private readonly service: RechargeVerificationsService) {}

  @Post()
  // Submitting real-name information is a sensitive change: a recent authentication (MFA-3).
  @RequiresStepUp()
  @ApiOperation({
    summary: 'Start a recharge verification (RN-7, RN-9): pay the issued sum within 7 days',
    description:
      'Returns 201 with the sum to pay (under 1 CNY), where to pay it, the accepted channels and the deadline, ' +
      'or 200 with the verification already open for the account. The payment must come from an account in the ' +
      "enterprise's name; it is confirmed within 1 business day of arriving. Any payment is credited to the balance.",
  })
  @ApiResponse({ status: 201, type: RechargeVerificationResponseDto })
  @ApiResponse({ status: 200, type: RechargeVerificationResponseDto, description: 'One was already open' })
  @ApiResponse({ status: 400, description: 'A field is invalid; `error.field` names it' })
  @ApiResponse({ status: 409, description: 'verification_in_progress: try again shortly' })
  @ApiResponse({
    status: 422,
    description:
      'RN-10 method_not_for_public_institutions (a public institution uses the Official Account or a corporate transfer), ' +
      'RN-3 (already enterprise-verified), RN-2 (the enterprise verifies 3 accounts)',
  })
  @ApiResponse({ status: 503, description: 'verification_unavailable: try again shortly (Retry-After)' })
  async submit(
    @CurrentAccount() principal: OwnerPrincipal,
    @Body() body: SubmitRechargeDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RechargeVerificationResponse> {
    const { created, row, live } = await this.service.submit(principal.accountId, body);
    res.status(created ? 201 : 200);
    return toRechargeResponse(row, live);
  }

  @Get()
  @ApiOperation({ summary: "The account's recharge verifications, newest first" })
  @ApiResponse({ status: 200, type: [RechargeVerificationResponseDto] })
  async list(@CurrentAccount() principal: OwnerPrincipal): Promise<RechargeVerificationResponse[]> {
    return (await this.service.list(principal.accountId)).map((r) => toRechargeResponse(r));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Live state of one recharge verification' })
  @ApiResponse({ status: 200, type: RechargeVerificationResponseDto })
  @ApiResponse({ status: 400, description: '`id` is not a verification ID' })
  @ApiResponse({ status: 404, description: 'No such verification for this account' })
  async get(
    @CurrentAccount() principal: OwnerPrincipal,
    @Param('id') id: string,
  ): Promise<RechargeVerificationResponse> {
    const { row, live } = await this.service.get(principal.accountId, parseOr400(idSchema, id, 'id'));
    return toRechargeResponse(row, live);
  }
}
