/**
 * The same period last year: a range's consumption beside the same days one year earlier, each
 * with the number of days that have a reading, so an incomplete year is shown as such.
 */
import { daysOf, sameDayLastYear } from '../../shared/local-time.js';
import type { ElectricityDay, GasDay } from './types.js';

export interface PeriodTotal {
  from: string;
  to: string;
  kwh: number;
  days: number;
  expectedDays: number;
}

export interface YearOverYear {
  current: PeriodTotal;
  previous: PeriodTotal;
  /** (current - previous) / previous, when both periods are complete and the previous is not zero. */
  change?: number;
}

export function periodTotal(readings: readonly (ElectricityDay | GasDay)[], from: string, to: string): PeriodTotal {
  let kwh = 0;
  const days = new Set<string>();
  for (const r of readings)
    if (r.date >= from && r.date <= to && Number.isFinite(r.energyKwh)) {
      kwh += r.energyKwh;
      days.add(r.date);
    }
  return { from, to, kwh: Math.round(kwh * 1000) / 1000, days: days.size, expectedDays: daysOf(from, to).length };
}

export function yearOverYear(readings: readonly (ElectricityDay | GasDay)[], from: string, to: string): YearOverYear {
  if (!(from <= to)) throw new RangeError(`the range ${from}..${to} is empty`);
  const current = periodTotal(readings, from, to);
  const previous = periodTotal(readings, sameDayLastYear(from), sameDayLastYear(to));
  return compare(current, previous);
}

function compare(current: PeriodTotal, previous: PeriodTotal): YearOverYear {
  const complete = (p: PeriodTotal): boolean => p.days === p.expectedDays;
  return {
    current,
    previous,
    ...(complete(current) && complete(previous) && previous.kwh > 0
      ? { change: Math.round(((current.kwh - previous.kwh) / previous.kwh) * 10000) / 10000 }
      : {}),
  };
}

/** Month by month: each month beside the same whole month a year earlier (February keeps its own length). */
export function monthsOverYear(
  readings: readonly (ElectricityDay | GasDay)[],
  months: readonly string[],
): (YearOverYear & { month: string })[] {
  const whole = (y: number, m: number): PeriodTotal => {
    const mm = String(m).padStart(2, '0');
    return periodTotal(readings, `${y}-${mm}-01`, new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10));
  };
  return months.map((month) => {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new RangeError(`not a month YYYY-MM: ${month}`);
    const [y, m] = month.split('-').map(Number) as [number, number];
    return { month, ...compare(whole(y, m), whole(y - 1, m)) };
  });
}
