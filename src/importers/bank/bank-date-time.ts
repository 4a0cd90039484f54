/**
 * Dates and times as bank files write them: ISO 8601 (`2024-03-12`, `2024-03-12T10:15:00+01:00`,
 * `2024-03-12T10:15:00.000Z`, or a local `2024-03-12T10:15:00` that belongs to the space's time
 * zone) and the two-digit years of SWIFT and CFONB files.
 */
import { addDays, localMidnight, utcOffset } from '../../core/time/time-zone.js';
import { bankDateProblem, dayStartInstant, dayText, isoInstant } from './bank-values.js';

const HOUR = 3_600_000;
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

export interface BankDate {
  /** The instant, ISO 8601 in UTC. */
  instant: string;
  /** The calendar day as the file prints it (`YYYY-MM-DD`), whatever the offset. */
  day: string;
  /** True when the file gave a day without a time: `instant` is then the start of that day. */
  dayOnly: boolean;
}

/** Throws the importer's error (naming file and line) with this message. */
export type Fail = (message: string) => never;

/**
 * Reads an ISO 8601 date or date-time. Fails for anything that is not one, is not a real day, or
 * is absurd (see `bankDateProblem`).
 */
export function parseIsoDate(text: string, timeZone: string, now: number, fail: Fail): BankDate {
  const written = text.trim().slice(0, 40);
  const m = ISO_DATE_TIME.exec(text.trim());
  if (!m) return fail(`"${written}" is not an ISO 8601 date`);
  const [year, month, date] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const problem = bankDateProblem(year, month, date, now);
  if (problem) return fail(`the date "${written}" is impossible: ${problem}`);
  const day = dayText(year, month, date);
  if (m[4] === undefined) return { day, instant: dayStartInstant(day, timeZone), dayOnly: true };
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6] ?? '0')];
  // 24:00 is allowed by ISO 8601 only as the end of a day; 60 seconds only for a leap second.
  if (hour > 23 || minute > 59 || second > 60) return fail(`the time in "${written}" does not exist`);
  const ms = Number(((m[7] ?? '') + '000').slice(0, 3));
  const wall = Date.UTC(year, month - 1, date, hour, minute, Math.min(second, 59), ms);
  const zone = m[8];
  let epoch: number;
  if (zone === undefined) {
    epoch = wallClockToEpoch(wall, timeZone);
  } else if (zone === 'Z') {
    epoch = wall;
  } else {
    const digits = zone.replace(':', '');
    const offsetMinutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || '0');
    if (offsetMinutes > 18 * 60) return fail(`the offset in "${written}" does not exist`);
    epoch = wall - (zone.startsWith('-') ? -1 : 1) * offsetMinutes * 60_000;
  }
  return { day, instant: isoInstant(epoch), dayOnly: false };
}

/**
 * The last second of local day `day` (23:59:59 in `timeZone`), as an instant: when a balance
 * "as of" a day is true, once that day's operations are booked.
 */
export function dayEndInstant(day: string, timeZone: string): string {
  return isoInstant(localMidnight(addDays(day, 1), timeZone) - 1000);
}

/** The instant a closing balance dated `date` holds: the end of the day when only a day is given. */
export function balanceInstant(date: BankDate, timeZone: string): string {
  return date.dayOnly ? dayEndInstant(date.day, timeZone) : date.instant;
}

/**
 * The instant a wall-clock time (given as if it were UTC) shows in `timeZone`. In the hour skipped
 * when clocks go forward, the time is read with the offset before the change (02:30 becomes 03:30
 * summer time); in the hour repeated when they go back, the first of the two is chosen.
 */
export function wallClockToEpoch(wall: number, timeZone: string): number {
  const before = utcOffset(wall - 12 * HOUR, timeZone);
  const after = utcOffset(wall + 12 * HOUR, timeZone);
  const candidates = [wall - before, wall - after].filter((t) => t + utcOffset(t, timeZone) === wall);
  if (candidates.length === 0) return wall - before;
  return Math.min(...candidates);
}

/** The year of a two-digit year in a bank file: 70..99 are the 1900s, 00..69 the 2000s. */
export function fullYear(twoDigits: number): number {
  return twoDigits >= 70 ? 1900 + twoDigits : 2000 + twoDigits;
}

/** A day written with a two-digit year (YYMMDD, DDMMYY...), checked; returns `YYYY-MM-DD`. */
export function shortYearDay(yy: number, month: number, day: number, now: number, written: string, fail: Fail): string {
  const year = fullYear(yy);
  const problem = [yy, month, day].every(Number.isInteger)
    ? bankDateProblem(year, month, day, now)
    : 'it is not a number';
  if (problem) return fail(`the date "${written}" is impossible: ${problem}`);
  return dayText(year, month, day);
}
