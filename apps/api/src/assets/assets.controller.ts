import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { parseOr400, ApiQueryFrom } from '../common/zod';
import { ActingAccount, RequirePermission } from '../permissions/permissions.decorators';
import type { Acting } from '../permissions/permissions.types';
import {
  ComplaintResponseDto,
  complaintsQuerySchema,
  DomainResponseDto,
  MoveResourceDto,
  ResourceAccountTransferDto,
  ResourceResponseDto,
  resourcesQuerySchema,
  type ComplaintResponse,
  type DomainResponse,
  type ResourceResponse,
} from './assets.dto';
import { toComplaintResponse, toDomainResponse, toResourceResponse } from './assets.mapper';
import { AssetsService } from './assets.service';

@ApiTags('assets')
@Controller()
export class AssetsController {
  constructor(private readonly assets: AssetsService) {}

  @Get('resources')
  @RequirePermission('resources:read')
  @ApiOperation({ summary: 'Resources in use: type, name, project, status' })
  @ApiQueryFrom(resourcesQuerySchema)
  @ApiResponse({ status: 200, type: [ResourceResponseDto] })
  @ApiResponse({ status: 400, description: 'A query parameter is invalid' })
  async resources(@ActingAccount() acting: Acting, @Query() query: unknown): Promise<ResourceResponse[]> {
    const q = parseOr400(resourcesQuerySchema, query);
    return (await this.assets.resources(acting, q.projectId, q.includeReleased)).map(toResourceResponse);
  }

  @Post('resources/:id/move')
  @HttpCode(200)
  @RequirePermission('resources:write')
  @ApiOperation({ summary: 'Move a resource to another project of the account (PRJ-4)' })
  @ApiResponse({ status: 200, type: ResourceResponseDto })
  @ApiResponse({ status: 400, description: 'projectId is missing or malformed' })
  @ApiResponse({ status: 422, description: 'PRJ-4 project_disabled: into or out of a disabled project' })
  async move(
    @ActingAccount() acting: Acting,
    @Param('id') id: string,
    @Body() body: MoveResourceDto,
  ): Promise<ResourceResponse> {
    return toResourceResponse(await this.assets.move(acting, id, body.projectId));
  }

  @Post('resources/:id/account-transfers')
  @HttpCode(422)
  @RequirePermission('resources:write')
  @ApiOperation({
    summary:
      'Move one cloud server to another account: not supported, always refused with an explanation (ACC-16)',
  })
  @ApiResponse({ status: 400, description: 'A field is invalid; `error.field` names it' })
  @ApiResponse({ status: 422, description: 'ACC-16 resource_account_transfer_unsupported; nothing changes' })
  async accountTransfer(
    @ActingAccount() acting: Acting,
    @Param('id') id: string,
    @Body() _body: ResourceAccountTransferDto,
  ): Promise<never> {
    return this.assets.refuseAccountTransfer(acting, id);
  }

  @Get('complaints')
  @RequirePermission('assets:read')
  @ApiOperation({ summary: 'Complaints made by or against the account: open, closed' })
  @ApiQueryFrom(complaintsQuerySchema)
  @ApiResponse({ status: 200, type: [ComplaintResponseDto] })
  @ApiResponse({ status: 400, description: 'A query parameter is invalid' })
  async complaints(@ActingAccount() acting: Acting, @Query() query: unknown): Promise<ComplaintResponse[]> {
    const q = parseOr400(complaintsQuerySchema, query);
    return (await this.assets.complaints(acting, q.status, q.role)).map((c) =>
      toComplaintResponse(c, acting.accountId),
    );
  }

  @Get('domains')
  @RequirePermission('assets:read')
  @ApiOperation({ summary: 'Domain names held by the account' })
  @ApiResponse({ status: 200, type: [DomainResponseDto] })
  async domains(@ActingAccount() acting: Acting): Promise<DomainResponse[]> {
    return (await this.assets.domains(acting)).map(toDomainResponse);
  }
}
