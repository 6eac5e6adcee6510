import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { CurrentAccount, type OwnerPrincipal } from '../auth/principal';
import { RequiresStepUp } from '../auth/step-up.guard';
import { parseOr400 } from '../common/zod';
import {
  AmountEntryResponseDto,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_KEY_PATTERN,
  idempotencyKeySchema,
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
  @ApiResponse({
    status: 409,
    description: 'verification_in_progress / verification_closing: try again shortly',
  })
  @ApiResponse({ status: 422, description: 'RN-2 (enterprise already verifies 3 accounts) or RN-3' })
  @ApiResponse({
    status: 429,
    description:
      'deposit_failed_run_limit (RN-8): 3 verifications open or failed within 30 days for this account, licence number or bank account; ' +
      '`error.scope`, `error.limit`, `error.windowDays` and `error.nextAttemptAt` say which and when, with Retry-After',
  })
  @ApiResponse({
    status: 503,
    description:
      'verification_unavailable: Temporal cannot be reached; send the same request again (Retry-After)',
  })
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
  @ApiResponse({ status: 503, description: 'verification_unavailable: try again shortly (Retry-After)' })
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
  @ApiHeader({
    name: IDEMPOTENCY_KEY_HEADER,
    required: false,
    schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN.source, minLength: 1, maxLength: 128 },
    description:
      'A key the client chooses for this entry (e.g. a UUID made when the form is shown) and sends again on every retry. ' +
      'Requests with the same key are one entry: it spends at most one attempt, and every copy gets its outcome, ' +
      'also after the verification has closed. Sent again with another amount it still answers the first entry. ' +
      'Without it every request is a new entry.',
  })
  @ApiResponse({ status: 200, type: AmountEntryResponseDto })
  @ApiResponse({
    status: 400,
    description: 'amount_malformed: not 1–99 fen, or a malformed Idempotency-Key; no attempt is spent',
  })
  @ApiResponse({ status: 404, description: 'No such verification for this account' })
  @ApiResponse({
    status: 409,
    description:
      'not_awaiting_amount: the verification is not waiting for an amount; verification_closed: it has ended (and this key made no entry)',
  })
  @ApiResponse({
    status: 503,
    description:
      'entry_pending (still being checked), entry_unavailable (not checked, nothing spent) or verification_unavailable: ' +
      'send the same request with the same Idempotency-Key again after Retry-After',
  })
  async submitAmount(
    @CurrentAccount() principal: OwnerPrincipal,
    @Param('id') id: string,
    @Body() body: SubmitAmountDto,
    @Headers(IDEMPOTENCY_KEY_HEADER) idempotencyKey: string | undefined,
  ): Promise<AmountEntryResponseDto> {
    const { result, row, live } = await this.service.submitAmount(
      principal.accountId,
      parseOr400(idSchema, id, 'id'),
      body.amountFen,
      idempotencyKey === undefined
        ? undefined
        : parseOr400(idempotencyKeySchema, idempotencyKey, IDEMPOTENCY_KEY_HEADER),
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
  @ApiResponse({ status: 503, description: 'verification_unavailable: try again shortly (Retry-After)' })
  async withdraw(
    @CurrentAccount() principal: OwnerPrincipal,
    @Param('id') id: string,
  ): Promise<DepositVerificationResponse> {
    const { row, live } = await this.service.withdraw(principal.accountId, parseOr400(idSchema, id, 'id'));
    return toDepositResponse(row, live);
  }
}
