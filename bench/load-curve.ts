/**
 * The series workload: an electricity load curve from the catalog's own generator (a household's
 * 30-minute readings from 2015-01-01, Paris time), and the day and month buckets the server must
 * return for it, computed here independently with Intl in the space's time zone.
 */
import { generate } from '../catalog/doctypes/energy.electricity.load-curve/generator.js';
import { Rng } from '../catalog/synthetic/rng.js';

export const LOAD_CURVE_DOCTYPE = 'energy.electricity.load-curve';
/** The time zone the benchmark's spaces are created in (Foyer's default). */
export const BENCH_TIME_ZONE = 'Europe/Paris';
/** 2015-01-01T00:00 in Paris. */
const START = '2014-12-31T23:00:00Z';
const STEP_MS = 30 * 60_000;

export interface Bucket {
  count: number;
  sum: number;
}

export interface LoadCurveWorkload {
  points: { t: string; powerW: number }[];
  /** Query bounds as local days: the first point's day, and the day after the last point's. */
  from: string;
  to: string;
  days: Map<string, Bucket>;
  months: Map<string, Bucket>;
}

function addBucket(map: Map<string, Bucket>, key: string, value: number): void {
  const b = map.get(key);
  if (b) {
    b.count++;
    b.sum += value;
  } else map.set(key, { count: 1, sum: value });
}

export function makeLoadCurve(count: number, seed: number): LoadCurveWorkload {
  const startMs = Date.parse(START);
  const points = generate(new Rng(seed), {
    count,
    from: START,
    to: new Date(startMs + count * STEP_MS).toISOString(),
  }) as { t: string; powerW: number }[];
  // en-CA formats dates as YYYY-MM-DD.
  const dayOf = new Intl.DateTimeFormat('en-CA', {
    timeZone: BENCH_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const days = new Map<string, Bucket>();
  const months = new Map<string, Bucket>();
  for (const p of points) {
    const day = dayOf.format(new Date(p.t));
    addBucket(days, day, p.powerW);
    addBucket(months, day.slice(0, 7), p.powerW);
  }
  const dayKeys = [...days.keys()];
  const last = dayKeys[dayKeys.length - 1]!;
  return {
    points,
    from: dayKeys[0]!,
    to: new Date(Date.parse(`${last}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10),
    days,
    months,
  };
}

/** Differences between the buckets a server returned and the expected ones (empty: correct). */
export function bucketProblems(
  expected: Map<string, Bucket>,
  got: { key: string; value: number; count: number }[],
): string[] {
  const problems: string[] = [];
  if (got.length !== expected.size) problems.push(`${got.length} buckets, expected ${expected.size}`);
  for (const b of got) {
    const e = expected.get(b.key);
    if (!e) problems.push(`unexpected bucket ${b.key}`);
    else if (e.count !== b.count) problems.push(`${b.key}: ${b.count} points, expected ${e.count}`);
    // Sums are added in another order on the server: compare with a relative tolerance.
    else if (Math.abs(e.sum - b.value) > 1e-9 * Math.max(1, Math.abs(e.sum)))
      problems.push(`${b.key}: sum ${b.value}, expected ${e.sum}`);
    if (problems.length >= 5) break;
  }
  return problems;
}
