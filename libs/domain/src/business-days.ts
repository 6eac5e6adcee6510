import { DAY_MS, HOUR_MS } from './clock';

/**
 * Business days: Monday–Friday in Asia/Shanghai (UTC+8, no daylight saving), minus the
 * configured holidays (YYYY-MM-DD, local dates).
 */
const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;

export class BusinessCalendar {
  private readonly holidays: ReadonlySet<string>;

  constructor(holidays: Iterable<string> = []) {
    this.holidays = new Set(holidays);
  }

  /** The Shanghai calendar date of an instant, as YYYY-MM-DD. */
  static localDate(at: Date): string {
    return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
  }

  isBusinessDay(localDate: string): boolean {
    const day = new Date(`${localDate}T00:00:00.000Z`).getUTCDay();
    return day !== 0 && day !== 6 && !this.holidays.has(localDate);
  }

  /**
   * The instant `days` business days after `from`: the same Shanghai wall-clock time on the
   * `days`-th following business day. `days = 0` returns `from`.
   */
  addBusinessDays(from: Date, days: number): Date {
    if (!Number.isInteger(days) || days < 0) throw new RangeError('days must be a non-negative integer');
    let at = from.getTime();
    let left = days;
    while (left > 0) {
      at += DAY_MS;
      if (this.isBusinessDay(BusinessCalendar.localDate(new Date(at)))) left -= 1;
    }
    return new Date(at);
  }
}
