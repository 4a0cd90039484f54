/**
 * Local time of a Green Button (NAESB ESPI) feed: its `LocalTimeParameters` give the standard
 * offset (`tzOffset`, seconds), the daylight-saving shift (`dstOffset`) and two bit-packed rules
 * (`dstStartRule`, `dstEndRule`, hexadecimal) saying when daylight-saving time starts and ends
 * each year. As the Green Button Alliance documents them:
 *   bits 0-11 seconds (0-3599), 12-16 hour, 17-19 day of week (1 Monday … 7 Sunday, 0 none),
 *   20-24 day of month, 25-27 operator, 28-31 month (1-12).
 * Operators: 0 that day of the month; 1 the day of week on or after it; 2-6 its first to fifth
 * occurrence in the month; 7 its last. A rule's time is local wall-clock time before the change
 * (02:00 standard time in spring, 02:00 daylight time in autumn, for the US).
 */
import { dayString, utcOffset } from '../../core/time/time-zone.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** A way to tell the local offset (local minus UTC, ms) at an instant. */
export interface LocalZone {
  offsetAt(utcMs: number): number;
}

export interface EspiTimeParameters {
  tzOffsetSeconds: number;
  dstOffsetSeconds: number;
  dstStartRule?: string;
  dstEndRule?: string;
}

interface DstRule {
  seconds: number;
  hour: number;
  dayOfWeek: number;
  dayOfMonth: number;
  operator: number;
  month: number;
}

export function decodeDstRule(hex: string | undefined): DstRule | undefined {
  if (hex === undefined || !/^[0-9a-f]{1,8}$/i.test(hex.trim())) return undefined;
  const rule = Number.parseInt(hex.trim(), 16) >>> 0;
  if (rule === 0xffffffff || rule === 0) return undefined;
  const r: DstRule = {
    seconds: rule & 0xfff,
    hour: (rule >>> 12) & 0x1f,
    dayOfWeek: (rule >>> 17) & 0x7,
    dayOfMonth: (rule >>> 20) & 0x1f,
    operator: (rule >>> 25) & 0x7,
    month: (rule >>> 28) & 0xf,
  };
  const valid =
    r.seconds < 3600 &&
    r.hour < 24 &&
    r.month >= 1 &&
    r.month <= 12 &&
    (r.operator === 0 ? r.dayOfMonth >= 1 : r.dayOfWeek >= 1);
  return valid ? r : undefined;
}

/** The rule's wall-clock moment in `year`, as if it were UTC (ms). */
export function ruleMoment(rule: DstRule, year: number): number {
  const daysInMonth = new Date(Date.UTC(year, rule.month, 0)).getUTCDate();
  const weekday = (d: number) => {
    const js = new Date(Date.UTC(year, rule.month - 1, d)).getUTCDay();
    return js === 0 ? 7 : js;
  };
  let day: number;
  if (rule.operator === 0) {
    day = Math.min(rule.dayOfMonth, daysInMonth);
  } else if (rule.operator === 1) {
    day = Math.max(1, rule.dayOfMonth);
    while (weekday(day) !== rule.dayOfWeek && day < daysInMonth) day++;
  } else if (rule.operator === 7) {
    day = daysInMonth;
    while (weekday(day) !== rule.dayOfWeek) day--;
  } else {
    day = 1;
    while (weekday(day) !== rule.dayOfWeek) day++;
    day += 7 * (rule.operator - 2);
    while (day > daysInMonth) day -= 7;
  }
  return Date.UTC(year, rule.month - 1, day, rule.hour) + rule.seconds * 1000;
}

export function espiZone(p: EspiTimeParameters): LocalZone {
  const standard = p.tzOffsetSeconds * 1000;
  const shift = p.dstOffsetSeconds * 1000;
  const start = decodeDstRule(p.dstStartRule);
  const end = decodeDstRule(p.dstEndRule);
  if (!start || !end || shift === 0) return { offsetAt: () => standard };
  return {
    offsetAt(utcMs) {
      const year = new Date(utcMs + standard).getUTCFullYear();
      const begins = ruleMoment(start, year) - standard;
      const ends = ruleMoment(end, year) - standard - shift;
      const summer = begins < ends ? utcMs >= begins && utcMs < ends : utcMs >= begins || utcMs < ends;
      return summer ? standard + shift : standard;
    },
  };
}

export function ianaZone(name: string): LocalZone {
  return { offsetAt: (utcMs) => utcOffset(utcMs, name) };
}

export function dayIn(utcMs: number, zone: LocalZone): string {
  return dayString(Math.floor((utcMs + zone.offsetAt(utcMs)) / DAY));
}

/** The first instant of local day `day` (YYYY-MM-DD) in `zone`. */
export function midnightIn(day: string, zone: LocalZone): number {
  const naive = Date.parse(`${day}T00:00:00Z`);
  let best: number | undefined;
  for (const offset of [zone.offsetAt(naive - 12 * HOUR), zone.offsetAt(naive + 12 * HOUR)]) {
    const candidate = naive - offset;
    if (zone.offsetAt(candidate) === offset && (best === undefined || candidate < best)) best = candidate;
  }
  // Midnight skipped by a change: the day starts when the clocks jump.
  return best ?? naive - zone.offsetAt(naive + 12 * HOUR);
}
