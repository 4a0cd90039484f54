/**
 * Civil time in Europe/Paris, computed from the EU summer-time rule (last Sunday of March to last
 * Sunday of October, switching at 01:00 UTC) rather than the host's time zone database, so that
 * synthetic data does not depend on the machine.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export interface LocalTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

/** UTC instant of the last Sunday of a month at 01:00 UTC. */
function lastSundayAt1Utc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month, 0));
  const sunday = lastDay.getUTCDate() - lastDay.getUTCDay();
  return Date.UTC(year, month - 1, sunday, 1);
}

export function parisOffsetMs(utcMs: number): number {
  const year = new Date(utcMs).getUTCFullYear();
  const summer = utcMs >= lastSundayAt1Utc(year, 3) && utcMs < lastSundayAt1Utc(year, 10);
  return summer ? 2 * HOUR_MS : HOUR_MS;
}

export function toParis(utcMs: number): LocalTime {
  const d = new Date(utcMs + parisOffsetMs(utcMs));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    weekday: d.getUTCDay(),
  };
}

/** The UTC instant of a Paris wall-clock time (a time skipped in spring resolves one hour later). */
export function parisToUtc(year: number, month: number, day: number, hour = 0, minute = 0): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  for (const offset of [2 * HOUR_MS, HOUR_MS]) if (parisOffsetMs(wall - offset) === offset) return wall - offset;
  return wall - HOUR_MS;
}

/** Midnight in Paris of the local day containing `utcMs`, as a UTC instant. */
export function parisMidnight(utcMs: number): number {
  const l = toParis(utcMs);
  return parisToUtc(l.year, l.month, l.day);
}

/** The first Paris midnight at or after `utcMs`. */
export function nextParisMidnight(utcMs: number): number {
  const midnight = parisMidnight(utcMs);
  return midnight >= utcMs ? midnight : parisMidnight(midnight + 36 * HOUR_MS);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `2024-03-01T08:30:00Z` (no milliseconds: holders rarely have them). */
export function isoInstant(utcMs: number): string {
  return new Date(Math.floor(utcMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The Paris calendar day of an instant, `YYYY-MM-DD`. */
export function parisDate(utcMs: number): string {
  const l = toParis(utcMs);
  return isoDate(l.year, l.month, l.day);
}

export function isoDate(year: number, month: number, day: number): string {
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** Adds days to a `YYYY-MM-DD` date (calendar arithmetic, no time zone involved). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Adds calendar months to a `YYYY-MM-DD` date, clamping the day to the month's length. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return isoDate(year, month, Math.min(d, lastDay));
}

/** Day of the year, 0-based, used to shape seasonal profiles. */
export function dayOfYear(local: LocalTime): number {
  return Math.floor((Date.UTC(local.year, local.month - 1, local.day) - Date.UTC(local.year, 0, 1)) / DAY_MS);
}

/** 1 in mid-January, -1 in mid-July: how wintry a day is, for heating-driven consumption. */
export function winterness(local: LocalTime): number {
  return Math.cos((2 * Math.PI * (dayOfYear(local) - 15)) / 365.25);
}
