/**
 * ISO 8601 durations of calendar parts (`P1Y`, `P6M`, `P2W`, `P30D`, `PT12H`...), added to an
 * instant the way people count them: a month later is the same day of the next month (clamped
 * to its last day), not 30 days later.
 */
const DURATION = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

export function isIsoDuration(value: string): boolean {
  return DURATION.test(value);
}

/** `at` plus the duration, in epoch milliseconds (UTC calendar); throws on a malformed duration. */
export function addIsoDuration(at: number, duration: string): number {
  const m = DURATION.exec(duration);
  if (!m) throw new Error(`not an ISO 8601 duration: ${duration}`);
  const n = (i: number) => Number(m[i] ?? 0);
  const d = new Date(at);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCFullYear(d.getUTCFullYear() + n(1));
  d.setUTCMonth(d.getUTCMonth() + n(2));
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d.getTime() + ((n(3) * 7 + n(4)) * 24 * 3600 + n(5) * 3600 + n(6) * 60 + n(7)) * 1000;
}
