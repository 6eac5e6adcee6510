import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { NotFoundError } from '../../../../libs/domain/src/errors';
import { newId } from '../../../../libs/domain/src/ids';
import { Account, MessageReceiver } from '../../../../libs/persistence/src/entities';
import type { Acting } from '../permissions/permissions.types';

/** Message receivers (ACC-9): name and contact details; they never sign in and hold no ACC-10 slot. */
@Injectable()
export class MessageReceiversService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(
    acting: Acting,
    input: { name: string; email?: string; phone?: string },
  ): Promise<MessageReceiver> {
    const r = this.em.create(MessageReceiver, {
      id: newId(),
      account: this.em.getReference(Account, acting.accountId),
      name: input.name,
      email: input.email ?? null,
      phone: input.phone ?? null,
      createdAt: this.clock.now(),
    });
    await this.em.flush();
    return r;
  }

  list(acting: Acting): Promise<MessageReceiver[]> {
    return this.em.find(
      MessageReceiver,
      { account: acting.accountId },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
  }

  async delete(acting: Acting, id: string): Promise<void> {
    const gone = await this.em.nativeDelete(MessageReceiver, { id, account: acting.accountId });
    if (gone !== 1) throw new NotFoundError('Message receiver');
  }
}
