import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { CurrentAccount, type OwnerPrincipal } from '../auth/principal';
import { RequiresStepUp } from '../auth/step-up.guard';
import { parseOr400 } from '../common/zod';
import {
  AmountEntryResponseDto,
  DepositVerificationResponseDto,
  SubmitAmountDto,
  SubmitDepositDto,
  type DepositVerificationResponse,
} from './deposit-verifications.dto';
import { toDepositResponse } from './deposit-verifications.mapper';
import { DepositVerificationsService } from './deposit-verifications.service';

const idSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'is not a verification ID');

@ApiTags('enterprise verification')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'No valid session' })
@Controller('verifications/enterprise/deposit')
export class DepositVerificationsController {
  constructor(private readonly service: DepositVerificationsService) {}

  @Post()
  // Submitting real-name information is a sensitive change: a recent authentication (ASVS 7.5.1).
  @RequiresStepUp()
  @ApiOperation({
    summary: 'Start a deposit (corporate transfer) verification (RN-7, RN-8)',
    description:
      'Returns 201 with a new verification, or 200 with the one already open for the account: never a second payout.',
  })
  @ApiResponse({ status: 201, type: DepositVerificationResponseDto })
  @ApiResponse({ status: 200, type: DepositVerificationResponseDto, description: 'One was already open' })
  @ApiResponse({ status: 400, description: 'A field is invalid; `error.field` names it' })
  @ApiResponse({ status: 422, description: 'RN-2 (enterprise already verifies 3 accounts) or RN-3' })
  async submit(
    @CurrentAccount() principal: OwnerPrincipal,
    @Body() body: SubmitDepositDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DepositVerificationResponse> {
    const { created, row, live } = await this.service.submit(principal.accountId, body);
    res.status(created ? 201 : 200);
    return toDepositResponse(row, live);
  }

  @Get()
  @ApiOperation({ summary: "The account's deposit verifications, newest first" })
  @ApiResponse({ status: 200, type: [DepositVerificationResponseDto] })
  async list(@CurrentAccount() principal: OwnerPrincipal): Promise<DepositVerificationResponse[]> {
    const rows = await this.service.list(principal.accountId);
    return rows.map((r) => toDepositResponse(r));
  }

  @Get(':id')
  @ApiOperation({
    summary: 'Live state of one verification: status, attempts left, deadline (never the amount)',
  })
  @ApiResponse({ status: 200, type: DepositVerificationResponseDto })
  @ApiResponse({ status: 404, description: 'No such verification for this account' })
  async get(
    @CurrentAccount() principal: OwnerPrincipal,
    @Param('id') id: string,
  ): Promise<DepositVerificationResponse> {
    const { row, live } = await this.service.get(principal.accountId, parseOr400(idSchema, id, 'id'));
    return toDepositResponse(row, live);
  }

  @Post(':id/amount')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Enter the amount seen on the bank statement (RN-8: 2 attempts within 7 days of landing)',
  })
  @ApiResponse({ status: 200, type: AmountEntryResponseDto })
  @ApiResponse({ status: 400, description: 'amount_malformed: not 1–99 fen; no attempt is spent' })
  @ApiResponse({ status: 404, description: 'No such verification for this account' })
  @ApiResponse({ status: 409, description: 'The verification is not waiting for an amount' })
  async submitAmount(
    @CurrentAccount() principal: OwnerPrincipal,
    @Param('id') id: string,
    @Body() body: SubmitAmountDto,
  ): Promise<AmountEntryResponseDto> {
    const { result, row, live } = await this.service.submitAmount(
      principal.accountId,
      parseOr400(idSchema, id, 'id'),
      body.amountFen,
    );
    return {
      outcome: result.outcome,
      attemptsLeft: result.attemptsLeft,
      verification: toDepositResponse(row, live),
    };
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Withdraw a verification whose payout has not landed (e.g. a wrong account number), to submit again',
  })
  @ApiResponse({ status: 200, type: DepositVerificationResponseDto })
  @ApiResponse({ status: 400, description: '`id` is not a verification ID' })
  @ApiResponse({ status: 404, description: 'No such verification for this account' })
  @ApiResponse({ status: 409, description: 'not_withdrawable: the payout has landed or it is closed' })
  async withdraw(
    @CurrentAccount() principal: OwnerPrincipal,
    @Param('id') id: string,
  ): Promise<DepositVerificationResponse> {
    const { row, live } = await this.service.withdraw(principal.accountId, parseOr400(idSchema, id, 'id'));
    return toDepositResponse(row, live);
  }
}
