import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, raw } from '@mikro-orm/core';
import { BusinessCalendar } from '../../../../libs/domain/src/business-days';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { newId, sha256Hex } from '../../../../libs/domain/src/ids';
import { LockedError, UnauthenticatedError } from '../../../../libs/domain/src/errors';
import { CAPTCHA, type Captcha } from '../../../../libs/integrations/src/captcha/captcha.port';
import { isUniqueViolation } from '../../../../libs/persistence/src/database';
import { SignInFailureDay } from '../../../../libs/persistence/src/entities';
import { captchaRequired, lockUntilAfter } from './sign-in-protection';

/** What a refused attempt is recorded as in the login history. */
export type GateResult = 'locked' | 'captcha_required' | 'captcha_failed' | 'wrong_password';
export type NoteAttempt = (result: GateResult) => Promise<void>;

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
    @Inject(CAPTCHA) private readonly captcha: Captcha,
  ) {}

  /**
   * rule CON-2, before the password is looked at: a locked subject is refused (423, until when),
   * and after the 3rd wrong password of the day every attempt needs a valid captcha. Used by
   * every password sign-in (owners, sub-users).
   */
  async admit(
    subject: string,
    answer: { challengeId: string; answer: string } | undefined,
    note: NoteAttempt,
  ): Promise<void> {
    const lockedUntil = await this.lockedUntil(subject);
    if (lockedUntil) {
      await note('locked');
      throw this.locked(lockedUntil);
    }
    if (!captchaRequired(await this.failuresToday(subject))) return;
    if (!answer) {
      await note('captcha_required');
      throw new UnauthenticatedError(
        'Too many wrong passwords today: answer the captcha and try again',
        'captcha_required',
        { rule: 'CON-2', captcha: await this.challenge() },
      );
    }
    if (!(await this.captcha.verify(answer.challengeId, answer.answer))) {
      await note('captcha_failed');
      throw new UnauthenticatedError('The captcha answer is wrong or expired', 'captcha_invalid', {
        rule: 'CON-2',
        captcha: await this.challenge(),
      });
    }
  }

  /** rule CON-2: counts a wrong password (or unknown identifier) and throws the answer for it. */
  async refuse(subject: string, note: NoteAttempt, message: string): Promise<never> {
    const after = await this.recordFailure(subject);
    await note('wrong_password');
    if (after.lockedUntil) throw this.locked(after.lockedUntil);
    throw new UnauthenticatedError(message, 'invalid_credentials', {
      captchaRequired: captchaRequired(after.failures),
    });
  }

  private locked(until: Date): LockedError {
    return new LockedError(
      'account_locked',
      `Too many wrong passwords: sign-in is locked until ${until.toISOString()}`,
      {
        rule: 'CON-2',
        lockedUntil: until.toISOString(),
      },
    );
  }

  private async challenge(): Promise<{ challengeId: string; expiresAt: string; prompt: string }> {
    const c = await this.captcha.issue();
    return { challengeId: c.challengeId, expiresAt: c.expiresAt.toISOString(), prompt: c.prompt };
  }

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
