/**
 * Roll-up buckets (count, sum, min, max of the points' values) summed in JavaScript while an import
 * inserts its points, for buckets that held no point before: recomputing them in SQL afterwards
 * reads every point again and sorts them by bucket (a million points: about a second).
 * The sum is compensated (Kahan-Babuska-Neumaier), as SQLite's own `sum()` of real values is.
 */

export interface RollupSum {
  /** Values that were not null (SQL's `count(value)`). */
  count: number;
  sum: number;
  /** The compensation term of the sum. */
  error: number;
  min: number | null;
  max: number | null;
}

/** Buckets by key (the bucket and the stream, tab-separated). */
export type RollupSums = Map<string, RollupSum>;

export function rollupSum(sums: RollupSums, key: string): RollupSum {
  let sum = sums.get(key);
  if (sum === undefined) sums.set(key, (sum = { count: 0, sum: 0, error: 0, min: null, max: null }));
  return sum;
}

export function addValue(into: RollupSum, value: number | null): void {
  if (value === null) return;
  into.count++;
  const s = into.sum;
  const t = s + value;
  into.error += Math.abs(s) > Math.abs(value) ? s - t + value : value - t + s;
  into.sum = t;
  if (into.min === null || value < into.min) into.min = value;
  if (into.max === null || value > into.max) into.max = value;
}

/** The bucket's row values as SQL would give them: no value at all sums to NULL. */
export function rollupRow(sum: RollupSum): [count: number, sum: number | null, min: number | null, max: number | null] {
  return [sum.count, sum.count === 0 ? null : sum.sum + sum.error, sum.min, sum.max];
}
