/**
 * Electricity and gas consumption as the series API gives it (`every=day|month&agg=sum` buckets,
 * computed server-side in the space's zone), shaped for the charts, and the load curve's zoom:
 * which resolution to ask for a range, and the ranges zooming and panning lead to.
 */
import { addDays, addMonths, daysBetween, daysFrom, monthsBetween } from './calendar.js';

export interface Bucket {
  key: string;
  value: number;
  count: number;
}

export interface Bar {
  key: string;
  /** null where the series has no point (a gap, not a zero). */
  value: number | null;
}

/** One bar per day from `from` to `to` (inclusive), gaps kept as null. */
export function perDay(buckets: Bucket[], from: string, to: string): Bar[] {
  const byKey = new Map(buckets.map((b) => [b.key, b.value]));
  return daysBetween(from, to).map((key) => ({ key, value: byKey.get(key) ?? null }));
}

/** One bar per month from `from` to `to` (`YYYY-MM`, inclusive), gaps kept as null. */
export function perMonth(buckets: Bucket[], from: string, to: string): Bar[] {
  const byKey = new Map(buckets.map((b) => [b.key, b.value]));
  return monthsBetween(from, to).map((key) => ({ key, value: byKey.get(key) ?? null }));
}

export function totalOf(bars: Bar[]): number {
  return bars.reduce((sum, b) => sum + (b.value ?? 0), 0);
}

/** A range of local days, `to` included. */
export interface DayRange {
  from: string;
  to: string;
}

export type Resolution = 'points' | 'hour' | 'day';

/** Half-hour points up to 4 days (192 points), hourly means up to 45 days, daily means beyond. */
export function resolutionFor(range: DayRange): Resolution {
  const days = daysFrom(range.from, range.to) + 1;
  if (days <= 4) return 'points';
  if (days <= 45) return 'hour';
  return 'day';
}

/** The query string of the load-curve request for a range (`to` exclusive on the API). */
export function loadCurveQuery(range: DayRange): string {
  const base = `from=${range.from}&to=${addDays(range.to, 1)}`;
  const resolution = resolutionFor(range);
  return resolution === 'points' ? `${base}&limit=1000` : `${base}&every=${resolution}&agg=avg`;
}

const clampRange = (from: string, length: number, bounds: DayRange): DayRange => {
  const total = daysFrom(bounds.from, bounds.to) + 1;
  const days = Math.min(length, total);
  let start = from < bounds.from ? bounds.from : from;
  if (daysFrom(start, bounds.to) + 1 < days) start = addDays(bounds.to, -(days - 1));
  return { from: start, to: addDays(start, days - 1) };
};

/**
 * Zoom in (factor < 1) or out (factor > 1) around the range's middle, within `bounds`; never under
 * one day.
 */
export function zoom(range: DayRange, factor: number, bounds: DayRange): DayRange {
  const days = daysFrom(range.from, range.to) + 1;
  const next = Math.max(1, Math.round(days * factor));
  const middle = addDays(range.from, Math.floor((days - 1) / 2));
  return clampRange(addDays(middle, -Math.floor((next - 1) / 2)), next, bounds);
}

/** Move by a fraction of the range's length (negative: earlier), within `bounds`. */
export function pan(range: DayRange, fraction: number, bounds: DayRange): DayRange {
  const days = daysFrom(range.from, range.to) + 1;
  const step = Math.max(1, Math.round(Math.abs(days * fraction))) * Math.sign(fraction);
  return clampRange(addDays(range.from, step), days, bounds);
}

/** The twelve full months before the month of `today` (inclusive bounds, `YYYY-MM`). */
export function lastTwelveMonths(today: string): { from: string; to: string } {
  const current = today.slice(0, 7);
  return { from: addMonths(current, -12), to: addMonths(current, -1) };
}
