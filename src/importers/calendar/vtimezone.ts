/**
 * Offsets from a VTIMEZONE's own STANDARD and DAYLIGHT observances (RFC 5545 §3.6.5), for zones
 * whose TZID names nothing known. Each observance starts at DTSTART (a wall time in its
 * TZOFFSETFROM) and recurs by its RRULE or RDATEs; from its onset on, TZOFFSETTO applies. The
 * yearly rules producers write (`FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU`, the older
 * `BYDAY=1SU;BYMONTHDAY=8,...,14` form, with UNTIL, COUNT or INTERVAL) are expanded; anything else
 * counts as its DTSTART only.
 */
import type { ContentLine } from './content-line.js';
import { parseIcalTime, parseUtcOffset, utcMs } from './icalendar-values.js';
import { parseRecurrenceRule } from './recurrence-rule.js';
import type { ZoneRules } from './zone-rules.js';

export interface ObservanceInput {
  n: number;
  props: ContentLine[];
}

interface YearlyRule {
  months: number[];
  byDay: { nth: number; weekday: number }[];
  byMonthDay: number[];
  interval: number;
  count: number | undefined;
  /** UNTIL as an instant (`Z`) or as a wall time. */
  until: { ms: number; utc: boolean } | undefined;
}

interface Observance {
  /** Wall time of the first onset, counted as UTC. */
  start: number;
  startYear: number;
  from: number;
  to: number;
  rule: YearlyRule | undefined;
  /** Extra onsets, wall times. */
  rdates: number[];
  /** Onsets (UTC) by year, computed on demand. */
  years: Map<number, number[]>;
}

const WEEKDAY_INDEX: Record<string, number> = { SU: 0, MO: 1, TU: 2, WE: 3, TH: 4, FR: 5, SA: 6 };

function first(props: readonly ContentLine[], name: string): ContentLine | undefined {
  return props.find((p) => p.name === name);
}

function readRule(value: string, startMonth: number): YearlyRule | string {
  const parsed = parseRecurrenceRule(value);
  if (!parsed.ok) return `its RRULE is not valid (${parsed.reason})`;
  const { parts } = parsed;
  const supported = new Set(['FREQ', 'BYMONTH', 'BYDAY', 'BYMONTHDAY', 'INTERVAL', 'COUNT', 'UNTIL', 'WKST']);
  const unsupported = [...parts.keys()].filter((k) => !supported.has(k));
  if (parts.get('FREQ') !== 'YEARLY' || unsupported.length > 0)
    return `its RRULE "${parsed.rule}" is not a yearly rule`;
  const list = (name: string) => (parts.get(name)?.split(',') ?? []).filter(Boolean);
  const untilValue = parts.get('UNTIL');
  const until = untilValue === undefined ? undefined : parseIcalTime(untilValue);
  return {
    months: parts.has('BYMONTH') ? list('BYMONTH').map((m) => Number(m.replace('L', ''))) : [startMonth],
    byDay: list('BYDAY').map((d) => ({ nth: Number(d.slice(0, -2) || 0), weekday: WEEKDAY_INDEX[d.slice(-2)] ?? 0 })),
    byMonthDay: list('BYMONTHDAY').map(Number),
    interval: Number(parts.get('INTERVAL') ?? 1),
    count: parts.has('COUNT') ? Number(parts.get('COUNT')) : undefined,
    until: until === undefined ? undefined : { ms: until.ms, utc: until.kind === 'utc' },
  };
}

function monthLength(year: number, month: number): number {
  return new Date(utcMs(year, month + 1, 1, 0, 0, 0) - 1).getUTCDate();
}

/** Days of `month` in `year` that the rule picks. */
function ruleDays(rule: YearlyRule, year: number, month: number, startDay: number): number[] {
  const length = monthLength(year, month);
  const monthDays = rule.byMonthDay.map((d) => (d > 0 ? d : length + d + 1)).filter((d) => d >= 1 && d <= length);
  if (rule.byDay.length === 0) return monthDays.length > 0 ? monthDays : startDay <= length ? [startDay] : [];
  const firstWeekday = new Date(utcMs(year, month, 1, 0, 0, 0)).getUTCDay();
  const days: number[] = [];
  for (const { nth, weekday } of rule.byDay) {
    const firstOf = 1 + ((weekday - firstWeekday + 7) % 7);
    const all: number[] = [];
    for (let d = firstOf; d <= length; d += 7) all.push(d);
    const picked =
      nth === 0 ? all : nth > 0 ? all.slice(nth - 1, nth) : all.slice(all.length + nth, all.length + nth + 1);
    for (const d of picked) if (monthDays.length === 0 || monthDays.includes(d)) days.push(d);
  }
  return days;
}

