import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiCodeSendResponses } from '../notifications/code-send.responses';
import { CurrentAccount, type OwnerPrincipal } from '../auth/principal';
import { RequiresStepUp } from '../auth/step-up.guard';
import { CodeSentResponseDto, type CodeSentResponse } from '../sign-up/sign-up.dto';
import type { CodeSent } from '../notifications/verification-codes.service';
import {
  BindEmailDto,
  BindPhoneDto,
  ChangeProofResponseDto,
  NewEmailCodeDto,
  NewPhoneCodeDto,
  SecuritySettingsResponseDto,
  VerifyCurrentDto,
  type ChangeProofResponse,
  type SecuritySettingsResponse,
} from './security-contacts.dto';
import { SecurityContactsService } from './security-contacts.service';
import { RateLimited } from '../common/request-limits';

const sent = (s: CodeSent): CodeSentResponse => ({
  expiresAt: s.expiresAt.toISOString(),
  resendAfterSeconds: s.resendAfterSeconds,
});

const AUTH = [
  ApiResponse({ status: 401, description: 'No valid session' }),
  ApiResponse({ status: 403, description: 'owner_only: not an account owner session' }),
];
const CODE_400 =
  'A field is invalid. On `code`: code_invalid (attemptsLeft), code_expired, code_attempts_exhausted; on `proof`: change_proof_invalid';
const COOLDOWN_429 = ApiCodeSendResponses();

function applyAll(...decorators: MethodDecorator[]): MethodDecorator {
  return (target, key, descriptor) => {
    for (const d of decorators) d(target, key, descriptor);
  };
}

@ApiTags('security settings')
@ApiBearerAuth()
@Controller('accounts/me/security')
export class SecurityContactsController {
  constructor(private readonly service: SecurityContactsService) {}

  @Get()
  @ApiOperation({ summary: 'Security phone and security email, masked (ACC-12)' })
  @ApiOkResponse({ type: SecuritySettingsResponseDto })
  @applyAll(...AUTH)
  async settings(@CurrentAccount() me: OwnerPrincipal): Promise<SecuritySettingsResponse> {
    return this.service.settings(me.accountId);
  }

  @Post('phone/current/codes')
  @RateLimited('code_send')
  @HttpCode(202)
  @ApiOperation({ summary: 'Changing the security phone, step 1: a code to the current phone (CON-1a)' })
  @ApiResponse({ status: 202, type: CodeSentResponseDto })
  @ApiResponse({ status: 409, description: 'no_security_phone: bind one directly' })
  @applyAll(...AUTH, COOLDOWN_429)
  async phoneCurrentCode(@CurrentAccount() me: OwnerPrincipal): Promise<CodeSentResponse> {
    return sent(await this.service.sendCurrentCode(me.accountId, 'phone'));
  }

  @Post('phone/current/verify')
  @HttpCode(201)
  @ApiOperation({ summary: 'Step 1 done: the code from the current phone gives a single-use proof (CON-1a)' })
  @ApiResponse({ status: 201, type: ChangeProofResponseDto })
  @ApiResponse({ status: 400, description: CODE_400 })
  @ApiResponse({ status: 409, description: 'no_security_phone' })
  @applyAll(...AUTH)
  async phoneVerifyCurrent(
    @CurrentAccount() me: OwnerPrincipal,
    @Body() body: VerifyCurrentDto,
  ): Promise<ChangeProofResponse> {
    const p = await this.service.verifyCurrent(me.accountId, 'phone', body.code);
    return { proof: p.proof, expiresAt: p.expiresAt.toISOString() };
  }

