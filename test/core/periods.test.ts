import { describe, expect, it } from 'vitest';
import { calendarYear, fiscalYear, isShortYear, periodDays, periodMonths, taxPeriod, shiftYears, yearBegun, isoDate, quarterOf, DateError } from '../../src/periods/index.js';

describe('tax periods', () => {
  it('calendar, fiscal and 52–53-week years are full years', () => {
    expect(periodDays(calendarYear(2024))).toBe(366);
    expect(isShortYear(calendarYear(2025))).toBe(false);
    const fy = fiscalYear(2025, 7);
    expect(fy.start).toBe('2025-07-01');
    expect(fy.end).toBe('2026-06-30');
    expect(periodMonths(fy)).toBe(12);
    expect(isShortYear(taxPeriod('2025-01-03', '2026-01-01'))).toBe(false); // 52-week year: 364 days
  });

  it('short years count a partial month as a month', () => {
    const p = taxPeriod('2025-03-15', '2025-12-31');
    expect(isShortYear(p)).toBe(true);
    expect(periodMonths(p)).toBe(10);
    expect(periodDays(taxPeriod('2025-07-01', '2025-12-31'))).toBe(184);
  });

  it('rejects impossible dates and periods', () => {
    expect(() => isoDate('2025-02-29')).toThrow(DateError);
    expect(() => taxPeriod('2025-12-31', '2025-01-01')).toThrow(DateError);
    expect(() => taxPeriod('2025-01-01', '2026-03-01')).toThrow(/53 weeks/);
  });

  it('shifts periods by years for history lookups and names the year begun', () => {
    const p = shiftYears(fiscalYear(2025, 7), 3);
    expect(p).toEqual({ start: '2022-07-01', end: '2023-06-30' });
    expect(yearBegun(fiscalYear(2025, 7))).toBe(2025);
    expect(shiftYears(taxPeriod('2024-02-29', '2024-12-31'), 1).start).toBe('2023-02-28');
  });

  it('quarters', () => {
    expect(quarterOf(isoDate('2026-04-01'))).toEqual({ year: 2026, quarter: 2 });
  });
});
