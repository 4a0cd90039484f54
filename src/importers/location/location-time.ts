/**
 * Instants in location files: ISO 8601 with `Z`, with an offset (`+01:00`, `+0100`), or without
 * (a local time, read in the space's time zone), with or without fractional seconds; day-only
 * dates (KML allows them); and milliseconds since 1970 (Google's `timestampMs`). Anything before
 * 1990 or after tomorrow is refused: no phone or GPS receiver recorded it, so the file is broken.
 */
import { localMidnight, utcOffset } from '../../core/time/time-zone.js';
import { importError } from '../import-error.js';

const DAY_MS = 86_400_000;
const EARLIEST = Date.UTC(1990, 0, 1);
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;
const EPOCH_MS = /^-?\d{1,16}$/;

/** Where a time was read, for errors and the plausibility check. */
export interface TimeContext {
  file: string;
  timeZone: string;
  /** When the import started, ms since 1970. */
  now: number;
}

/**
 * Epoch milliseconds of an ISO date-time or date, or undefined when the text is not one (wrong
 * shape, or a day, month, hour or offset that does not exist).
 */
export function parseDateTime(text: string, timeZone: string): number | undefined {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return undefined;
  const [, ys, mos, ds, hs, mis, ss, fraction, zone] = m;
  const year = Number(ys);
  const month = Number(mos);
  const day = Number(ds);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hs === undefined) {
    return zone === undefined
      ? localMidnight(`${ys}-${mos}-${ds}`, timeZone)
      : applyZone(Date.UTC(year, month - 1, day), zone);
  }
  const hour = Number(hs);
  const minute = Number(mis);
  const second = ss === undefined ? 0 : Number(ss);
  // 24:00 is midnight at the end of the day; 60 is a leap second, which JavaScript time folds in.
  if (hour > 24 || (hour === 24 && (minute > 0 || second > 0)) || minute > 59 || second > 60) return undefined;
  const ms = fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000 + 1e-6);
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  return zone === undefined ? localToUtc(wall, timeZone) : applyZone(wall, zone);
}

function applyZone(wall: number, zone: string): number | undefined {
  if (zone === 'Z' || zone === 'z') return wall;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 14 || minutes > 59) return undefined;
  return wall - sign * (hours * 60 + minutes) * 60_000;
}

/**
 * The instant a wall-clock time (given as if it were UTC) stands for in `timeZone`. Of a time that
 * happens twice (the hour repeated when clocks go back), the first; a time skipped when clocks go
 * forward is read with the offset before the change (02:30 on a spring-forward night is 03:30).
 */
function localToUtc(wall: number, timeZone: string): number {
  const before = wall - utcOffset(wall - DAY_MS, timeZone);
  const after = wall - utcOffset(wall + DAY_MS, timeZone);
  const fits = (t: number) => t + utcOffset(t, timeZone) === wall;
  if (fits(before) && fits(after)) return Math.min(before, after);
  if (fits(before)) return before;
  if (fits(after)) return after;
  return before;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (MONTH_DAYS[month - 1] ?? 0);
}

/** Throws unless `ms` is an instant a location could have been recorded at. */
export function checkPlausible(ms: number, text: string, ctx: TimeContext, line?: number): number {
  if (!(ms >= EARLIEST && ms <= ctx.now + DAY_MS)) {
    throw importError(
      ctx.file,
      `the time "${text}" is not plausible for a location record (before 1990 or in the future).`,
      line,
    );
  }
  return ms;
}

/** Reads a date-time text; throws naming it when it is not one or is implausible. */
export function readDateTime(text: string, ctx: TimeContext, line?: number): number {
  const ms = parseDateTime(text, ctx.timeZone);
  if (ms === undefined) throw importError(ctx.file, `the time "${clip(text)}" is not a date and time.`, line);
  return checkPlausible(ms, text, ctx, line);
}

/** Reads milliseconds since 1970, as a number or a string of digits (Google's `timestampMs`). */
export function readEpochMs(value: unknown, ctx: TimeContext, line?: number): number {
  const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
  if (!EPOCH_MS.test(text)) {
    throw importError(
      ctx.file,
      `the timestamp ${clip(JSON.stringify(value) ?? '')} is not a number of milliseconds.`,
      line,
    );
  }
  return checkPlausible(Number(text), text, ctx, line);
}

/** Shortens what is quoted back in a message. */
export function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
