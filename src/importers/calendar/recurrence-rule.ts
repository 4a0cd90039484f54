/**
 * RRULE values (RFC 5545 §3.3.10, RSCALE/SKIP of RFC 7529): checked part by part and written back
 * in one canonical form, FREQ first, names and values upper-case, so that `calendar.event.recurrence`
 * holds only rules a recurrence library can expand. Experimental `X-` parts are dropped.
 */
import { parseIcalTime } from './icalendar-values.js';

const FREQS = new Set(['SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']);
const WEEKDAYS = new Set(['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA']);

/** Checks one part's value; returns a reason when it is wrong. */
type PartCheck = (value: string) => string | undefined;

const intList =
  (min: number, max: number, signed: boolean): PartCheck =>
  (value) => {
    for (const item of value.split(',')) {
      if (!/^[+-]?\d{1,3}$/.test(item)) return `"${item}" is not a number`;
      const n = Number(item);
      if (!signed && /^[+-]/.test(item)) return `"${item}" cannot be signed`;
      if (Math.abs(n) < min || Math.abs(n) > max) return `${item} is out of range`;
    }
    return undefined;
  };

const positive: PartCheck = (value) =>
  /^\d{1,9}$/.test(value) && Number(value) > 0 ? undefined : `"${value}" is not a positive whole number`;

const PARTS: Record<string, PartCheck> = {
  FREQ: (v) => (FREQS.has(v) ? undefined : `"${v}" is not a frequency`),
  UNTIL: (v) => (parseIcalTime(v) ? undefined : `"${v}" is not a date`),
  COUNT: positive,
  INTERVAL: positive,
  BYSECOND: intList(0, 60, false),
  BYMINUTE: intList(0, 59, false),
  BYHOUR: intList(0, 23, false),
  BYDAY: (v) => {
    for (const item of v.split(',')) {
      const m = /^([+-]?\d{1,2})?([A-Z]{2})$/.exec(item);
      if (!m || !WEEKDAYS.has(m[2]!)) return `"${item}" is not a weekday`;
      if (m[1] !== undefined && (Math.abs(Number(m[1])) < 1 || Math.abs(Number(m[1])) > 53)) {
        return `"${item}" is out of range`;
      }
    }
    return undefined;
  },
  BYMONTHDAY: intList(1, 31, true),
  BYYEARDAY: intList(1, 366, true),
  BYWEEKNO: intList(1, 53, true),
  BYMONTH: (v) => {
    for (const item of v.split(',')) {
      const m = /^(\d{1,2})L?$/.exec(item);
      if (!m || Number(m[1]) < 1 || Number(m[1]) > 13) return `"${item}" is not a month`;
    }
    return undefined;
  },
  BYSETPOS: intList(1, 366, true),
  WKST: (v) => (WEEKDAYS.has(v) ? undefined : `"${v}" is not a weekday`),
  RSCALE: (v) => (/^[A-Z0-9]{1,30}$/.test(v) ? undefined : `"${v}" is not a calendar scale`),
  SKIP: (v) => (v === 'OMIT' || v === 'BACKWARD' || v === 'FORWARD' ? undefined : `"${v}" is not a SKIP value`),
};

export type ParsedRule = { ok: true; rule: string; parts: Map<string, string> } | { ok: false; reason: string };

export function parseRecurrenceRule(raw: string): ParsedRule {
  const text = raw
    .trim()
    .replace(/^RRULE:/i, '')
    .replace(/;+$/, '');
  if (!text) return { ok: false, reason: 'it is empty' };
  const parts = new Map<string, string>();
  for (const piece of text.split(';')) {
    const eq = piece.indexOf('=');
    if (eq <= 0) return { ok: false, reason: `"${piece}" is not NAME=value` };
    const name = piece.slice(0, eq).trim().toUpperCase();
    const value = piece
      .slice(eq + 1)
      .trim()
      .toUpperCase();
    if (name.startsWith('X-')) continue;
    const check = PARTS[name];
    if (!check) return { ok: false, reason: `"${name}" is not a part of a recurrence rule` };
    if (parts.has(name)) return { ok: false, reason: `${name} is given twice` };
    if (!value) return { ok: false, reason: `${name} has no value` };
    const wrong = check(value);
    if (wrong) return { ok: false, reason: `${name}: ${wrong}` };
    parts.set(name, value);
  }
  if (!parts.has('FREQ')) return { ok: false, reason: 'FREQ is missing' };
  if (parts.has('UNTIL') && parts.has('COUNT')) return { ok: false, reason: 'UNTIL and COUNT cannot both be given' };
  // Leap months (5L) and a 13th month exist only in the calendars RSCALE names.
  const leap = parts
    .get('BYMONTH')
    ?.split(',')
    .find((m) => m.endsWith('L') || Number(m) > 12);
  if (leap && !parts.has('RSCALE')) return { ok: false, reason: `BYMONTH: "${leap}" is not a month` };
  const ordered = [`FREQ=${parts.get('FREQ')}`];
  for (const [name, value] of parts) if (name !== 'FREQ') ordered.push(`${name}=${value}`);
  return { ok: true, rule: ordered.join(';'), parts };
}
