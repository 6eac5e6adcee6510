import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, type FilterQuery } from '@mikro-orm/core';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { ConflictError, NotFoundError, ValidationError } from '../../../../libs/domain/src/errors';
import { newId } from '../../../../libs/domain/src/ids';
import { isUniqueViolation } from '../../../../libs/persistence/src/database';
import {
  Account,
  IcpFiling,
  IcpFilingTransfer,
  type IcpTransferStatus,
} from '../../../../libs/persistence/src/entities';
import type { Acting } from '../permissions/permissions.types';

/**
 * ICP filings held by an account, and their transfer to another account (ACC-15): the filing
 * changes hands only when the target account accepts; until then the source may cancel and the
 * target may decline.
 */
@Injectable()
export class IcpService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async filings(acting: Acting): Promise<Array<{ filing: IcpFiling; pendingTransferId: string | null }>> {
    const filings = await this.em.find(
      IcpFiling,
      { account: acting.accountId },
      { orderBy: { filingNumber: 'asc' } },
    );
    const pending = await this.em.find(IcpFilingTransfer, {
      filing: { $in: filings.map((f) => f.id) },
      status: 'pending',
    });
    const byFiling = new Map(pending.map((t) => [t.filing.id, t.id]));
    return filings.map((filing) => ({ filing, pendingTransferId: byFiling.get(filing.id) ?? null }));
  }

  /** ACC-15: starts a transfer; nothing moves until the target accepts. */
  async start(acting: Acting, filingId: string, targetAccountId: number): Promise<IcpFilingTransfer> {
    const filing = await this.em.findOne(IcpFiling, { id: filingId, account: acting.accountId });
    if (!filing) throw new NotFoundError('ICP filing');
    if (targetAccountId === acting.accountId) {
      throw new ValidationError(
        'targetAccountId',
        'targetAccountId: the filing is already held by this account',
      );
    }
    // ACC-11: the target must live on the same site; other sites are never looked up.
    const source = await this.em.findOneOrFail(Account, { id: acting.accountId });
    const target = await this.em.findOne(Account, {
      id: targetAccountId,
      status: 'active',
      site: source.site,
    });
    if (!target) throw new NotFoundError('Account', 'not_found', { field: 'targetAccountId' });
    const transfer = this.em.create(IcpFilingTransfer, {
      id: newId(),
      filing,
      fromAccount: this.em.getReference(Account, acting.accountId),
      toAccount: target,
      pendingKey: filing.id,
      createdAt: this.clock.now(),
    });
    try {
      await this.em.flush();
    } catch (err) {
      this.em.clear();
      if (isUniqueViolation(err)) {
        throw new ConflictError(
          'transfer_pending',
          'This filing already has a transfer waiting for an answer',
        );
      }
      throw err;
    }
    return transfer;
  }

  transfers(
    acting: Acting,
    direction?: 'incoming' | 'outgoing',
    status?: IcpTransferStatus,
  ): Promise<IcpFilingTransfer[]> {
    const sides: FilterQuery<IcpFilingTransfer>[] = [];
    if (direction !== 'outgoing') sides.push({ toAccount: acting.accountId });
    if (direction !== 'incoming') sides.push({ fromAccount: acting.accountId });
    return this.em.find(
      IcpFilingTransfer,
      { $or: sides, ...(status ? { status } : {}) },
      { populate: ['filing'], orderBy: { createdAt: 'asc', id: 'asc' } },
    );
  }

  async transfer(acting: Acting, id: string): Promise<IcpFilingTransfer> {
    const t = await this.em.findOne(
      IcpFilingTransfer,
      { id, $or: [{ toAccount: acting.accountId }, { fromAccount: acting.accountId }] },
      { populate: ['filing'] },
    );
    if (!t) throw new NotFoundError('ICP filing transfer');
    return t;
  }

  /** ACC-15: the target account's consent completes the move, in one transaction. */
  async accept(acting: Acting, id: string): Promise<IcpFilingTransfer> {
    const t = await this.transfer(acting, id);
    if (t.toAccount.id !== acting.accountId) throw new NotFoundError('ICP filing transfer');
    await this.em.transactional(async (tem) => {
      const decided = await tem.nativeUpdate(
        IcpFilingTransfer,
        { id, toAccount: acting.accountId, status: 'pending' },
        { status: 'accepted', pendingKey: null, decidedAt: this.clock.now() },
      );
      if (decided !== 1)
        throw new ConflictError('transfer_not_pending', 'This transfer was already answered or cancelled');
      const moved = await tem.nativeUpdate(
        IcpFiling,
        { id: t.filing.id, account: t.fromAccount.id },
        { account: acting.accountId },
      );
      if (moved !== 1)
        throw new ConflictError('filing_moved', 'The filing is no longer held by the sending account');
    });
    this.em.clear();
    return this.transfer(acting, id);
  }

  async decline(acting: Acting, id: string): Promise<IcpFilingTransfer> {
    return this.close(acting, id, 'incoming', 'declined');
  }

  async cancel(acting: Acting, id: string): Promise<IcpFilingTransfer> {
    return this.close(acting, id, 'outgoing', 'cancelled');
  }

  private async close(
    acting: Acting,
    id: string,
    side: 'incoming' | 'outgoing',
    status: 'declined' | 'cancelled',
  ): Promise<IcpFilingTransfer> {
    const t = await this.transfer(acting, id);
    const mine = side === 'incoming' ? t.toAccount.id : t.fromAccount.id;
    if (mine !== acting.accountId) throw new NotFoundError('ICP filing transfer');
    const changed = await this.em.nativeUpdate(
      IcpFilingTransfer,
      { id, status: 'pending' },
      { status, pendingKey: null, decidedAt: this.clock.now() },
    );
    if (changed !== 1)
      throw new ConflictError('transfer_not_pending', 'This transfer was already answered or cancelled');
    this.em.clear();
    return this.transfer(acting, id);
  }
}
