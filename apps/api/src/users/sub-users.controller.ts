import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentPrincipal, Public, type Principal } from '../auth/principal';
import { ForbiddenError } from '../../../../libs/domain/src/errors';
import { SessionService } from '../auth/session.service';
import { requestMeta } from '../auth/sessions.controller';
import { ActingAccount, RequirePermission } from '../permissions/permissions.decorators';
import type { Acting } from '../permissions/permissions.types';
import {
  CreateSubUserDto,
  SetPermissionsDto,
  SubUserResponseDto,
  SubUserSessionResponseDto,
  SubUserSignInDto,
  type SubUserResponse,
  type SubUserSessionResponse,
} from './users.dto';
import { toSubUserResponse } from './users.mapper';
import { SubUserSignInService } from './sub-user-sign-in.service';
import { SubUsersService } from './sub-users.service';

@ApiTags('users: sub-users')
@Controller('sub-users')
export class SubUsersController {
  constructor(
    private readonly subUsers: SubUsersService,
    private readonly signIns: SubUserSignInService,
    private readonly sessions: SessionService,
  ) {}

  @Public()
  @Post('sessions')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Sub-user sign-in with the root account ID, username and password (ACC-9, CON-2)',
    description:
      'A fresh token per sign-in. Wrong passwords are counted per sub-user and Asia/Shanghai day: after the ' +
      '3rd every attempt needs `captcha`; the 10th locks sign-in for 24 hours from the day’s first failure.',
  })
  @ApiResponse({ status: 201, type: SubUserSessionResponseDto })
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
  async signIn(@Body() body: SubUserSignInDto, @Req() req: Request): Promise<SubUserSessionResponse> {
    return this.signIns.signIn(body, requestMeta(req));
  }

  @Delete('sessions/current')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Sub-user sign-out: ends this session' })
  @ApiResponse({ status: 204, description: 'Signed out' })
  @ApiResponse({ status: 401, description: 'No valid session' })
  @ApiResponse({ status: 403, description: 'sub_user_only: owners sign out with DELETE /sessions/current' })
  async signOut(@CurrentPrincipal() principal: Principal): Promise<void> {
    if (principal.kind !== 'sub_user')
      throw new ForbiddenError('This is a sub-user session route', 'sub_user_only');
    await this.sessions.revoke(principal.sessionId);
  }

  @Post()
  @HttpCode(201)
  @RequirePermission('users:manage')
  @ApiOperation({ summary: 'Create a sub-user with a username, password and permissions (ACC-9, ACC-10)' })
  @ApiResponse({ status: 201, type: SubUserResponseDto })
  @ApiResponse({ status: 400, description: 'A field is invalid; `error.field` names it' })
  @ApiResponse({ status: 409, description: 'username_taken' })
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

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('users:manage')
  @ApiOperation({ summary: 'Delete a sub-user; its sessions end at once and its ACC-10 slot is freed' })
  @ApiResponse({ status: 204, description: 'Deleted' })
  async delete(@ActingAccount() acting: Acting, @Param('id') id: string): Promise<void> {
    await this.subUsers.delete(acting, id);
  }
}
