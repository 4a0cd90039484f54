/**
 * Calendar helpers for time series: local days, hours, ISO weeks and months in an IANA time zone.
 *
 * Intl costs a microsecond or more per call, too slow for 175,200 points, so UTC offsets are
 * looked up once per UTC day (the offsets at its start and at the next day's start are compared)
 * and once per hour on the days a transition happens. The offsets live in a bounded memo per zone name: a cache of a pure
 * function, which changes no result, only the time it takes.
 */
import { FoyerError } from '../errors.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const DAY_FORMAT = /^(\d{4})-(\d{2})-(\d{2})$/;
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/;
/** Entries per zone before the memo starts over (about 27 years of days). */
const MAX_CACHED_DAYS = 10_000;

/** Offsets of one UTC day: one number, or per hour on a transition day (`null`: it changes within the hour). */
type DayOffsets = number | (number | null)[];

interface ZoneOffsets {
  /** Formats only the offset, e.g. `2024, GMT+01:00`: the cheapest Intl call that yields it. */
  format: Intl.DateTimeFormat;
  days: Map<number, DayOffsets>;
  /** The offset at 00:00 UTC of each day looked up: the end of one day is probed as the start of the next. */
  starts: Map<number, number>;
  /** The last UTC day looked up, to skip the map for runs of points on the same day. */
  lastUtcDay: number;
  lastOffsets: DayOffsets;
  /** The last local day formatted, for the same reason. */
  lastLocalDay: number;
  lastLocalDayString: string;
}

const zones = new Map<string, ZoneOffsets>();

