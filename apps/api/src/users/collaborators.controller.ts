import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ActingAccount, RequireOwner, RequirePermission } from '../permissions/permissions.decorators';
import type { Acting } from '../permissions/permissions.types';
import { CollaboratorsService } from './collaborators.service';
import {
  CollaboratorResponseDto,
  InviteCollaboratorDto,
  SetPermissionsDto,
  type CollaboratorResponse,
} from './users.dto';
import { toCollaboratorResponse } from './users.mapper';

@ApiTags('users: collaborators')
@Controller('collaborators')
export class CollaboratorsController {
  constructor(private readonly collaborators: CollaboratorsService) {}

  @Post()
  @HttpCode(201)
  @RequirePermission('users:manage')
  @ApiOperation({ summary: 'Invite an existing account as a collaborator with permissions (ACC-9, ACC-10)' })
  @ApiResponse({ status: 201, type: CollaboratorResponseDto })
  @ApiResponse({ status: 400, description: 'A field is invalid, or the account itself' })
  @ApiResponse({
    status: 409,
    description:
      'already_collaborator; cancellation_in_progress (CAN-1, with applicationId): a cancellation is open',
  })
  @ApiResponse({ status: 422, description: 'ACC-10 user_limit_reached' })
  async invite(
    @ActingAccount() acting: Acting,
    @Body() body: InviteCollaboratorDto,
  ): Promise<CollaboratorResponse> {
    return toCollaboratorResponse(await this.collaborators.invite(acting, body.accountId, body.permissions));
  }

  @Get()
  @RequirePermission('users:manage')
  @ApiOperation({ summary: 'Collaborators of the account, invited and active' })
  @ApiResponse({ status: 200, type: [CollaboratorResponseDto] })
  async list(@ActingAccount() acting: Acting): Promise<CollaboratorResponse[]> {
    return (await this.collaborators.list(acting)).map(toCollaboratorResponse);
  }

  @Put(':id/permissions')
  @RequirePermission('users:manage')
  @ApiOperation({ summary: "Replace a collaborator's permissions" })
  @ApiResponse({ status: 200, type: CollaboratorResponseDto })
  @ApiResponse({
    status: 400,
    description: 'permissions holds an unknown permission; `error.field` names it',
  })
  async setPermissions(
    @ActingAccount() acting: Acting,
    @Param('id') id: string,
    @Body() body: SetPermissionsDto,
  ): Promise<CollaboratorResponse> {
    return toCollaboratorResponse(await this.collaborators.setPermissions(acting, id, body.permissions));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('users:manage')
  @ApiOperation({ summary: 'Remove a collaborator or withdraw an invitation; frees its ACC-10 slot' })
  @ApiResponse({ status: 204, description: 'Removed' })
  async remove(@ActingAccount() acting: Acting, @Param('id') id: string): Promise<void> {
    await this.collaborators.remove(acting, id);
  }
}

@ApiTags('users: collaborators')
@Controller('collaborator-invitations')
export class CollaboratorInvitationsController {
  constructor(private readonly collaborators: CollaboratorsService) {}

  @Get()
  @RequireOwner()
  @ApiOperation({ summary: 'Invitations to, and memberships of, the signed-in account' })
  @ApiResponse({ status: 200, type: [CollaboratorResponseDto] })
  async list(@ActingAccount() acting: Acting): Promise<CollaboratorResponse[]> {
    return (await this.collaborators.invitationsOf(acting.accountId)).map(toCollaboratorResponse);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @RequireOwner()
  @ApiOperation({ summary: 'Accept an invitation: from now on act in the root account with `X-Account-Id`' })
  @ApiResponse({ status: 200, type: CollaboratorResponseDto })
  @ApiResponse({ status: 409, description: 'already_accepted' })
  async accept(@ActingAccount() acting: Acting, @Param('id') id: string): Promise<CollaboratorResponse> {
    return toCollaboratorResponse(await this.collaborators.accept(acting.accountId, id));
  }

  @Post(':id/decline')
  @HttpCode(204)
  @RequireOwner()
  @ApiOperation({ summary: 'Decline an invitation, or leave a root account' })
  @ApiResponse({ status: 204, description: 'Declined or left' })
  async decline(@ActingAccount() acting: Acting, @Param('id') id: string): Promise<void> {
    await this.collaborators.decline(acting.accountId, id);
  }
}
