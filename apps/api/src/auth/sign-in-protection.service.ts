import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, raw } from '@mikro-orm/core';
import { BusinessCalendar } from '../../../../libs/domain/src/business-days';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { newId, sha256Hex } from '../../../../libs/domain/src/ids';
import { LockedError, UnauthenticatedError } from '../../../../libs/domain/src/errors';
import { CAPTCHA, type Captcha } from '../../../../libs/integrations/src/captcha/captcha.port';
import { SignInFailureDay } from '../../../../libs/persistence/src/entities';
import { captchaRequired, LOCK_DURATION_MS, LOCKING_FAILURE, lockUntilAfter } from './sign-in-protection';

/** One attempt of the day, counted before anything was checked (see `reserve`). */
export interface Reservation {
  subject: string;
  localDate: string;
  /** This attempt's number today, counting attempts still in flight. */
  attempt: number;
  firstFailureAt: Date;
}

/** What a refused attempt is recorded as in the login history. */
export type GateResult = 'locked' | 'captcha_required' | 'captcha_failed' | 'wrong_password';
export type NoteAttempt = (result: GateResult) => Promise<void>;

/**
 * rule CON-2: counts wrong passwords per sign-in subject and Asia/Shanghai calendar day, and
 * locks the subject at the 10th. Known accounts are counted by account ID; unknown identifiers by
 * their hash, the same way, so the answers never tell the two apart.
 *
 * Counters count before they check: every attempt first reserves its place in the day's count
 * with one atomic `+ 1` that returns the new count (`reserve`), and only an attempt within the
 * budget gets its password or code checked. A right one gives its place back (`release`); a
 * wrong one keeps it and, at the 10th, locks (`fail`). So any number of parallel attempts runs at
 * most the allowed number of checks: a check-then-count would let them all through.
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
   * the attempt is counted (`reserve`), an attempt past the day's budget is refused unchecked, and
   * after the 3rd wrong password of the day every attempt needs a valid captcha. A refused attempt
   * gives its place back. Used by every password sign-in (owners, sub-users).
   */
  async admit(
    subject: string,
    answer: { challengeId: string; answer: string } | undefined,
    note: NoteAttempt,
  ): Promise<Reservation> {
    const r = await this.reserveWithinBudget(subject, async () => note('locked'));
    if (!captchaRequired(r.attempt - 1)) return r;
    if (!answer) {
      await this.release(r);
      await note('captcha_required');
      throw new UnauthenticatedError(
        'Too many wrong passwords today: answer the captcha and try again',
        'captcha_required',
        { rule: 'CON-2', captcha: await this.challenge() },
      );
    }
    if (!(await this.captcha.verify(answer.challengeId, answer.answer))) {
      await this.release(r);
      await note('captcha_failed');
      throw new UnauthenticatedError('The captcha answer is wrong or expired', 'captcha_invalid', {
        rule: 'CON-2',
        captcha: await this.challenge(),
      });
    }
    return r;
  }

  /**
   * Refuses a locked subject (423), then reserves an attempt; one past the day's budget (the
   * 10th and earlier attempts still in flight) is given back and refused as locked, unchecked.
   * For second factors and staff sign-ins, which have no captcha step.
   */
  async reserveWithinBudget(
    subject: string,
    onLocked?: () => Promise<void>,
    lockedError: (until: Date) => Error = (until) => this.locked(until),
  ): Promise<Reservation> {
    const lockedUntil = await this.lockedUntil(subject);
    if (lockedUntil) {
      await onLocked?.();
      throw lockedError(lockedUntil);
    }
    const r = await this.reserve(subject);
    if (r.attempt > LOCKING_FAILURE) {
      await this.release(r);
      await onLocked?.();
      throw lockedError(
        (await this.lockedUntil(subject)) ?? new Date(r.firstFailureAt.getTime() + LOCK_DURATION_MS),
      );
    }
    return r;
  }

  /**
   * A code or password check as one counted attempt of `subject` (CON-2's thresholds): reserved
   * before `check` runs, given back when it passes, kept (and from the 10th locking, answered by
   * `lockedError`) when it fails.
   */
  async countedCheck(
    subject: string,
    check: () => Promise<boolean>,
    lockedError: (until: Date) => Error = (until) => this.locked(until),
  ): Promise<boolean> {
    const r = await this.reserveWithinBudget(subject, undefined, lockedError);
    let ok = false;
    try {
      ok = await check();
    } finally {
      if (ok) await this.release(r);
    }
    if (ok) return true;
    const lockedUntil = await this.fail(r);
    if (lockedUntil) throw lockedError(lockedUntil);
    return false;
  }

  /** rule CON-2: a wrong password (or unknown identifier) keeps its place; throws the answer for it. */
  async refuse(r: Reservation, note: NoteAttempt, message: string): Promise<never> {
    const lockedUntil = await this.fail(r);
    await note('wrong_password');
    if (lockedUntil) throw this.locked(lockedUntil);
    throw new UnauthenticatedError(message, 'invalid_credentials', {
      captchaRequired: captchaRequired(r.attempt),
    });
  }

  /**
   * Counts one attempt of the subject today before it is checked: `+ 1` in the database, which
   * returns the new count. The day's first attempt (or the first after all were given back)
   * starts the 24 hours a lock lasts.
   */
  async reserve(subject: string): Promise<Reservation> {
    const now = this.clock.now();
    const localDate = BusinessCalendar.localDate(now);
    const result: unknown = await this.em
      .getConnection()
      .execute(
        'insert into sign_in_failure_days (id, subject, local_date, failures, first_failure_at) ' +
          'values (?, ?, ?, 1, ?) on conflict (subject, local_date) do update set ' +
          'failures = sign_in_failure_days.failures + 1, first_failure_at = case ' +
          'when sign_in_failure_days.failures = 0 then excluded.first_failure_at ' +
          'else sign_in_failure_days.first_failure_at end ' +
          'returning failures, first_failure_at',
        [newId(), subject, localDate, now],
      );
    const rows = result as Array<{ failures: number | string; first_failure_at: Date | string }>;
    const row = rows[0];
    if (!row) throw new Error('sign-in attempt was not counted');
    return {
      subject,
      localDate,
      attempt: Number(row.failures),
      firstFailureAt: new Date(row.first_failure_at),
    };
  }

  /** Gives a reserved attempt back: it was right, or refused before any check. */
  async release(r: Reservation): Promise<void> {
    await this.em.nativeUpdate(
      SignInFailureDay,
      { subject: r.subject, localDate: r.localDate, failures: { $gt: 0 } },
      { failures: raw('failures - 1') },
    );
  }

  /** The reserved attempt was wrong: it stays counted; from the 10th it locks. Returns the lock's end. */
  async fail(r: Reservation): Promise<Date | null> {
    const lockedUntil = lockUntilAfter(r.attempt, r.firstFailureAt);
    if (!lockedUntil) return null;
    await this.em.nativeUpdate(
      SignInFailureDay,
      { subject: r.subject, localDate: r.localDate, lockedUntil: null },
      { lockedUntil },
    );
    return (await this.lockedUntil(r.subject)) ?? lockedUntil;
  }

  locked(until: Date): LockedError {
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
}
