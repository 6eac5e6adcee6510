import { BusinessCalendar } from './business-days';

describe('BusinessCalendar (Asia/Shanghai)', () => {
  const cal = new BusinessCalendar(['2026-10-01', '2026-10-02', '2026-10-05']);

  it('uses the Shanghai date, not the UTC date', () => {
    // 2026-03-06 20:00 UTC is already Saturday 04:00 in Shanghai.
    expect(BusinessCalendar.localDate(new Date('2026-03-06T20:00:00Z'))).toBe('2026-03-07');
    expect(cal.isBusinessDay('2026-03-07')).toBe(false);
    expect(cal.isBusinessDay('2026-03-06')).toBe(true);
  });

  it('skips weekends', () => {
    // Friday 10:00 Shanghai + 1 business day = Monday 10:00.
    expect(cal.addBusinessDays(new Date('2026-03-06T02:00:00Z'), 1).toISOString()).toBe(
      '2026-03-09T02:00:00.000Z',
    );
    // RN-8: Monday + 3 business days = Thursday.
    expect(cal.addBusinessDays(new Date('2026-03-02T02:00:00Z'), 3).toISOString()).toBe(
      '2026-03-05T02:00:00.000Z',
    );
  });

  it('skips configured holidays', () => {
    // Wednesday 30 Sep + 2 business days over 1, 2 (holidays), 3–4 (weekend), 5 (holiday) = Tue 6, Wed 7.
    expect(cal.addBusinessDays(new Date('2026-09-30T02:00:00Z'), 2).toISOString()).toBe(
      '2026-10-07T02:00:00.000Z',
    );
  });

  it('adds nothing for zero days and refuses negative ones', () => {
    const at = new Date('2026-03-07T02:00:00Z');
    expect(cal.addBusinessDays(at, 0)).toEqual(at);
    expect(() => cal.addBusinessDays(at, -1)).toThrow(RangeError);
  });
});
