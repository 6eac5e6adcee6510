import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Res,
  StreamableFile,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentAccount, Public, type OwnerPrincipal } from '../auth/principal';
import { RateLimited } from '../common/request-limits';
import { unionBody } from '../common/zod';
import { AcceptDocuments, UploadedDocuments } from '../documents/multipart';
import type { DocumentUpload } from '../documents/documents.service';
import { ApiCodeSendResponses } from '../notifications/code-send.responses';
import { IDEMPOTENCY_KEY_HEADER } from '../verifications/deposit-verifications.dto';
import {
  AnswerDto,
  AppealCodeDto,
  AppealCodeSentDto,
  AppealResponseDto,
  CASE_TOKEN_HEADER,
  OwnerAppealDto,
  SessionlessAppealDto,
  type AppealResponse,
} from './appeals.dto';
import { AppealsService, type CaseCaller as Caller } from './appeals.service';
import { CaseCallerGuard, CurrentCaseCaller } from './case-caller.guard';

/** Case routes admit the owner's session or the case token: both are documented, either serves. */
const CaseCaller = (): MethodDecorator => (target, key, descriptor) => {
  UseGuards(CaseCallerGuard)(target, key, descriptor);
  ApiBearerAuth()(target, key, descriptor);
  ApiHeader({
    name: CASE_TOKEN_HEADER,
    required: false,
    description: 'The case token given when the case was opened without a session (instead of a session)',
  })(target, key, descriptor);
  ApiResponse({ status: 401, description: 'Neither a valid session nor the case token' })(
    target,
    key,
    descriptor,
  );
  ApiResponse({ status: 404, description: 'No such case for this session or token' })(
    target,
    key,
    descriptor,
  );
};

@ApiTags('appeals')
@Controller('appeals')
export class AppealsController {
  constructor(private readonly appeals: AppealsService) {}

