import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, raw } from '@mikro-orm/core';
import { BusinessCalendar } from '../../../../libs/domain/src/business-days';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { newId, sha256Hex } from '../../../../libs/domain/src/ids';
import { isUniqueViolation } from '../../../../libs/persistence/src/database';
import { SignInFailureDay } from '../../../../libs/persistence/src/entities';
import { lockUntilAfter } from './sign-in-protection';

/**
 * rule CON-2: counts wrong passwords per sign-in subject and Asia/Shanghai calendar day, and
 * locks the subject at the 10th. Known accounts are counted by account ID; unknown identifiers by
 * their hash, the same way, so the answers never tell the two apart.
 */
@Injectable()
export class SignInProtectionService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  static accountSubject(accountId: number | string): string {
    return `account:${accountId}`;
  }

  static unknownSubject(identifier: string): string {
    return `unknown:${sha256Hex(identifier).slice(0, 64)}`;
  }

  /** The end of the subject's current lock, or null. */
  async lockedUntil(subject: string): Promise<Date | null> {
    const row = await this.em.findOne(
      SignInFailureDay,
      { subject, lockedUntil: { $gt: this.clock.now() } },
      { orderBy: { lockedUntil: 'desc' } },
    );
    return row?.lockedUntil ?? null;
  }

  async failuresToday(subject: string): Promise<number> {
    const row = await this.em.findOne(SignInFailureDay, {
      subject,
      localDate: BusinessCalendar.localDate(this.clock.now()),
    });
    return row?.failures ?? 0;
  }

  /** Counts one wrong password; returns the day's count and, from the 10th, the lock's end. */
  async recordFailure(subject: string): Promise<{ failures: number; lockedUntil: Date | null }> {
    const now = this.clock.now();
    const localDate = BusinessCalendar.localDate(now);
    const em = this.em.fork();
    try {
      await em.insert(SignInFailureDay, {
        id: newId(),
        subject,
        localDate,
        failures: 1,
        firstFailureAt: now,
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // Concurrent attempts each add one: the increment happens in the database.
      await em.nativeUpdate(SignInFailureDay, { subject, localDate }, { failures: raw('failures + 1') });
    }
    const row = await em.findOneOrFail(SignInFailureDay, { subject, localDate }, { refresh: true });
    const lockedUntil = lockUntilAfter(row.failures, row.firstFailureAt);
    if (lockedUntil && !row.lockedUntil) {
      await em.nativeUpdate(SignInFailureDay, { id: row.id, lockedUntil: null }, { lockedUntil });
    }
    return { failures: row.failures, lockedUntil: row.lockedUntil ?? lockedUntil };
  }
}
