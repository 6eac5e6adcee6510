import { applyDecorators, Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { assertNoOpenCancellation } from '../../../../libs/persistence/src/cancellation/freeze';
import { Public } from '../auth/principal';
import { toComplaintResponse, toDomainResponse, toResourceResponse } from '../assets/assets.mapper';
import {
  toLedgerEntryResponse,
  toOrderResponse,
  toOwedAmountResponse,
  toVoucherResponse,
} from '../billing/billing.mapper';
import { LedgerService } from '../billing/ledger.service';
import { parseOr400 } from '../common/zod';
import { toIcpFilingResponse } from '../icp/icp.mapper';
import { AdminTokenGuard } from './admin-token.guard';
import {
  AdminComplaintDto,
  AdminDomainDto,
  AdminIcpFilingDto,
  AdminLedgerDto,
  AdminOrderDto,
  AdminOrderStatusDto,
  AdminOwedDto,
  AdminResourceDto,
  AdminResourceStatusDto,
  AdminVoucherDto,
  CreatedDto,
} from './admin-sandbox.dto';
import { AdminSandboxService } from './admin-sandbox.service';

const CANCELLATION_409 = {
  409: 'cancellation_in_progress (CAN-1, with applicationId): the account has an open cancellation application',
};

const accountIdParam = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

function AdminOp(summary: string, status: 200 | 201, errors: Record<number, string> = {}): MethodDecorator {
  return applyDecorators(
    HttpCode(status),
    ApiOperation({ summary }),
    ApiResponse({ status, type: CreatedDto }),
    ApiResponse({ status: 400, description: 'A field is invalid; `error.field` names it' }),
    ApiResponse({
      status: 401,
      description: 'admin_token_required: no operator session and no valid X-Admin-Token',
    }),
    ApiResponse({ status: 403, description: 'staff_role_required: a staff session of another role' }),
    ApiResponse({ status: 404, description: 'The account (or project, or record) does not exist' }),
    ...Object.entries(errors).map(([s, description]) => ApiResponse({ status: Number(s), description })),
  );
}

/**
 * Operators set up any state for an account: ledger entries, vouchers, orders, amounts owed,
 * complaints, resources, domains, ICP filings. Mounted only when SANDBOX_ADMIN_API=true.
 */
@ApiTags('sandbox admin (operators, off unless configured)')
@ApiHeader({
  name: 'X-Admin-Token',
  required: false,
  description: 'SANDBOX_ADMIN_TOKEN; not needed with an operator staff session (Bearer stf_…)',
})
@Public()
@UseGuards(AdminTokenGuard)
@Controller('admin-sandbox')
export class AdminSandboxController {
  constructor(
    private readonly admin: AdminSandboxService,
    private readonly ledger: LedgerService,
  ) {}

  private accountId(raw: string): number {
    return parseOr400(accountIdParam, raw, 'accountId');
  }

  private async post(raw: string, kind: 'recharge' | 'charge' | 'refund', body: AdminLedgerDto) {
    const accountId = this.accountId(raw);
    await this.admin.account(accountId);
    // rule CAN-1: a recharge (standing in for the payment system) would leave a cash balance, so
    // none lands while a cancellation application is open. Charges and refunds settle what
    // exists and are not refused.
    const guard =
      kind === 'recharge' ? (tem: EntityManager) => assertNoOpenCancellation(tem, accountId) : undefined;
    const r = await this.ledger.post(accountId, { kind, ...body }, guard);
    return { ...toLedgerEntryResponse(r.entry), balanceFen: r.balanceFen };
  }

  @Post('accounts/:accountId/recharges')
  @AdminOp('Credit the balance (a recharge landed)', 201, CANCELLATION_409)
  recharge(@Param('accountId') a: string, @Body() body: AdminLedgerDto) {
    return this.post(a, 'recharge', body);
  }

  @Post('accounts/:accountId/charges')
  @AdminOp('Charge the balance (optionally for a project)', 201, { 409: 'insufficient_balance' })
  charge(@Param('accountId') a: string, @Body() body: AdminLedgerDto) {
    return this.post(a, 'charge', body);
  }

  @Post('accounts/:accountId/refunds')
  @AdminOp('Refund to the balance (optionally for a project)', 201)
  refund(@Param('accountId') a: string, @Body() body: AdminLedgerDto) {
    return this.post(a, 'refund', body);
  }

  @Post('accounts/:accountId/vouchers')
  @AdminOp('Give the account a voucher', 201, CANCELLATION_409)
  async voucher(@Param('accountId') a: string, @Body() body: AdminVoucherDto) {
    const v = await this.admin.voucher(this.accountId(a), body);
    return toVoucherResponse(v, this.admin.now());
  }

  @Post('vouchers/:id/use')
  @AdminOp('Mark a voucher used', 200)
  async useVoucher(@Param('id') id: string) {
    const v = await this.admin.useVoucher(id);
    return toVoucherResponse(v, this.admin.now());
  }

  @Post('accounts/:accountId/orders')
  @AdminOp('Create an order (unpaid, in progress or complete)', 201, CANCELLATION_409)
  async order(@Param('accountId') a: string, @Body() body: AdminOrderDto) {
    return toOrderResponse(await this.admin.order(this.accountId(a), body));
  }

  @Post('orders/:id/status')
  @AdminOp("Set an order's status", 200)
  async orderStatus(@Param('id') id: string, @Body() body: AdminOrderStatusDto) {
    return toOrderResponse(await this.admin.setOrderStatus(id, body.status));
  }

  @Post('accounts/:accountId/owed-amounts')
  @AdminOp('Record an amount the account owes', 201)
  async owed(@Param('accountId') a: string, @Body() body: AdminOwedDto) {
    return toOwedAmountResponse(await this.admin.owed(this.accountId(a), body));
  }

  @Post('owed-amounts/:id/settle')
  @AdminOp('Mark an amount owed as settled', 200)
  async settle(@Param('id') id: string) {
    return toOwedAmountResponse(await this.admin.settleOwed(id));
  }

  @Post('complaints')
  @AdminOp('Open a complaint by and/or against accounts', 201)
  async complaint(@Body() body: AdminComplaintDto) {
    const c = await this.admin.complaint(body);
    return toComplaintResponse(c, c.complainant?.id ?? c.respondent?.id ?? 0);
  }

  @Post('complaints/:id/close')
  @AdminOp('Close a complaint', 200)
  async closeComplaint(@Param('id') id: string) {
    const c = await this.admin.closeComplaint(id);
    return toComplaintResponse(c, c.complainant?.id ?? c.respondent?.id ?? 0);
  }

  @Post('accounts/:accountId/resources')
  @AdminOp('Create a resource (type, name, project, status)', 201, CANCELLATION_409)
  async resource(@Param('accountId') a: string, @Body() body: AdminResourceDto) {
    return toResourceResponse(await this.admin.resource(this.accountId(a), body));
  }

  @Post('resources/:id/status')
  @AdminOp("Set a resource's status (release it, …)", 200)
  async resourceStatus(@Param('id') id: string, @Body() body: AdminResourceStatusDto) {
    return toResourceResponse(await this.admin.setResourceStatus(id, body.status));
  }

  @Post('accounts/:accountId/domains')
  @AdminOp('Give the account a domain name', 201, { 409: 'domain_taken' })
  async domain(@Param('accountId') a: string, @Body() body: AdminDomainDto) {
    return toDomainResponse(await this.admin.domain(this.accountId(a), body.name));
  }

  @Post('accounts/:accountId/icp-filings')
  @AdminOp('Give the account an ICP filing', 201, { 409: 'filing_taken' })
  async icpFiling(@Param('accountId') a: string, @Body() body: AdminIcpFilingDto) {
    return toIcpFilingResponse(await this.admin.icpFiling(this.accountId(a), body.filingNumber), null);
  }
}
