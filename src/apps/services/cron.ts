/**
 * Five-field cron schedules (minute hour day-of-month month day-of-week, in UTC): numbers, `*`,
 * lists, ranges and steps, as the manifest checks them (`cronProblem`). When both days are
 * restricted, either matches (as classic cron does). Kept small: apps need nothing more.
 */
const RANGES: readonly [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];

function field(text: string, [min, max]: [number, number]): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Error(`bad cron field ${text}`);
    const from = m[1] === '*' ? min : Number(m[2]);
    const to = m[1] === '*' ? max : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? max : from;
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

/** The first minute strictly after `after` (epoch ms) the schedule names, or null within a year and a day. */
export function nextCronTime(expression: string, after: number): number | null {
  const parts = expression.trim().split(/\s+/);
  const [minutes, hours, days, months, weekdays] = parts.map((p, i) => field(p, RANGES[i]!));
  if (weekdays!.has(7)) weekdays!.add(0);
  const anyDay = parts[2] === '*';
  const anyWeekday = parts[4] === '*';
  let t = Math.floor(after / 60_000) * 60_000 + 60_000;
  const end = after + 367 * 24 * 3600 * 1000;
  while (t <= end) {
    const d = new Date(t);
    if (!months!.has(d.getUTCMonth() + 1)) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
      continue;
    }
    const dayOk = days!.has(d.getUTCDate());
    const weekdayOk = weekdays!.has(d.getUTCDay());
    const dateOk = anyDay && anyWeekday ? true : anyDay ? weekdayOk : anyWeekday ? dayOk : dayOk || weekdayOk;
    if (!dateOk) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
      continue;
    }
    if (!hours!.has(d.getUTCHours())) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
      continue;
    }
    if (minutes!.has(d.getUTCMinutes())) return t;
    t += 60_000;
  }
  return null;
}
