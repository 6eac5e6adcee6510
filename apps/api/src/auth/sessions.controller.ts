import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AccountSessionsService } from './account-sessions.service';
import { PasswordSignInService } from './password-sign-in.service';
import { CurrentAccount, Public, type OwnerPrincipal } from './principal';
import {
  MfaChallengeResponseDto,
  MfaSignInDto,
  RevokedResponseDto,
  SessionListDto,
  SessionResponseDto,
  SignInDto,
  StepUpDto,
  StepUpResponseDto,
  type SessionInfo,
  type SessionResponse,
} from './sessions.dto';
import { SignInService, type SignInOutcome } from './sign-in.service';
import { StepUpService } from './step-up.service';
import { RateLimited } from '../common/request-limits';

export function requestMeta(req: Request): { ip: string | null; userAgent: string | null } {
  return { ip: req.ip ?? null, userAgent: req.header('user-agent') ?? null };
}

@ApiTags('sessions')
@Controller('sessions')
export class SessionsController {
  constructor(
    private readonly passwordSignIn: PasswordSignInService,
    private readonly signIns: SignInService,
    private readonly sessions: AccountSessionsService,
    private readonly stepUp: StepUpService,
  ) {}

  @Public()
  @Post()
  @RateLimited('sign_in')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Sign in with email and password (CON-2, MFA-2)',
    description:
      'A fresh token per sign-in. With login protection on, answers 202 with an MFA challenge instead ' +
      '(complete it at POST /sessions/mfa). After the 3rd wrong password of the day (Asia/Shanghai) every ' +
      'attempt needs `captcha`; the 10th locks sign-in for 24 hours from the day’s first failure.',
  })
  @ApiResponse({ status: 201, type: SessionResponseDto, description: 'Signed in' })
  @ApiResponse({ status: 202, type: MfaChallengeResponseDto, description: 'MFA-2: a code is needed' })
  @ApiResponse({ status: 400, description: 'A field is invalid' })
  @ApiResponse({
    status: 401,
    description:
      'invalid_credentials (same for unknown account and wrong password; `captchaRequired` says whether the ' +
      'next attempt needs a captcha), captcha_required / captcha_invalid (CON-2; carries a fresh `captcha` challenge)',
  })
  @ApiResponse({
    status: 423,
    description: 'account_locked (CON-2): `lockedUntil`; says nothing about the password',
  })
  async signIn(
    @Body() body: SignInDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SignInOutcome> {
    const outcome = await this.passwordSignIn.signIn(body, requestMeta(req));
    if (outcome.kind === 'mfa_required') res.status(202);
    return outcome;
  }

  @Public()
  @Post('mfa')
  @RateLimited('sign_in')
  @HttpCode(201)
  @ApiOperation({ summary: 'Complete a protected sign-in with a code from a bound MFA device (MFA-2)' })
  @ApiResponse({ status: 201, type: SessionResponseDto })
  @ApiResponse({ status: 400, description: 'A field is invalid' })
  @ApiResponse({
    status: 401,
    description:
      'mfa_code_invalid (wrong or already used code; `attemptsLeft`), mfa_challenge_invalid (unknown, used, ' +
      'expired or out of attempts: sign in again)',
  })
  @ApiResponse({
    status: 423,
    description:
      'mfa_locked: 10 wrong MFA codes in a day lock code checks for 24 hours; account_locked: 10 wrong passwords (CON-2)',
  })
  async signInMfa(@Body() body: MfaSignInDto, @Req() req: Request): Promise<SessionResponse> {
    return this.signIns.completeMfa(body.challengeId, body.code, requestMeta(req));
  }

  @Get()
  @ApiBearerAuth()
  @ApiOperation({ summary: "The owner's live sessions, newest first; `current` marks this one (ACC-14)" })
  @ApiResponse({ status: 200, type: SessionListDto })
  @ApiResponse({ status: 401, description: 'No valid session' })
  @ApiResponse({ status: 403, description: 'owner_only: not an account owner session' })
  async list(@CurrentAccount() principal: OwnerPrincipal): Promise<{ items: SessionInfo[] }> {
    const sessions = await this.sessions.list(principal.accountId);
    return {
      items: sessions.map((s) => ({
        id: s.id,
        current: s.id === principal.sessionId,
        createdAt: s.createdAt.toISOString(),
        expiresAt: s.expiresAt.toISOString(),
        ip: s.ip ?? null,
        userAgent: s.userAgent ?? null,
      })),
    };
  }

  @Post('current/step-up')
  @RateLimited('sign_in')
  @HttpCode(201)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Re-authenticate this session: the password or an MFA code (ASVS 7.5.1, MFA-3)',
    description:
      'Sensitive changes in this session pass for the next 5 minutes. With operation protection on, only an MFA code counts. A wrong password counts toward CON-2 like a wrong sign-in.',
  })
  @ApiResponse({ status: 201, type: StepUpResponseDto })
  @ApiResponse({
    status: 400,
    description: 'mfa_code_invalid: wrong or already used code; password_invalid: wrong password',
  })
  @ApiResponse({ status: 401, description: 'No valid session' })
  @ApiResponse({ status: 403, description: 'owner_only: not an account owner session' })
  @ApiResponse({
    status: 423,
    description:
      'mfa_locked: 10 wrong MFA codes in a day lock code checks for 24 hours; account_locked: 10 wrong passwords (CON-2)',
  })
  @ApiResponse({ status: 422, description: 'mfa_device_required: no MFA device is bound' })
  async stepUpSession(
    @CurrentAccount() principal: OwnerPrincipal,
    @Body() body: StepUpDto,
  ): Promise<{ expiresAt: string; factor: string }> {
    const evidence = body.code !== undefined ? { code: body.code } : { password: body.password ?? '' };
    const { expiresAt, factor } = await this.stepUp.prove(principal, evidence);
    return { expiresAt: expiresAt.toISOString(), factor };
  }

  @Delete('current')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Sign out: ends this session' })
  @ApiResponse({ status: 204, description: 'Ended' })
  @ApiResponse({ status: 401, description: 'No valid session' })
  @ApiResponse({ status: 403, description: 'owner_only: not an account owner session' })
  async signOut(@CurrentAccount() principal: OwnerPrincipal): Promise<void> {
    await this.sessions.revoke(principal.accountId, principal.sessionId);
  }

  @Delete('others')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Ends every other session of the account (ACC-14)' })
  @ApiResponse({ status: 200, type: RevokedResponseDto })
  @ApiResponse({ status: 401, description: 'No valid session' })
  @ApiResponse({ status: 403, description: 'owner_only: not an account owner session' })
  async signOutOthers(@CurrentAccount() principal: OwnerPrincipal): Promise<{ revoked: number }> {
    return { revoked: await this.sessions.revokeOthers(principal.accountId, principal.sessionId) };
  }

  @Delete(':sessionId')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Ends one session of the account (ACC-14)' })
  @ApiResponse({ status: 204, description: 'Ended' })
  @ApiResponse({ status: 401, description: 'No valid session' })
  @ApiResponse({ status: 403, description: 'owner_only: not an account owner session' })
  @ApiResponse({ status: 404, description: 'No such live session on this account' })
  async end(
    @CurrentAccount() principal: OwnerPrincipal,
    @Param('sessionId') sessionId: string,
  ): Promise<void> {
    await this.sessions.revoke(principal.accountId, sessionId);
  }
}