  @Post()
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Open an appeal as the signed-in owner (AS-2, RN-8 payout, CON-1b, MFA-5); it starts as a draft',
    description:
      'Upload the documents the case needs (`requiredDocuments`) to `/appeals/{caseId}/documents`, then submit it.',
  })
  @ApiResponse({ status: 201, type: AppealResponseDto })
  @ApiResponse({ status: 400, description: 'A field is invalid; `error.field` names it' })
  @ApiResponse({ status: 401, description: 'No valid session' })
  @ApiResponse({ status: 404, description: 'verificationId: no such verification of the account' })
  @ApiResponse({
    status: 409,
    description: 'appeal_already_open (`error.caseId`), same_as_current, no_mfa_device',
  })
  @ApiResponse({
    status: 422,
    description:
      'AS-1/ACC-6: the new email is taken; AS-2: no registration email; RN-8 payout_appeal_not_available (`error.appealAvailableFrom`)',
  })
  async create(
    @CurrentAccount() principal: OwnerPrincipal,
    @Body() body: OwnerAppealDto,
  ): Promise<AppealResponse> {
    return this.appeals.createForOwner(principal.accountId, unionBody(body));
  }

  @Get()
  @ApiBearerAuth()
  @ApiOperation({ summary: "The account's appeals, newest first" })
  @ApiResponse({ status: 200, type: [AppealResponseDto] })
  @ApiResponse({ status: 401, description: 'No valid session' })
  async list(@CurrentAccount() principal: OwnerPrincipal): Promise<AppealResponse[]> {
    return this.appeals.list(principal.accountId);
  }

  @Public()
  @Post('codes')
  @HttpCode(202)
  @RateLimited('code_send')
  @ApiOperation({
    summary: 'Without a session (LOG-1, MFA-5, CON-1b): send a code to a reachable phone or email',
    description:
      'The answer is the same whether or not the account exists; an unknown account gets a notice, not a code.',
  })
  @ApiResponse({ status: 202, type: AppealCodeSentDto })
  @ApiResponse({ status: 400, description: 'A field is invalid; `error.field` names it' })
  @ApiCodeSendResponses()
  async sendCode(@Body() body: AppealCodeDto): Promise<AppealCodeSentDto> {
    const sent = await this.appeals.sendCode(body);
    return { expiresAt: sent.expiresAt.toISOString(), resendAfterSeconds: sent.resendAfterSeconds };
  }

  @Public()
  @Post('sessionless')
  @RateLimited('sign_in')
  @ApiOperation({
    summary:
      'Without a session (LOG-1, MFA-5, CON-1b): open an appeal with the code; answers with a case token',
    description:
      'Wrong codes count like wrong passwords (CON-2): a captcha after 3 in a day, locked after 10. An unknown account answers like a wrong code.',
  })
  @ApiResponse({ status: 201, type: AppealResponseDto })
  @ApiResponse({ status: 400, description: 'A field is invalid, or code_invalid / code_expired on `code`' })
  @ApiResponse({ status: 401, description: 'captcha_required / captcha_invalid (CON-2)' })
  @ApiResponse({ status: 409, description: 'appeal_already_open, same_as_current, no_mfa_device' })
  @ApiResponse({ status: 422, description: 'AS-1/ACC-6: the new email cannot become a login email' })
  @ApiResponse({ status: 423, description: 'account_locked: too many wrong codes today' })
  async createSessionless(@Body() body: SessionlessAppealDto): Promise<AppealResponse> {
    return this.appeals.createSessionless(unionBody(body));
  }

  @Public()
  @Get(':caseId')
  @CaseCaller()
  @ApiOperation({ summary: 'The case: status, documents, what the reviewer asked for, the outcome' })
  @ApiResponse({ status: 200, type: AppealResponseDto })
  async get(@Param('caseId') caseId: string, @CurrentCaseCaller() caller: Caller): Promise<AppealResponse> {
    return this.appeals.get(caller, caseId);
  }

  @Public()
  @Post(':caseId/documents')
  @HttpCode(201)
  @CaseCaller()
  @AcceptDocuments()
  @ApiOperation({
    summary:
      'Upload documents to an open case: JPEG, PNG or PDF (by their bytes), ≤ 10 MB each, ≤ 8 per case',
  })
  @ApiResponse({ status: 201, type: AppealResponseDto })
  @ApiResponse({ status: 409, description: 'appeal_closed; document_limit_reached (8 per case)' })
  async upload(
    @Param('caseId') caseId: string,
    @CurrentCaseCaller() caller: Caller,
    @UploadedDocuments() files: DocumentUpload[],
  ): Promise<AppealResponse> {
    await this.appeals.upload(caller, caseId, files);
    return this.appeals.get(caller, caseId);
  }

  @Public()
  @Get(':caseId/documents/:documentId')
  @CaseCaller()
  @ApiOperation({ summary: 'One of the case’s documents, while the case is open (the applicant’s own copy)' })
  @ApiResponse({ status: 200, description: 'The document’s bytes, with its content type' })
  @ApiResponse({ status: 409, description: 'appeal_closed: documents are read only while the case is open' })
  async document(
    @Param('caseId') caseId: string,
    @Param('documentId') documentId: string,
    @CurrentCaseCaller() caller: Caller,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const { meta, bytes } = await this.appeals.readDocument(caller, caseId, documentId);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    return new StreamableFile(bytes, { type: meta.contentType, disposition: 'inline', length: bytes.length });
  }

  @Public()
  @Post(':caseId/submit')
  @HttpCode(200)
  @CaseCaller()
  @ApiOperation({ summary: 'Submit a draft: its documents are complete, and the review starts' })
  @ApiResponse({ status: 200, type: AppealResponseDto })
  @ApiResponse({
    status: 400,
    description: 'documents_missing on `documents` (`error.missing` lists the labels)',
  })
  @ApiResponse({ status: 409, description: 'appeal_closed, appeal_already_open' })
  async submit(
    @Param('caseId') caseId: string,
    @CurrentCaseCaller() caller: Caller,
  ): Promise<AppealResponse> {
    return this.appeals.submit(caller, caseId);
  }

  @Public()
  @Post(':caseId/answer')
  @HttpCode(200)
  @CaseCaller()
  @ApiHeader({
    name: IDEMPOTENCY_KEY_HEADER,
    required: false,
    description: 'Sent again on a retry, the same answer is given once',
  })
  @ApiOperation({
    summary: 'Answer the reviewer’s request for information: a note and/or uploaded documents',
  })
  @ApiResponse({ status: 200, type: AppealResponseDto })
  @ApiResponse({ status: 400, description: 'A field is invalid; `error.field` names it' })
  @ApiResponse({ status: 409, description: 'not_awaiting_information, appeal_not_submitted, task_not_open' })
  @ApiResponse({ status: 503, description: 'review_unavailable: send the same request again (Retry-After)' })
  async answer(
    @Param('caseId') caseId: string,
    @CurrentCaseCaller() caller: Caller,
    @Headers(IDEMPOTENCY_KEY_HEADER) idempotencyKey: string | undefined,
    @Body() body: AnswerDto,
  ): Promise<AppealResponse> {
    return this.appeals.answer(caller, caseId, body, idempotencyKey?.slice(0, 128));
  }

  @Public()
  @Post(':caseId/withdraw')
  @HttpCode(200)
  @CaseCaller()
  @ApiOperation({ summary: 'Withdraw an open case' })
  @ApiResponse({ status: 200, type: AppealResponseDto })
  @ApiResponse({ status: 409, description: 'appeal_closed / not_withdrawable: it has been decided' })
  @ApiResponse({ status: 503, description: 'review_unavailable: send the same request again (Retry-After)' })
  async withdraw(
    @Param('caseId') caseId: string,
    @CurrentCaseCaller() caller: Caller,
  ): Promise<AppealResponse> {
    return this.appeals.withdraw(caller, caseId);
  }
}
