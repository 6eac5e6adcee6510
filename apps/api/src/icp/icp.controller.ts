import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { parseOr400, ApiQueryFrom } from '../common/zod';
import { ActingAccount, RequirePermission } from '../permissions/permissions.decorators';
import type { Acting } from '../permissions/permissions.types';
import {
  IcpFilingResponseDto,
  IcpTransferResponseDto,
  StartIcpTransferDto,
  transfersQuerySchema,
  type IcpFilingResponse,
  type IcpTransferResponse,
} from './icp.dto';
import { toIcpFilingResponse, toIcpTransferResponse } from './icp.mapper';
import { IcpService } from './icp.service';

@ApiTags('icp filings')
@Controller()
export class IcpController {
  constructor(private readonly icp: IcpService) {}

  @Get('icp-filings')
  @RequirePermission('assets:read')
  @ApiOperation({ summary: 'ICP filings held by the account, with any pending transfer' })
  @ApiResponse({ status: 200, type: [IcpFilingResponseDto] })
  async filings(@ActingAccount() acting: Acting): Promise<IcpFilingResponse[]> {
    return (await this.icp.filings(acting)).map((f) => toIcpFilingResponse(f.filing, f.pendingTransferId));
  }

  @Post('icp-filings/:id/transfers')
  @HttpCode(201)
  @RequirePermission('icp:manage')
  @ApiOperation({
    summary: 'Offer an ICP filing to another account; it moves when that account accepts (ACC-15)',
  })
  @ApiResponse({ status: 201, type: IcpTransferResponseDto })
  @ApiResponse({ status: 400, description: 'The target is this account' })
  @ApiResponse({ status: 409, description: 'transfer_pending: the filing already has one waiting' })
  async start(
    @ActingAccount() acting: Acting,
    @Param('id') id: string,
    @Body() body: StartIcpTransferDto,
  ): Promise<IcpTransferResponse> {
    const t = await this.icp.start(acting, id, body.targetAccountId);
    return toIcpTransferResponse(t, acting.accountId);
  }

  @Get('icp-filing-transfers')
  @RequirePermission('icp:manage')
  @ApiOperation({ summary: 'ICP filing transfers to (incoming) and from (outgoing) the account' })
  @ApiQueryFrom(transfersQuerySchema)
  @ApiResponse({ status: 200, type: [IcpTransferResponseDto] })
  @ApiResponse({ status: 400, description: 'A query parameter is invalid' })
  async transfers(@ActingAccount() acting: Acting, @Query() query: unknown): Promise<IcpTransferResponse[]> {
    const q = parseOr400(transfersQuerySchema, query);
    return (await this.icp.transfers(acting, q.direction, q.status)).map((t) =>
      toIcpTransferResponse(t, acting.accountId),
    );
  }

  @Post('icp-filing-transfers/:id/accept')
  @HttpCode(200)
  @RequirePermission('icp:manage')
  @ApiOperation({ summary: 'The target account consents: the filing moves to it (ACC-15)' })
  @ApiResponse({ status: 200, type: IcpTransferResponseDto })
  @ApiResponse({ status: 409, description: 'transfer_not_pending' })
  async accept(@ActingAccount() acting: Acting, @Param('id') id: string): Promise<IcpTransferResponse> {
    return toIcpTransferResponse(await this.icp.accept(acting, id), acting.accountId);
  }

  @Post('icp-filing-transfers/:id/decline')
  @HttpCode(200)
  @RequirePermission('icp:manage')
  @ApiOperation({ summary: 'The target account refuses: the filing stays where it is' })
  @ApiResponse({ status: 200, type: IcpTransferResponseDto })
  @ApiResponse({ status: 409, description: 'transfer_not_pending' })
  async decline(@ActingAccount() acting: Acting, @Param('id') id: string): Promise<IcpTransferResponse> {
    return toIcpTransferResponse(await this.icp.decline(acting, id), acting.accountId);
  }

  @Post('icp-filing-transfers/:id/cancel')
  @HttpCode(200)
  @RequirePermission('icp:manage')
  @ApiOperation({ summary: 'The sending account withdraws its offer' })
  @ApiResponse({ status: 200, type: IcpTransferResponseDto })
  @ApiResponse({ status: 409, description: 'transfer_not_pending' })
  async cancel(@ActingAccount() acting: Acting, @Param('id') id: string): Promise<IcpTransferResponse> {
    return toIcpTransferResponse(await this.icp.cancel(acting, id), acting.accountId);
  }
}
