import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { RateLimitedError } from '../../../../libs/domain/src/errors';
import { newId } from '../../../../libs/domain/src/ids';
import { RateLimitHit } from '../../../../libs/persistence/src/entities';

/**
 * A sliding-window limit kept in the database (`rate_limit_hits`), so every API process shares
 * one window and a restart does not reset it. Insert first, then count: a burst can never get
 * more than `limit` requests through in any window (at worst a racing request is refused that
 * could have passed). A refused request does not count against the client.
 */
@Injectable()
export class RateLimiter {
  constructor(
    private readonly em: EntityManager,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async hit(bucket: string, clientKey: string, limit: number, windowMs: number): Promise<void> {
    const now = this.clock.now();
    const since = new Date(now.getTime() - windowMs);
    const key = clientKey.slice(0, 128);
    await this.em.nativeDelete(RateLimitHit, { bucket, clientKey: key, at: { $lte: since } });
    const id = newId();
    await this.em.insert(RateLimitHit, { id, bucket, clientKey: key, at: now });
    const inWindow = await this.em.find(
      RateLimitHit,
      { bucket, clientKey: key, at: { $gt: since } },
      { orderBy: { at: 'asc', id: 'asc' }, fields: ['id', 'at'] },
    );
    if (inWindow.length <= limit) return;
    await this.em.nativeDelete(RateLimitHit, { id });
    const oldest = inWindow[0];
    const retryAfterMs = Math.max(1000, oldest.at.getTime() + windowMs - now.getTime());
    throw new RateLimitedError(Math.ceil(retryAfterMs / 1000), 'Too many look-ups; try again later');
  }
}
