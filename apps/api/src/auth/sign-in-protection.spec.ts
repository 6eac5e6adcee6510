import { BusinessCalendar } from '../../../../libs/domain/src/business-days';
import { captchaRequired, lockUntilAfter } from './sign-in-protection';

describe('CON-2 sign-in protection policy', () => {
  it('CON-2: three failures are free, the fourth attempt onwards needs a captcha', () => {
    expect([0, 1, 2].map(captchaRequired)).toEqual([false, false, false]);
    expect([3, 4, 9].map(captchaRequired)).toEqual([true, true, true]);
  });

  it('CON-2: the 10th failure locks for 24 hours from the first failure of the day', () => {
    const first = new Date('2026-03-02T01:00:00.000Z');
    expect(lockUntilAfter(9, first)).toBeNull();
    expect(lockUntilAfter(10, first)).toEqual(new Date('2026-03-03T01:00:00.000Z'));
  });

  it('CON-2: the day is the Asia/Shanghai calendar day', () => {
    // 15:59 UTC is 23:59 in Shanghai; 16:00 UTC is the next Shanghai day.
    expect(BusinessCalendar.localDate(new Date('2026-03-02T15:59:59.000Z'))).toBe('2026-03-02');
    expect(BusinessCalendar.localDate(new Date('2026-03-02T16:00:00.000Z'))).toBe('2026-03-03');
  });
});
