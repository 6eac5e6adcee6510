import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, type FilterQuery } from '@mikro-orm/core';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { Order, OwedAmount, Voucher, type OrderStatus } from '../../../../libs/persistence/src/entities';
import type { Acting } from '../permissions/permissions.types';
import type { AmountsOwedResponse, VoucherResponse } from './billing.dto';
import { toOwedAmountResponse } from './billing.mapper';

/** Vouchers, orders and amounts owed: facts account cancellation (CAN-1) checks. */
@Injectable()
export class BillingService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  now(): Date {
    return this.clock.now();
  }

  /** Vouchers by status; expiry is judged by the Clock at the time of asking. */
  vouchers(acting: Acting, status?: VoucherResponse['status']): Promise<Voucher[]> {
    const now = this.clock.now();
    const where: FilterQuery<Voucher> = { account: acting.accountId };
    if (status === 'used') Object.assign(where, { usedAt: { $ne: null } });
    if (status === 'expired') Object.assign(where, { usedAt: null, expiresAt: { $lte: now } });
    if (status === 'unused') Object.assign(where, { usedAt: null, expiresAt: { $gt: now } });
    return this.em.find(Voucher, where, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  orders(acting: Acting, status?: OrderStatus): Promise<Order[]> {
    return this.em.find(
      Order,
      { account: acting.accountId, ...(status ? { status } : {}) },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
  }

  async amountsOwed(acting: Acting, includeSettled: boolean): Promise<AmountsOwedResponse> {
    const all = await this.em.find(
      OwedAmount,
      { account: acting.accountId, ...(includeSettled ? {} : { settledAt: null }) },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    const totalOwedFen = all.filter((o) => !o.settledAt).reduce((sum, o) => sum + o.amountFen, 0);
    return { totalOwedFen, items: all.map(toOwedAmountResponse) };
  }
}
