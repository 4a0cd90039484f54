/**
 * Timestamps of energy files. French distributors write instants with an offset
 * (`2024-10-27T02:30:00+01:00`) or, in older exports and their data APIs, local times without one
 * (`2024-10-27 02:30:00`): those are Europe/Paris wall-clock times, the producer's zone, whatever
 * the space's zone is. A local time can be missing (the spring change skips 02:00-03:00) or
 * repeated (in autumn 02:00-03:00 happens twice); repeated ones are told apart by the order of the
 * file (see `createLocalResolver`).
 */
import { isDay, localDay, utcOffset } from '../../core/time/time-zone.js';

export const PRODUCER_ZONE = 'Europe/Paris';

const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export type ParsedTimestamp =
  | { kind: 'instant'; ms: number; text: string }
  | { kind: 'local'; local: LocalDateTime; dateOnly: boolean; text: string };

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const FRENCH = /^(\d{2})\/(\d{2})\/(\d{4})(?:[ T]+(\d{2})[:h](\d{2})(?::(\d{2}))?)?$/;

/**
 * Reads `2024-10-27T02:30:00+01:00`, `2024-10-27 02:30:00`, `2024-10-27`, `27/10/2024 02:30`,
 * `27/10/2024`; undefined for anything else or a date that does not exist (31 April, 25:00).
 */
export function parseTimestamp(raw: string): ParsedTimestamp | undefined {
  const text = raw.trim();
  let y: string | undefined, mo: string | undefined, d: string | undefined;
  let h: string | undefined, mi: string | undefined, s: string | undefined, zone: string | undefined;
  const iso = ISO.exec(text);
  if (iso) {
    [, y, mo, d, h, mi, s, zone] = iso;
    if (zone !== undefined && h === undefined) return undefined;
  } else {
    const fr = FRENCH.exec(text);
    if (!fr) return undefined;
    [, d, mo, y, h, mi, s] = fr;
  }
  const local: LocalDateTime = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h ?? 0),
    minute: Number(mi ?? 0),
    second: Number(s ?? 0),
  };
  if (!isDay(`${y}-${mo}-${d}`) || local.hour > 23 || local.minute > 59 || local.second > 59) return undefined;
  if (zone === undefined) return { kind: 'local', local, dateOnly: h === undefined, text };
  const naive = naiveUtc(local);
  if (zone.toUpperCase() === 'Z') return { kind: 'instant', ms: naive, text };
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0');
  if (offsetMinutes > 14 * 60) return undefined;
  return { kind: 'instant', ms: naive - sign * offsetMinutes * 60_000, text };
}

/** The local time read as if it were UTC. */
export function naiveUtc(l: LocalDateTime): number {
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
}

/** `YYYY-MM-DD` of a local time. */
export function localDateOf(l: LocalDateTime): string {
  return new Date(Date.UTC(l.year, l.month - 1, l.day)).toISOString().slice(0, 10);
}

/** The instants (0, 1 or 2, in order) whose wall-clock time in `zone` is `local`. */
export function instantsOf(local: LocalDateTime, zone: string): number[] {
  const naive = naiveUtc(local);
  const out: number[] = [];
  // Offsets change at most twice a year: the ones 12 hours either side cover both readings.
  for (const offset of new Set([utcOffset(naive - 12 * HOUR, zone), utcOffset(naive + 12 * HOUR, zone)])) {
    const candidate = naive - offset;
    if (utcOffset(candidate, zone) === offset && !out.includes(candidate)) out.push(candidate);
  }
  return out.sort((a, b) => a - b);
}

/**
 * Turns a file's local times into instants, in file order. A repeated local time (the autumn
 * change) takes the instant nearest the previous line's; when both are as near (the first line
 * of the repeated hour after its first pass), the file's direction decides: a file going forward
 * in time takes the later one. `undefined` means the local time does not exist (spring change).
 */
export function createLocalResolver(zone = PRODUCER_ZONE): (local: LocalDateTime) => number | undefined {
  let previous: number | undefined;
  let direction = 1;
  return (local) => {
    const candidates = instantsOf(local, zone);
    let pick = candidates[0];
    const later = candidates[1];
    if (pick === undefined) return undefined;
    if (later !== undefined && previous !== undefined) {
      const a = Math.abs(pick - previous);
      const b = Math.abs(later - previous);
      if (b < a || (a === b && direction > 0)) pick = later;
    }
    if (previous !== undefined && pick !== previous) direction = pick > previous ? 1 : -1;
    previous = pick;
    return pick;
  };
}

/** The Paris calendar day of an instant. */
export function producerDay(ms: number): string {
  return localDay(ms, PRODUCER_ZONE);
}

/** `2024-01-15T17:00:00Z`: the UTC instant without milliseconds when it has none. */
export function isoInstant(ms: number): string {
  const text = new Date(ms).toISOString();
  return text.endsWith('.000Z') ? `${text.slice(0, -5)}Z` : text;
}

/**
 * Readings before this year or more than a year after the import are absurd: a corrupt date,
 * not a meter's.
 */
export const EARLIEST_READING_MS = Date.UTC(1990, 0, 1);
export function isPlausibleInstant(ms: number, now: number): boolean {
  return ms >= EARLIEST_READING_MS && ms <= now + 366 * DAY;
}
