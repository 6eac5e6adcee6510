import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Public, type Principal, type SubUserPrincipal } from '../auth/principal';
import { ForbiddenError } from '../../../../libs/domain/src/errors';
import { SessionService } from '../auth/session.service';
import { LoginHistoryService } from '../auth/login-history.service';
import { LoginHistoryPageDto } from '../auth/security.controller';
import { requestMeta } from '../auth/sessions.controller';
import { parseOr400, ApiQueryFrom } from '../common/zod';
import { MfaChallengeResponseDto, MfaSignInDto } from '../auth/sessions.dto';
import {
  ConfirmDeviceDto,
  CreateVirtualDeviceDto,
  DeviceDto,
  NewVirtualDto,
  type DeviceResponse,
  type NewVirtualResponse,
} from '../mfa/mfa.dto';
import { toDeviceResponse } from '../mfa/mfa.mapper';
import { ActingAccount, RequirePermission } from '../permissions/permissions.decorators';
import type { Acting } from '../permissions/permissions.types';
import {
  CreateSubUserDto,
  loginHistoryQuerySchema,
  SetPermissionsDto,
  SubUserResponseDto,
  SubUserSessionResponseDto,
  SubUserMfaDto,
  SubUserSignInDto,
  type SubUserMfaResponse,
  type SubUserResponse,
  type SubUserSessionResponse,
} from './users.dto';
import { toSubUserResponse } from './users.mapper';
import { SubUserMfaService } from './sub-user-mfa.service';
import { SubUserSignInService, type SubUserSignInOutcome } from './sub-user-sign-in.service';
import { SubUsersService } from './sub-users.service';
import { RateLimited } from '../common/request-limits';

/** Routes for the sub-user itself (sign-out, its own MFA): any other principal gets 403. */
function subUserOnly(principal: Principal): SubUserPrincipal {
  if (principal.kind !== 'sub_user')
    throw new ForbiddenError('This is a sub-user session route', 'sub_user_only');
  return principal;
}

@ApiTags('users: sub-users')
@Controller('sub-users')
export class SubUsersController {
  constructor(
    private readonly subUsers: SubUsersService,
    private readonly signIns: SubUserSignInService,
    private readonly mfa: SubUserMfaService,
    private readonly history: LoginHistoryService,
    private readonly sessions: SessionService,
  ) {}