/** True for a time zone name Intl knows (`Europe/Paris`, `UTC`, `Asia/Kolkata`...). */
export function isValidTimeZone(name: string): boolean {
  if (!ZONE_NAME.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Throws `validation_failed` unless `name` is a time zone Intl knows. */
export function assertTimeZone(name: string): void {
  if (!isValidTimeZone(name)) {
    throw new FoyerError('validation_failed', `"${name}" is not an IANA time zone name (e.g. Europe/Paris).`, {
      timeZone: name,
    });
  }
}

function zoneOf(name: string): ZoneOffsets {
  let zone = zones.get(name);
  if (!zone) {
    assertTimeZone(name);
    const format = new Intl.DateTimeFormat('en-US', { timeZone: name, year: 'numeric', timeZoneName: 'longOffset' });
    zone = {
      format,
      days: new Map(),
      starts: new Map(),
      lastUtcDay: Number.NaN,
      lastOffsets: 0,
      lastLocalDay: Number.NaN,
      lastLocalDayString: '',
    };
    zones.set(name, zone);
  }
  return zone;
}

const OFFSET = /GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** The offset (local minus UTC, in ms) at an instant, straight from Intl. */
function intlOffset(format: Intl.DateTimeFormat, epochMs: number): number {
  const text = format.format(epochMs);
  const m = OFFSET.exec(text);
  if (!m) throw new FoyerError('internal', `Cannot read a UTC offset from "${text}".`);
  if (m[1] === undefined) return 0;
  const ms = (Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0)) * 1000;
  return m[1] === '-' ? -ms : ms;
}

function startOffset(zone: ZoneOffsets, utcDay: number): number {
  let offset = zone.starts.get(utcDay);
  if (offset === undefined) {
    offset = intlOffset(zone.format, utcDay * DAY);
    zone.starts.set(utcDay, offset);
  }
  return offset;
}

function offsetsOfDay(zone: ZoneOffsets, utcDay: number): DayOffsets {
  if (utcDay === zone.lastUtcDay) return zone.lastOffsets;
  let offsets = zone.days.get(utcDay);
  if (offsets === undefined) {
    const start = utcDay * DAY;
    const first = startOffset(zone, utcDay);
    const last = startOffset(zone, utcDay + 1);
    if (first === last) {
      offsets = first;
    } else {
      offsets = [];
      for (let h = 0; h < 24; h++) {
        const a = intlOffset(zone.format, start + h * HOUR);
        const b = intlOffset(zone.format, start + (h + 1) * HOUR - 1);
        offsets.push(a === b ? a : null);
      }
    }
    if (zone.days.size >= MAX_CACHED_DAYS) {
      zone.days.clear();
      zone.starts.clear();
    }
    zone.days.set(utcDay, offsets);
  }
  zone.lastUtcDay = utcDay;
  zone.lastOffsets = offsets;
  return offsets;
}

/** Local time minus UTC, in milliseconds, at this instant in zone `tz`. */
export function utcOffset(epochMs: number, tz: string): number {
  return offsetIn(zoneOf(tz), epochMs);
}

function offsetIn(zone: ZoneOffsets, epochMs: number): number {
  const utcDay = Math.floor(epochMs / DAY);
  const offsets = offsetsOfDay(zone, utcDay);
  if (typeof offsets === 'number') return offsets;
  const hourly = offsets[Math.floor((epochMs - utcDay * DAY) / HOUR)];
  return hourly ?? intlOffset(zone.format, epochMs);
}

/** `YYYY-MM-DD`: the calendar day of this instant in zone `tz`. */
export function localDay(epochMs: number, tz: string): string {
  const zone = zoneOf(tz);
  const days = Math.floor((epochMs + offsetIn(zone, epochMs)) / DAY);
  if (days !== zone.lastLocalDay) {
    zone.lastLocalDay = days;
    zone.lastLocalDayString = dayString(days);
  }
  return zone.lastLocalDayString;
}

/** `YYYY-MM-DDTHH`: the local hour of this instant in zone `tz`. */
export function localHourKey(epochMs: number, tz: string): string {
  const zone = zoneOf(tz);
  const local = epochMs + offsetIn(zone, epochMs);
  const days = Math.floor(local / DAY);
  if (days !== zone.lastLocalDay) {
    zone.lastLocalDay = days;
    zone.lastLocalDayString = dayString(days);
  }
  return `${zone.lastLocalDayString}T${pad2(Math.floor((local - days * DAY) / HOUR))}`;
}

/**
 * The first instant of local day `day` in zone `tz` (epoch ms). Usually local midnight; where
 * midnight falls in a daylight-saving gap, the instant the day actually starts.
 */
export function localMidnight(day: string, tz: string): number {
  const utcMidnight = dayNumber(day) * DAY;
  // The offset may differ on either side of midnight: try each and keep the earliest instant
  // that falls on `day`.
  let best = Number.POSITIVE_INFINITY;
  for (const probe of [utcMidnight - DAY, utcMidnight, utcMidnight + DAY]) {
    const candidate = utcMidnight - utcOffset(probe, tz);
    if (candidate < best && localDay(candidate, tz) === day) best = candidate;
  }
  if (best === Number.POSITIVE_INFINITY) {
    // Midnight was skipped: the day starts at the transition, somewhere in the next hours.
    let t = utcMidnight - utcOffset(utcMidnight, tz);
    while (localDay(t, tz) !== day) t += MINUTE;
    best = t;
  }
  return best;
}

/** The Monday (`YYYY-MM-DD`) starting the ISO week of `day`. */
export function isoWeekStart(day: string): string {
  const n = dayNumber(day);
  // 1970-01-01 was a Thursday: (n + 3) mod 7 counts days since Monday.
  return dayString(n - mod(n + 3, 7));
}

/** `YYYY-MM`: the month of `day`. */
export function monthKey(day: string): string {
  dayNumber(day);
  return day.slice(0, 7);
}

/** `day` moved by `days` calendar days. */
export function addDays(day: string, days: number): string {
  return dayString(dayNumber(day) + days);
}

/** True for a real calendar day written `YYYY-MM-DD`. */
export function isDay(day: string): boolean {
  const m = DAY_FORMAT.exec(day);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` day; throws `bad_request` for anything else. */
export function dayNumber(day: string): number {
  if (!isDay(day)) throw new FoyerError('bad_request', `"${day}" is not a calendar day (YYYY-MM-DD).`, { day });
  return daysFromCivil(Number(day.slice(0, 4)), Number(day.slice(5, 7)), Number(day.slice(8, 10)));
}

/** `YYYY-MM-DD` of a count of days since 1970-01-01. */
export function dayString(days: number): string {
  // Civil-from-days (proleptic Gregorian), as in H. Hinnant's date algorithms.
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y < 1000 ? String(y).padStart(4, '0') : y}-${pad2(m)}-${pad2(d)}`;
}

function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}
