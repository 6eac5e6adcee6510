import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { newId } from '../../../../libs/domain/src/ids';
import { LoginEvent, type LoginMethod, type LoginResult } from '../../../../libs/persistence/src/entities';

export interface LoginContext {
  method: LoginMethod;
  /** A sub-user's sign-in (ACC-9): recorded under its root account, apart from the owner's. */
  subUserId?: string;
  ip?: string | null;
  userAgent?: string | null;
}

/** rule ACC-13: every sign-in attempt against a known account, readable by its owner. */
@Injectable()
export class LoginHistoryService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async record(accountId: number, result: LoginResult, ctx: LoginContext): Promise<void> {
    // Written on its own (not with the caller's unit of work) so a refused attempt is still kept.
    await this.em.fork().insert(LoginEvent, {
      id: newId(),
      account: accountId,
      subUser: ctx.subUserId ?? null,
      at: this.clock.now(),
      method: ctx.method,
      result,
      ip: ctx.ip?.slice(0, 64) ?? null,
      userAgent: ctx.userAgent?.slice(0, 512) ?? null,
    });
  }

  /** Newest first: the owner's own sign-ins, or with `subUserId` that sub-user's. */
  async page(
    accountId: number,
    page: number,
    pageSize: number,
    subUserId: string | null = null,
  ): Promise<{ items: LoginEvent[]; total: number }> {
    const [items, total] = await this.em.findAndCount(
      LoginEvent,
      { account: accountId, subUser: subUserId },
      { orderBy: { at: 'desc', id: 'desc' }, limit: pageSize, offset: (page - 1) * pageSize },
    );
    return { items, total };
  }
}
