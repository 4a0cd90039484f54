/**
 * Retention periods: ISO 8601 durations (`P10Y`, `P18M`, `P2W`, `P30D`, `PT12H`), checked, and
 * counted back from an instant the way people count them: a year before 29 February is 28
 * February, a month before 31 March is the last day of February (not 30 days before).
 */
import { FoyerError } from '../errors.js';

const DURATION = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;
const DAY_MS = 86_400_000;
/** 0001-01-01T00:00:00Z: nothing in a space is older, and earlier years do not print as ISO 8601. */
const YEAR_ONE = -62_135_596_800_000;

interface Parts {
  years: number;
  months: number;
  /** Weeks and days, in days. */
  days: number;
  /** Hours, minutes and seconds, in milliseconds. */
  ms: number;
}

function parse(duration: string): Parts | null {
  const m = DURATION.exec(duration);
  if (!m) return null;
  const n = (i: number) => Number(m[i] ?? 0);
  return { years: n(1), months: n(2), days: n(3) * 7 + n(4), ms: (n(5) * 3600 + n(6) * 60 + n(7)) * 1000 };
}

export function isIsoDuration(value: string): boolean {
  return DURATION.test(value);
}

/**
 * The owner's retention for a doctype: an ISO 8601 duration of at least a day (a shorter one,
 * or `P0D`, would delete what arrives before anyone sees it). Throws `validation_failed`.
 */
export function checkRetention(value: string, path = '/retention'): void {
  const parts = parse(value);
  const problem = !parts
    ? 'must be an ISO 8601 duration, e.g. P2Y, P18M or P90D'
    : parts.years + parts.months + parts.days === 0 && parts.ms < DAY_MS
      ? 'must be at least one day (P1D)'
      : retentionCutoff(Date.UTC(2000, 0, 1), value) === null
        ? 'must be shorter than 2000 years'
        : null;
  if (problem) {
    throw new FoyerError('validation_failed', `${path}: ${problem}.`, {
      issues: [{ path, rule: 'duration', message: `${path}: ${problem}` }],
    });
  }
}

/**
 * The instant `duration` before `now` (UTC calendar): what was dated before it has expired.
 * Null when that reaches before year 1 (nothing can be that old) or the duration is malformed.
 */
export function retentionCutoff(now: number, duration: string): number | null {
  const parts = parse(duration);
  if (!parts) return null;
  const d = new Date(now);
  const dayOfMonth = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCFullYear(d.getUTCFullYear() - parts.years);
  d.setUTCMonth(d.getUTCMonth() - parts.months);
  const last = new Date(d.getTime());
  last.setUTCMonth(last.getUTCMonth() + 1, 0);
  d.setUTCDate(Math.min(dayOfMonth, last.getUTCDate()));
  const cutoff = d.getTime() - parts.days * DAY_MS - parts.ms;
  return Number.isFinite(cutoff) && cutoff >= YEAR_ONE ? cutoff : null;
}