  @Post('phone/codes')
  @RateLimited('code_send')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Bind or change the security phone, step 2: a code to the new phone (the step-1 proof when changing)',
  })
  @ApiResponse({ status: 202, type: CodeSentResponseDto })
  @ApiResponse({ status: 400, description: CODE_400 })
  @ApiResponse({ status: 409, description: 'same_as_current' })
  @ApiResponse({ status: 422, description: 'ACC-3 phone_limit_reached: the number is bound to 5 accounts' })
  @applyAll(...AUTH, COOLDOWN_429)
  async phoneNewCode(
    @CurrentAccount() me: OwnerPrincipal,
    @Body() body: NewPhoneCodeDto,
  ): Promise<CodeSentResponse> {
    return sent(await this.service.sendNewCode(me.accountId, 'phone', body.phone, body.proof));
  }

  @Put('phone')
  @RequiresStepUp()
  @ApiOperation({
    summary: 'Bind or change the security phone with the code sent to it (ACC-3, ACC-12, CON-1a)',
  })
  @ApiOkResponse({ type: SecuritySettingsResponseDto })
  @ApiResponse({ status: 400, description: CODE_400 })
  @ApiResponse({ status: 409, description: 'same_as_current; concurrent_change' })
  @ApiResponse({ status: 422, description: 'ACC-3 phone_limit_reached: the number is bound to 5 accounts' })
  @applyAll(...AUTH)
  async bindPhone(
    @CurrentAccount() me: OwnerPrincipal,
    @Body() body: BindPhoneDto,
  ): Promise<SecuritySettingsResponse> {
    return this.service.bind(me.accountId, 'phone', body.phone, body.code, body.proof);
  }

  @Post('email/current/codes')
  @RateLimited('code_send')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Changing the security email, step 1: a code to the current security email (CON-4)',
  })
  @ApiResponse({ status: 202, type: CodeSentResponseDto })
  @ApiResponse({ status: 409, description: 'no_security_email: bind one directly' })
  @applyAll(...AUTH, COOLDOWN_429)
  async emailCurrentCode(@CurrentAccount() me: OwnerPrincipal): Promise<CodeSentResponse> {
    return sent(await this.service.sendCurrentCode(me.accountId, 'email'));
  }

  @Post('email/current/verify')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Step 1 done: the code from the current security email gives a single-use proof (CON-4)',
  })
  @ApiResponse({ status: 201, type: ChangeProofResponseDto })
  @ApiResponse({ status: 400, description: CODE_400 })
  @ApiResponse({ status: 409, description: 'no_security_email' })
  @applyAll(...AUTH)
  async emailVerifyCurrent(
    @CurrentAccount() me: OwnerPrincipal,
    @Body() body: VerifyCurrentDto,
  ): Promise<ChangeProofResponse> {
    const p = await this.service.verifyCurrent(me.accountId, 'email', body.code);
    return { proof: p.proof, expiresAt: p.expiresAt.toISOString() };
  }

  @Post('email/codes')
  @RateLimited('code_send')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Bind or change the security email (codes only, not a login method — CON-3), step 2: a code to the new address',
  })
  @ApiResponse({ status: 202, type: CodeSentResponseDto })
  @ApiResponse({ status: 400, description: CODE_400 })
  @ApiResponse({ status: 409, description: 'same_as_current' })
  @applyAll(...AUTH, COOLDOWN_429)
  async emailNewCode(
    @CurrentAccount() me: OwnerPrincipal,
    @Body() body: NewEmailCodeDto,
  ): Promise<CodeSentResponse> {
    return sent(await this.service.sendNewCode(me.accountId, 'email', body.email, body.proof));
  }

  @Put('email')
  @RequiresStepUp()
  @ApiOperation({ summary: 'Bind or change the security email with the code sent to it (CON-3, CON-4)' })
  @ApiOkResponse({ type: SecuritySettingsResponseDto })
  @ApiResponse({ status: 400, description: CODE_400 })
  @ApiResponse({ status: 409, description: 'same_as_current; concurrent_change' })
  @applyAll(...AUTH)
  async bindEmail(
    @CurrentAccount() me: OwnerPrincipal,
    @Body() body: BindEmailDto,
  ): Promise<SecuritySettingsResponse> {
    return this.service.bind(me.accountId, 'email', body.email, body.code, body.proof);
  }
}
