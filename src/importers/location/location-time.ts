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
  const utc = canonicalUtc(text);
  if (utc !== undefined) return utc;
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

/** The digits at `i` and `i + 1` as a number, or -1. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * The usual shape, `2024-03-12T07:41:12Z` or with a fraction (`.123Z`), read without the regular
 * expression: the same arithmetic as parseDateTime's, for the values it accepts. Undefined for
 * anything else (another shape, an hour 24, a leap second, a day that does not exist), which
 * parseDateTime then reads the long way.
 */
function canonicalUtc(s: string): number | undefined {
  const n = s.length;
  if (n < 20 || s.charCodeAt(n - 1) !== 90 /* Z */ || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45)
    return undefined;
  if (s.charCodeAt(10) !== 84 /* T */ || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const century = twoDigits(s, 0);
  const years = twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  if (century < 0 || years < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  let ms = 0;
  if (n > 20) {
    // `.` and one to nine digits before the Z.
    if (s.charCodeAt(19) !== 46 || n < 22 || n > 30) return undefined;
    for (let i = 20; i < n - 1; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return undefined;
    }
    ms = Math.floor(Number(`0.${s.slice(20, n - 1)}`) * 1000 + 1e-6);
  }
  const year = century * 100 + years;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
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
