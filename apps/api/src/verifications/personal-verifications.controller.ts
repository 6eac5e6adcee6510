import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { CurrentAccount, type OwnerPrincipal } from '../auth/principal';
import { RequiresStepUp } from '../auth/step-up.guard';
import { parseOr400 } from '../common/zod';
import {
  PersonalVerificationResponseDto,
  SubmitPersonalDto,
  type PersonalVerificationResponse,
} from './personal-verifications.dto';
import { toPersonalResponse } from './personal-verifications.mapper';
import { PersonalVerificationsService } from './personal-verifications.service';

const idSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'is not a verification ID');

@ApiTags('personal verification')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'No valid session' })
@Controller('verifications/personal/face')
export class PersonalVerificationsController {
  constructor(private readonly service: PersonalVerificationsService) {}

  @Post()
  // Submitting real-name information is a sensitive change: a recent authentication (MFA-3).
  @RequiresStepUp()
  @ApiOperation({
    summary: 'Start a personal verification by face recognition (RN-6, RN-4); also how to try again',
    description:
      'Returns 201 with a new verification and its face session (do the liveness step at `session.livenessUrl`), ' +
      'or 200 with the one already open. After a failure (`failureReason` says why) the same request tries again.',
  })
  @ApiResponse({ status: 201, type: PersonalVerificationResponseDto })
  @ApiResponse({ status: 200, type: PersonalVerificationResponseDto, description: 'One was already open' })
  @ApiResponse({ status: 400, description: 'A field is invalid; `error.field` names it' })
  @ApiResponse({ status: 409, description: 'verification_in_progress: try again shortly' })
  @ApiResponse({
    status: 422,
    description:
      'RN-4 use_international_site (the China site takes mainland ID cards only; `error.site` points to the international site), ' +
      'RN-5 already_enterprise_verified, RN-1 real_name_change_too_soon (`error.changeAllowedFrom`), RN-2 personal_account_limit',
  })
  @ApiResponse({
    status: 429,
    description:
      'face_attempt_limit (RN-6): the attempts of the day are used up; `error.nextAttemptAt` says from when, with Retry-After',
  })
  @ApiResponse({ status: 503, description: 'verification_unavailable: try again shortly (Retry-After)' })
  async submit(
    @CurrentAccount() principal: OwnerPrincipal,
    @Body() body: SubmitPersonalDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PersonalVerificationResponse> {
    const { created, row, live } = await this.service.submit(principal.accountId, body);
    res.status(created ? 201 : 200);
    return toPersonalResponse(row, live);
  }

  @Get()
  @ApiOperation({ summary: "The account's personal verifications, newest first" })
  @ApiResponse({ status: 200, type: [PersonalVerificationResponseDto] })
  async list(@CurrentAccount() principal: OwnerPrincipal): Promise<PersonalVerificationResponse[]> {
    return (await this.service.list(principal.accountId)).map((r) => toPersonalResponse(r));
  }

  @Get(':id')
  @ApiOperation({
    summary: 'Live state of one personal verification: its face session, or how it ended and why (RN-6)',
  })
  @ApiResponse({ status: 200, type: PersonalVerificationResponseDto })
  @ApiResponse({ status: 400, description: '`id` is not a verification ID' })
  @ApiResponse({ status: 404, description: 'No such verification for this account' })
  async get(
    @CurrentAccount() principal: OwnerPrincipal,
    @Param('id') id: string,
  ): Promise<PersonalVerificationResponse> {
    const { row, live } = await this.service.get(principal.accountId, parseOr400(idSchema, id, 'id'));
    return toPersonalResponse(row, live);
  }
}
