import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { parseOr400, ApiQueryFrom } from '../common/zod';
import { ActingAccount, RequirePermission } from '../permissions/permissions.decorators';
import type { Acting } from '../permissions/permissions.types';
import {
  CreateProjectDto,
  listProjectsQuerySchema,
  ProjectBillingResponseDto,
  ProjectResponseDto,
  type ProjectBillingResponse,
  type ProjectResponse,
} from './projects.dto';
import { toProjectResponse } from './projects.mapper';
import { ProjectsService } from './projects.service';

@ApiTags('projects')
@Controller('projects')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Post()
  @HttpCode(201)
  @RequirePermission('projects:write')
  @ApiOperation({ summary: 'Create a project with a name and a description (PRJ-1)' })
  @ApiResponse({ status: 201, type: ProjectResponseDto })
  @ApiResponse({ status: 400, description: 'A field is invalid; `error.field` names it' })
  @ApiResponse({ status: 409, description: 'project_name_taken (names are unique within the account)' })
  async create(@ActingAccount() acting: Acting, @Body() body: CreateProjectDto): Promise<ProjectResponse> {
    return toProjectResponse(await this.projects.create(acting, body.name, body.description));
  }

  @Get()
  @RequirePermission('projects:read')
  @ApiOperation({ summary: 'Projects of the account; disabled ones only with includeDisabled=true (PRJ-3)' })
  @ApiQueryFrom(listProjectsQuerySchema)
  @ApiResponse({ status: 200, type: [ProjectResponseDto] })
  @ApiResponse({ status: 400, description: 'includeDisabled is not true/false' })
  async list(@ActingAccount() acting: Acting, @Query() query: unknown): Promise<ProjectResponse[]> {
    const { includeDisabled } = parseOr400(listProjectsQuerySchema, query);
    return (await this.projects.list(acting, includeDisabled)).map(toProjectResponse);
  }

  @Get(':id')
  @RequirePermission('projects:read')
  @ApiOperation({ summary: 'One project, disabled or not' })
  @ApiResponse({ status: 200, type: ProjectResponseDto })
  async get(@ActingAccount() acting: Acting, @Param('id') id: string): Promise<ProjectResponse> {
    return toProjectResponse(await this.projects.get(acting, id));
  }

  @Post(':id/disable')
  @HttpCode(200)
  @RequirePermission('projects:write')
  @ApiOperation({ summary: 'Disable a project (PRJ-2: projects are never deleted)' })
  @ApiResponse({ status: 200, type: ProjectResponseDto })
  @ApiResponse({
    status: 422,
    description: 'PRJ-4 project_holds_resources: lists the resources to move to other projects first',
  })
  async disable(@ActingAccount() acting: Acting, @Param('id') id: string): Promise<ProjectResponse> {
    return toProjectResponse(await this.projects.disable(acting, id));
  }

  @Post(':id/enable')
  @HttpCode(200)
  @RequirePermission('projects:write')
  @ApiOperation({ summary: 'Enable a disabled project again (PRJ-3)' })
  @ApiResponse({ status: 200, type: ProjectResponseDto })
  async enable(@ActingAccount() acting: Acting, @Param('id') id: string): Promise<ProjectResponse> {
    return toProjectResponse(await this.projects.enable(acting, id));
  }

  @Get(':id/billing-records')
  @RequirePermission('billing:read')
  @ApiOperation({
    summary: "A project's charges, refunds and orders; still there once it is disabled (PRJ-5)",
  })
  @ApiResponse({ status: 200, type: ProjectBillingResponseDto })
  async billingRecords(
    @ActingAccount() acting: Acting,
    @Param('id') id: string,
  ): Promise<ProjectBillingResponse> {
    return this.projects.billingRecords(acting, id);
  }
}
