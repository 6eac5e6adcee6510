import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { parseOr400, ApiQueryFrom } from '../common/zod';
import { ActingAccount, RequirePermission } from '../permissions/permissions.decorators';
import type { Acting } from '../permissions/permissions.types';
import {
  AmountsOwedResponseDto,
  BalanceResponseDto,
  LedgerEntryResponseDto,
  ledgerQuerySchema,
  OrderResponseDto,
  orderStatusSchema,
  owedQuerySchema,
  statusQuery,
  VoucherResponseDto,
  voucherStatusSchema,
  WithdrawalDto,
  WithdrawalResponseDto,
  type AmountsOwedResponse,
  type BalanceResponse,
  type LedgerEntryResponse,
  type OrderResponse,
  type VoucherResponse,
  type WithdrawalResponse,
} from './billing.dto';
import { toLedgerEntryResponse, toOrderResponse, toVoucherResponse } from './billing.mapper';
import { BillingService } from './billing.service';
import { LedgerService } from './ledger.service';

@ApiTags('billing')
@Controller()
export class BillingController {
  constructor(
    private readonly ledger: LedgerService,
    private readonly billing: BillingService,
  ) {}

  @Get('balance')
  @RequirePermission('billing:read')
  @ApiOperation({ summary: 'Cash balance in fen: the sum of the ledger' })
  @ApiResponse({ status: 200, type: BalanceResponseDto })
  async balance(@ActingAccount() acting: Acting): Promise<BalanceResponse> {
    return {
      accountId: acting.accountId,
      balanceFen: await this.ledger.balance(acting.accountId),
      currency: 'CNY',
    };
  }

  @Get('ledger-entries')
  @RequirePermission('billing:read')
  @ApiOperation({ summary: 'Ledger entries (recharge, withdrawal, charge, refund), newest first' })
  @ApiQueryFrom(ledgerQuerySchema)
  @ApiResponse({ status: 200, type: [LedgerEntryResponseDto] })
  @ApiResponse({ status: 400, description: 'limit out of range' })
  async entries(@ActingAccount() acting: Acting, @Query() query: unknown): Promise<LedgerEntryResponse[]> {
    const { limit } = parseOr400(ledgerQuerySchema, query);
    return (await this.ledger.entries(acting.accountId, limit)).map(toLedgerEntryResponse);
  }

  @Post('withdrawals')
  @HttpCode(201)
  @RequirePermission('billing:write')
  @ApiOperation({ summary: 'Withdraw from the balance; never more than the balance, even under concurrency' })
  @ApiResponse({ status: 201, type: WithdrawalResponseDto })
  @ApiResponse({ status: 400, description: 'amountFen is not a positive integer' })
  @ApiResponse({ status: 409, description: 'insufficient_balance' })
  async withdraw(@ActingAccount() acting: Acting, @Body() body: WithdrawalDto): Promise<WithdrawalResponse> {
    const r = await this.ledger.post(acting.accountId, {
      kind: 'withdrawal',
      amountFen: body.amountFen,
      description: body.description,
    });
    return { entry: toLedgerEntryResponse(r.entry), balanceFen: r.balanceFen };
  }

  @Get('vouchers')
  @RequirePermission('billing:read')
  @ApiOperation({ summary: 'Vouchers: unused, used, expired' })
  @ApiQueryFrom(statusQuery(voucherStatusSchema))
  @ApiResponse({ status: 200, type: [VoucherResponseDto] })
  @ApiResponse({ status: 400, description: 'Unknown status' })
  async vouchers(@ActingAccount() acting: Acting, @Query() query: unknown): Promise<VoucherResponse[]> {
    const { status } = parseOr400(statusQuery(voucherStatusSchema), query);
    const now = this.billing.now();
    return (await this.billing.vouchers(acting, status)).map((v) => toVoucherResponse(v, now));
  }

  @Get('orders')
  @RequirePermission('billing:read')
  @ApiOperation({ summary: 'Orders: unpaid, in progress, complete' })
  @ApiQueryFrom(statusQuery(orderStatusSchema))
  @ApiResponse({ status: 200, type: [OrderResponseDto] })
  @ApiResponse({ status: 400, description: 'Unknown status' })
  async orders(@ActingAccount() acting: Acting, @Query() query: unknown): Promise<OrderResponse[]> {
    const { status } = parseOr400(statusQuery(orderStatusSchema), query);
    return (await this.billing.orders(acting, status)).map(toOrderResponse);
  }

  @Get('amounts-owed')
  @RequirePermission('billing:read')
  @ApiOperation({ summary: 'Amounts owed and their total (settled ones with includeSettled=true)' })
  @ApiQueryFrom(owedQuerySchema)
  @ApiResponse({ status: 200, type: AmountsOwedResponseDto })
  @ApiResponse({ status: 400, description: 'includeSettled is not true/false' })
  async owed(@ActingAccount() acting: Acting, @Query() query: unknown): Promise<AmountsOwedResponse> {
    const { includeSettled } = parseOr400(owedQuerySchema, query);
    return this.billing.amountsOwed(acting, includeSettled);
  }
}
