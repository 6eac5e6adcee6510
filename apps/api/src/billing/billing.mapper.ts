import type { LedgerEntry, Order, OwedAmount, Voucher } from '../../../../libs/persistence/src/entities';
import type { LedgerEntryResponse, OrderResponse, VoucherResponse } from './billing.dto';

export function voucherStatus(v: Voucher, now: Date): VoucherResponse['status'] {
  if (v.usedAt) return 'used';
  return v.expiresAt.getTime() <= now.getTime() ? 'expired' : 'unused';
}

export function toLedgerEntryResponse(e: LedgerEntry): LedgerEntryResponse {
  return {
    id: e.id,
    kind: e.kind,
    amountFen: e.amountFen,
    projectId: e.project?.id ?? null,
    description: e.description,
    reference: e.reference ?? null,
    createdAt: e.createdAt.toISOString(),
  };
}

export function toVoucherResponse(v: Voucher, now: Date): VoucherResponse {
  return {
    id: v.id,
    description: v.description,
    amountFen: v.amountFen,
    status: voucherStatus(v, now),
    expiresAt: v.expiresAt.toISOString(),
    usedAt: v.usedAt?.toISOString() ?? null,
    createdAt: v.createdAt.toISOString(),
  };
}

export function toOrderResponse(o: Order): OrderResponse {
  return {
    id: o.id,
    projectId: o.project?.id ?? null,
    description: o.description,
    amountFen: o.amountFen,
    status: o.status,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}

export function toOwedAmountResponse(o: OwedAmount) {
  return {
    id: o.id,
    projectId: o.project?.id ?? null,
    description: o.description,
    amountFen: o.amountFen,
    settledAt: o.settledAt?.toISOString() ?? null,
    createdAt: o.createdAt.toISOString(),
  };
}