function onsetsOfYear(obs: Observance, year: number): number[] {
  const cached = obs.years.get(year);
  if (cached) return cached;
  const wall: number[] = [];
  if (year === obs.startYear) wall.push(obs.start);
  for (const r of obs.rdates) if (new Date(r).getUTCFullYear() === year) wall.push(r);
  const rule = obs.rule;
  if (rule && year >= obs.startYear && (year - obs.startYear) % rule.interval === 0) {
    const start = new Date(obs.start);
    const time = [start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds()] as const;
    let index = 0;
    if (rule.count !== undefined) {
      // Onsets before this year, counted from the start (yearly rules give a few a year).
      for (let y = obs.startYear; y < year && index < rule.count; y += rule.interval) {
        index += rule.months.reduce((sum, m) => sum + ruleDays(rule, y, m, start.getUTCDate()).length, 0);
      }
    }
    for (const month of rule.months) {
      for (const day of ruleDays(rule, year, month, start.getUTCDate())) {
        const local = utcMs(year, month, day, ...time);
        if (local < obs.start) continue;
        if (rule.count !== undefined && index >= rule.count) continue;
        if (rule.until && (rule.until.utc ? local - obs.from : local) > rule.until.ms) continue;
        index++;
        if (local !== obs.start) wall.push(local);
      }
    }
  }
  const onsets = wall.map((w) => w - obs.from).sort((a, b) => a - b);
  obs.years.set(year, onsets);
  return onsets;
}

/** The latest onset of `obs` at or before `t`, or undefined. */
function latestOnset(obs: Observance, t: number): number | undefined {
  if (!obs.rule) {
    let best: number | undefined;
    for (const wall of [obs.start, ...obs.rdates]) {
      const onset = wall - obs.from;
      if (onset <= t && (best === undefined || onset > best)) best = onset;
    }
    return best;
  }
  const year = new Date(t).getUTCFullYear() + 1;
  for (let y = year; y >= obs.startYear && y > year - 1000; y--) {
    const onsets = onsetsOfYear(obs, y);
    for (let i = onsets.length - 1; i >= 0; i--) if (onsets[i]! <= t) return onsets[i];
  }
  return undefined;
}

/**
 * Zone rules from a VTIMEZONE's observances, or a reason it has none usable. `problems` collects
 * observances that were left out, for warnings.
 */
export function vtimezoneRules(
  observances: readonly ObservanceInput[],
  problems: { line: number; message: string }[],
): ZoneRules | undefined {
  const usable: Observance[] = [];
  for (const input of observances) {
    const dtstart = first(input.props, 'DTSTART');
    const start = dtstart === undefined ? undefined : parseIcalTime(dtstart.value);
    const from = parseUtcOffset(first(input.props, 'TZOFFSETFROM')?.value ?? '');
    const to = parseUtcOffset(first(input.props, 'TZOFFSETTO')?.value ?? '');
    if (!start || start.kind === 'utc' || from === undefined || to === undefined) {
      problems.push({
        line: input.n,
        message: 'a time zone observance without a valid DTSTART, TZOFFSETFROM and TZOFFSETTO is ignored',
      });
      continue;
    }
    const startDate = new Date(start.ms);
    let rule: YearlyRule | undefined;
    const rrule = first(input.props, 'RRULE');
    if (rrule) {
      const read = readRule(rrule.value, startDate.getUTCMonth() + 1);
      if (typeof read === 'string')
        problems.push({ line: rrule.n, message: `a time zone observance is read without its recurrence: ${read}` });
      else rule = read;
    }
    const rdates: number[] = [];
    for (const line of input.props) {
      if (line.name !== 'RDATE') continue;
      for (const v of line.value.split(',')) {
        const time = parseIcalTime(v);
        if (time && time.kind !== 'utc') rdates.push(time.ms);
      }
    }
    usable.push({ start: start.ms, startYear: startDate.getUTCFullYear(), from, to, rule, rdates, years: new Map() });
  }
  if (usable.length === 0) return undefined;
  const earliest = usable.reduce((a, b) => (b.start - b.from < a.start - a.from ? b : a));
  return {
    offsetAt(t) {
      let best: number | undefined;
      let offset = earliest.from;
      for (const obs of usable) {
        const onset = latestOnset(obs, t);
        if (onset !== undefined && (best === undefined || onset > best)) {
          best = onset;
          offset = obs.to;
        }
      }
      return offset;
    },
  };
}
