import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { NotFoundError } from '../../../../libs/domain/src/errors';
import { newId } from '../../../../libs/domain/src/ids';
import { assertNoOpenCancellation } from '../../../../libs/persistence/src/cancellation/freeze';
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
    return this.em.transactional(async (tem) => {
      // rule CAN-1: no new message receiver while a cancellation application is open.
      await assertNoOpenCancellation(tem, acting.accountId);
      const r = tem.create(MessageReceiver, {
        id: newId(),
        account: tem.getReference(Account, acting.accountId),
        name: input.name,
        email: input.email ?? null,
        phone: input.phone ?? null,
        createdAt: this.clock.now(),
      });
      await tem.flush();
      return r;
    });
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
