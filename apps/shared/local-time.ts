/**
 * Local calendar day and hour of an instant in a time zone, for app logic that runs in a browser
 * frame (no Node APIs). Intl does the zone rules; results are cached per quarter hour, since every
 * zone's offset is a multiple of 15 minutes and apps convert tens of thousands of half-hour points.
 */
export interface LocalTime {
  /** YYYY-MM-DD */
  day: string;
  /** 0-23 */
  hour: number;
  minute: number;
}

export type LocalTimeOf = (instant: string | number) => LocalTime;

const QUARTER_MS = 15 * 60_000;

export function localTimeIn(timeZone: string): LocalTimeOf {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
  } catch {
    throw new RangeError(`unknown time zone ${timeZone}`);
  }
  const cache = new Map<number, LocalTime>();
  return (instant) => {
    const ms = typeof instant === 'number' ? instant : Date.parse(instant);
    if (!Number.isFinite(ms)) throw new RangeError(`not an instant: ${String(instant)}`);
    const quarter = Math.floor(ms / QUARTER_MS);
    let start = cache.get(quarter);
    if (!start) {
      const parts: Record<string, string> = {};
      for (const p of format.formatToParts(quarter * QUARTER_MS)) parts[p.type] = p.value;
      start = {
        day: `${parts.year}-${parts.month}-${parts.day}`,
        hour: Number(parts.hour),
        minute: Number(parts.minute),
      };
      cache.set(quarter, start);
    }
    const extra = Math.floor((ms - quarter * QUARTER_MS) / 60_000);
    return { day: start.day, hour: start.hour, minute: start.minute + extra };
  };
}

/** Days between two YYYY-MM-DD days (b - a). */
export const daysBetween = (a: string, b: string): number =>
  Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

export const addDays = (day: string, n: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The same day one year earlier (29 February becomes 28 February). */
export function sameDayLastYear(day: string): string {
  const y = Number(day.slice(0, 4)) - 1;
  const md = day.slice(5) === '02-29' ? '02-28' : day.slice(5);
  return `${y}-${md}`;
}

/** Every day of an inclusive range, in order. */
export function daysOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}
