import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { NotFoundError } from '../../../../libs/domain/src/errors';
import { Session } from '../../../../libs/persistence/src/entities';

/** rule ACC-14: the owner's own sessions: list, end one, end all others. Sub-user sessions are not the owner's. */
@Injectable()
export class AccountSessionsService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Live owner sessions, newest first. */
  async list(accountId: number): Promise<Session[]> {
    return this.em.find(
      Session,
      { account: accountId, subUser: null, revokedAt: null, expiresAt: { $gt: this.clock.now() } },
      { orderBy: { createdAt: 'desc', id: 'desc' } },
    );
  }

  /** Ends one live session of the account; another account's session is a 404. */
  async revoke(accountId: number, sessionId: string): Promise<void> {
    const n = await this.em.nativeUpdate(
      Session,
      {
        id: sessionId,
        account: accountId,
        subUser: null,
        revokedAt: null,
        expiresAt: { $gt: this.clock.now() },
      },
      { revokedAt: this.clock.now() },
    );
    if (n !== 1) throw new NotFoundError('Session');
  }

  /** Ends every other live owner session of the account; returns how many. */
  async revokeOthers(accountId: number, keepSessionId: string): Promise<number> {
    return this.em.nativeUpdate(
      Session,
      { account: accountId, subUser: null, id: { $ne: keepSessionId }, revokedAt: null },
      { revokedAt: this.clock.now() },
    );
  }
}