  @Public()
  @Post('sessions')
  @RateLimited('sign_in')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Sub-user sign-in with the root account ID, username and password (ACC-9, CON-2)',
    description:
      'A fresh token per sign-in. Wrong passwords are counted per sub-user and Asia/Shanghai day: after the ' +
      '3rd every attempt needs `captcha`; the 10th locks sign-in for 24 hours from the day’s first failure.',
  })
  @ApiResponse({ status: 201, type: SubUserSessionResponseDto })
  @ApiResponse({
    status: 202,
    type: MfaChallengeResponseDto,
    description: 'MFA-2: the sub-user has its own device bound; complete at POST /sub-users/sessions/mfa',
  })
  @ApiResponse({ status: 400, description: 'A field is invalid; `error.field` names it' })
  @ApiResponse({
    status: 401,
    description:
      'invalid_credentials (same answer for every wrong part; `captchaRequired` says whether the next attempt ' +
      'needs a captcha), captcha_required / captcha_invalid (CON-2 per sub-user; carries a fresh `captcha`)',
  })
  @ApiResponse({
    status: 423,
    description: 'account_locked (CON-2 per sub-user): `lockedUntil`; says nothing about the password',
  })
  async signIn(
    @Body() body: SubUserSignInDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SubUserSignInOutcome> {
    const outcome = await this.signIns.signIn(body, requestMeta(req));
    if (outcome.kind === 'mfa_required') res.status(202);
    return outcome;
  }

  @Public()
  @Post('sessions/mfa')
  @RateLimited('sign_in')
  @HttpCode(201)
  @ApiOperation({ summary: "Complete a sub-user's sign-in with a code from its own MFA device (MFA-2)" })
  @ApiResponse({ status: 201, type: SubUserSessionResponseDto })
  @ApiResponse({ status: 400, description: 'A field is invalid' })
  @ApiResponse({
    status: 401,
    description:
      'mfa_code_invalid (wrong or already used code; `attemptsLeft`), mfa_challenge_invalid (unknown, used, ' +
      'expired or out of attempts: sign in again)',
  })
  @ApiResponse({
    status: 423,
    description: "mfa_locked: 10 wrong codes in a day lock the sub-user's code checks for 24 hours",
  })
  async signInMfa(@Body() body: MfaSignInDto, @Req() req: Request): Promise<SubUserSessionResponse> {
    return this.signIns.completeMfa(body.challengeId, body.code, requestMeta(req));
  }

  @Delete('sessions/current')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Sub-user sign-out: ends this session' })
  @ApiResponse({ status: 204, description: 'Signed out' })
  @ApiResponse({ status: 401, description: 'No valid session' })
  @ApiResponse({ status: 403, description: 'sub_user_only: owners sign out with DELETE /sessions/current' })
  async signOut(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.sessions.revoke(subUserOnly(principal).sessionId);
  }

  @Get('me/mfa')
  @ApiBearerAuth()
  @ApiOperation({ summary: "The signed-in sub-user's own MFA device and whether sign-in needs a code" })
  @ApiResponse({ status: 200, type: SubUserMfaDto })
  @ApiResponse({ status: 401, description: 'No valid session' })
  @ApiResponse({ status: 403, description: 'sub_user_only: owners use GET /mfa' })
  async ownMfa(@CurrentPrincipal() principal: Principal): Promise<SubUserMfaResponse> {
    const device = await this.mfa.device(subUserOnly(principal));
    return {
      loginProtection: device?.confirmedAt != null,
      device: device ? toDeviceResponse(device) : null,
    };
  }

  @Post('me/mfa/device')
  @HttpCode(201)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Start binding the sub-user’s own virtual MFA device (MFA-1)',
    description:
      'Returns the secret and an otpauth URI once; bind by confirming a first code (MFA-4). Replaces a pending ' +
      'device; a bound one is reset by the root account (DELETE /sub-users/{id}/mfa).',
  })
  @ApiResponse({ status: 201, type: NewVirtualDto })
  @ApiResponse({ status: 400, description: 'A field is invalid' })
  @ApiResponse({ status: 401, description: 'No valid session' })
  @ApiResponse({ status: 403, description: 'sub_user_only: owners use POST /mfa/devices/virtual' })
  @ApiResponse({ status: 409, description: 'mfa_device_already_bound' })
  async createOwnDevice(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateVirtualDeviceDto,
  ): Promise<NewVirtualResponse> {
    const r = await this.mfa.createVirtual(subUserOnly(principal), body.name);
    return { device: toDeviceResponse(r.device), secret: r.secret, otpauthUri: r.otpauthUri };
  }

  @Post('me/mfa/device/confirm')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Bind the pending device by proving a first code from it (MFA-4); sign-in then needs a code (MFA-2)',
  })
  @ApiResponse({ status: 200, type: DeviceDto })
  @ApiResponse({ status: 400, description: 'mfa_code_invalid: wrong or already used code' })
  @ApiResponse({ status: 401, description: 'No valid session' })
  @ApiResponse({ status: 403, description: 'sub_user_only' })
  @ApiResponse({ status: 404, description: 'No pending device' })
  @ApiResponse({ status: 409, description: 'mfa_device_already_bound' })
  async confirmOwnDevice(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ConfirmDeviceDto,
  ): Promise<DeviceResponse> {
    return toDeviceResponse(await this.mfa.confirm(subUserOnly(principal), body.code));
  }

  @Post()
  @HttpCode(201)
  @RequirePermission('users:manage')
  @ApiOperation({ summary: 'Create a sub-user with a username, password and permissions (ACC-9, ACC-10)' })
  @ApiResponse({ status: 201, type: SubUserResponseDto })
  @ApiResponse({ status: 400, description: 'A field is invalid; `error.field` names it' })
  @ApiResponse({
    status: 409,
    description:
      'username_taken; cancellation_in_progress (CAN-1, with applicationId): a cancellation is open',
  })
  @ApiResponse({ status: 422, description: 'ACC-10 user_limit_reached: 1000 sub-users and collaborators' })
  async create(@ActingAccount() acting: Acting, @Body() body: CreateSubUserDto): Promise<SubUserResponse> {
    return toSubUserResponse(await this.subUsers.create(acting, body));
  }

  @Get()
  @RequirePermission('users:manage')
  @ApiOperation({ summary: 'The sub-users of the account' })
  @ApiResponse({ status: 200, type: [SubUserResponseDto] })
  async list(@ActingAccount() acting: Acting): Promise<SubUserResponse[]> {
    return (await this.subUsers.list(acting)).map(toSubUserResponse);
  }

  @Get(':id')
  @RequirePermission('users:manage')
  @ApiOperation({ summary: 'One sub-user' })
  @ApiResponse({ status: 200, type: SubUserResponseDto })
  async get(@ActingAccount() acting: Acting, @Param('id') id: string): Promise<SubUserResponse> {
    return toSubUserResponse(await this.subUsers.get(acting, id));
  }

  @Put(':id/permissions')
  @RequirePermission('users:manage')
  @ApiOperation({ summary: "Replace a sub-user's permissions (takes effect on its next request)" })
  @ApiResponse({ status: 200, type: SubUserResponseDto })
  @ApiResponse({ status: 400, description: 'An unknown permission' })
  async setPermissions(
    @ActingAccount() acting: Acting,
    @Param('id') id: string,
    @Body() body: SetPermissionsDto,
  ): Promise<SubUserResponse> {
    return toSubUserResponse(await this.subUsers.setPermissions(acting, id, body.permissions));
  }

  @Get(':id/login-history')
  @RequirePermission('users:manage')
  @ApiOperation({ summary: "A sub-user's sign-in attempts, newest first (ACC-13 for sub-users)" })
  @ApiQueryFrom(loginHistoryQuerySchema)
  @ApiResponse({ status: 200, type: LoginHistoryPageDto })
  @ApiResponse({ status: 400, description: 'page or pageSize invalid' })
  async loginHistory(
    @ActingAccount() acting: Acting,
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
  ): Promise<LoginHistoryPageDto> {
    const { page, pageSize } = parseOr400(loginHistoryQuerySchema, query);
    const subUser = await this.subUsers.get(acting, id);
    const { items, total } = await this.history.page(acting.accountId, page, pageSize, subUser.id);
    return {
      items: items.map((e) => ({
        at: e.at.toISOString(),
        ip: e.ip ?? null,
        userAgent: e.userAgent ?? null,
        method: e.method,
        result: e.result,
      })),
      page,
      pageSize,
      total,
    };
  }

  @Delete(':id/mfa')
  @HttpCode(204)
  @RequirePermission('users:manage')
  @ApiOperation({
    summary: "Reset a sub-user's MFA: unbinds its devices, so it signs in with its password alone (ACC-9)",
    description: 'A sub-user that lost its device is helped by its root account, not through an appeal.',
  })
  @ApiResponse({ status: 204, description: 'Reset' })
  async resetMfa(@ActingAccount() acting: Acting, @Param('id') id: string): Promise<void> {
    await this.mfa.reset(acting, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('users:manage')
  @ApiOperation({ summary: 'Delete a sub-user; its sessions end at once and its ACC-10 slot is freed' })
  @ApiResponse({ status: 204, description: 'Deleted' })
  async delete(@ActingAccount() acting: Acting, @Param('id') id: string): Promise<void> {
    await this.subUsers.delete(acting, id);
  }
}
