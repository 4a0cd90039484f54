/**
 * Calendar days as the household counts them: `YYYY-MM-DD` strings for Paris local days, and day
 * numbers (days since 1970-01-01) for arithmetic and per-day memos.
 */
import { FoyerError } from '../../core/errors.js';
import { addDays, DAY_MS, HOUR_MS, parisDate, parisToUtc } from '../../../catalog/synthetic/time.js';

export { addDays, addMonths } from '../../../catalog/synthetic/time.js';

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

/** An inclusive range of Paris calendar days. */
export interface DayRange {
  from: string;
  to: string;
}

export function isDay(value: string): boolean {
  return (
    dayPattern.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && dayString(dayNumber(value)) === value
  );
}

export function checkRange(range: DayRange): void {
  for (const [name, value] of [
    ['from', range.from],
    ['to', range.to],
  ] as const)
    if (typeof value !== 'string' || !isDay(value))
      throw new FoyerError('bad_request', `${name} must be a day YYYY-MM-DD, got ${String(value)}`);
}

export const dayNumber = (day: string): number => Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
export const dayString = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** 0 = Sunday … 6 = Saturday. */
export const weekdayOf = (day: string): number => new Date(`${day}T00:00:00Z`).getUTCDay();
export const isWeekend = (day: string): boolean => weekdayOf(day) === 0 || weekdayOf(day) === 6;

/** The Paris midnight starting a day, as a UTC instant. */
export function startOfDay(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return parisToUtc(y, m, d);
}

/** A Paris wall-clock time on a day, as a UTC instant. */
export function atParis(day: string, hour: number, minute = 0): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return parisToUtc(y, m, d, hour, minute);
}

/** The Paris day of an instant. */
export const dayOfInstant = (ms: number): string => parisDate(ms);

/** Data for day D becomes available at 06:00 Paris on D+1: the last day a holder may serve at `now`. */
export function lastAvailableDay(now: number): string {
  const today = parisDate(now);
  const opening = atParis(today, 6);
  return addDays(today, now >= opening ? -1 : -2);
}

/** The first day of the three years of history that end on `today`. */
export function historyStart(today: string): string {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  // Date.UTC rolls 29 February over to 1 March.
  return new Date(Date.UTC(y - 3, m - 1, d)).toISOString().slice(0, 10);
}

/** The days of an inclusive range, in order. */
export function daysOf(range: DayRange): string[] {
  const out: string[] = [];
  for (let n = dayNumber(range.from), end = dayNumber(range.to); n <= end; n++) out.push(dayString(n));
  return out;
}

export const monthOf = (day: string): string => day.slice(0, 7);
export const lastDayOfMonth = (month: string): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};

/** Half-hour steps of a Paris day as UTC instants of their starts: 46, 48 or 50 of them. */
export function halfHoursOf(day: string): number[] {
  const start = startOfDay(day);
  const end = startOfDay(addDays(day, 1));
  const out: number[] = [];
  for (let t = start; t < end; t += HOUR_MS / 2) out.push(t);
  return out;
}

/** The month before the one containing `day`, `YYYY-MM`. */
export const previousMonth = (day: string): string => monthOf(dayString(dayNumber(`${monthOf(day)}-01`) - 1));
