/**
 * iCalendar DATE, DATE-TIME, DURATION and UTC-OFFSET values (RFC 5545 §3.3), read strictly enough
 * to refuse `20241345T000000` and leniently enough for what producers write (ISO dashes and colons,
 * missing seconds).
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/**
 * A parsed time. `date`: a calendar day. `utc`: an instant. `local`: a wall-clock time whose zone
 * the caller decides (TZID or floating); `ms` is that wall time counted as if it were UTC.
 */
export type IcalTime =
  | { kind: 'date'; ms: number; year: number }
  | { kind: 'utc'; ms: number; year: number }
  | { kind: 'local'; ms: number; year: number };

const DATE = /^(\d{4})-?(\d{2})-?(\d{2})$/;
const DATE_TIME = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2})(?::?(\d{2})(?:[.,]\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

function daysInMonth(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function validDay(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** Wall time counted as UTC. Date.UTC reads years 0-99 as 1900-1999: the year is set explicitly. */
export function utcMs(y: number, m: number, d: number, h: number, mi: number, s: number): number {
  const date = new Date(Date.UTC(2000, 0, 1, h, mi, s));
  date.setUTCFullYear(y, m - 1, d);
  return date.getTime();
}

/** A DATE or DATE-TIME value; an 8-digit value is a date whatever `VALUE` says. Undefined when not a real date. */
export function parseIcalTime(raw: string): IcalTime | undefined {
  const value = raw.trim();
  const d = DATE.exec(value);
  if (d) {
    const [y, m, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
    if (!validDay(y, m, day)) return undefined;
    return { kind: 'date', ms: utcMs(y, m, day, 0, 0, 0), year: y };
  }
  const t = DATE_TIME.exec(value);
  if (!t) return undefined;
  const [y, m, day, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(t[i] ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (!validDay(y, m, day) || h > 23 || mi > 59 || s > 60) return undefined;
  const ms = utcMs(y, m, day, h, mi, s);
  const zone = t[7];
  if (zone === undefined) return { kind: 'local', ms, year: y };
  if (zone.toUpperCase() === 'Z') return { kind: 'utc', ms, year: y };
  const offset = parseUtcOffset(zone);
  return offset === undefined ? undefined : { kind: 'utc', ms: ms - offset, year: y };
}

/** `YYYY-MM-DD` of a day counted as UTC midnight ms. */
export function dayString(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A UTC instant without milliseconds when there are none: `2024-03-14T16:30:00Z`. */
export function instantString(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, 19)}Z` : iso;
}

export interface IcalDuration {
  /** Nominal days (weeks counted as 7), added in local time. */
  days: number;
  /** Exact milliseconds (hours, minutes, seconds). */
  ms: number;
  negative: boolean;
}

const DURATION = /^([+-])?P(?:(\d{1,6})W)?(?:(\d{1,6})D)?(?:T(?:(\d{1,6})H)?(?:(\d{1,6})M)?(?:(\d{1,6})S)?)?$/i;

/** `P1D`, `PT1H30M`, `-PT15M`, `P2W` (and the `P1W2D` some producers write). */
export function parseDuration(raw: string): IcalDuration | undefined {
  const value = raw.trim();
  const m = DURATION.exec(value);
  if (!m || value.replace(/^[+-]/, '').toUpperCase() === 'P' || /T$/i.test(value)) return undefined;
  const n = (i: number) => Number(m[i] ?? 0);
  return {
    days: n(2) * 7 + n(3),
    ms: ((n(4) * 60 + n(5)) * 60 + n(6)) * 1000,
    negative: m[1] === '-',
  };
}

/** `+0100`, `-0500`, `+053045`, `+01:00`: offset in ms (local minus UTC), or undefined. */
export function parseUtcOffset(raw: string): number | undefined {
  const m = /^([+-])(\d{2}):?(\d{2})(?::?(\d{2}))?$/.exec(raw.trim());
  if (!m) return undefined;
  const [h, mi, s] = [Number(m[2]), Number(m[3]), Number(m[4] ?? 0)];
  if (h > 18 || mi > 59 || s > 59) return undefined;
  const ms = ((h * 60 + mi) * 60 + s) * 1000;
  return m[1] === '-' ? -ms : ms;
}
