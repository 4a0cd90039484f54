/** Statistics and the bounded-concurrency pool the workloads run on. */

/** Nearest-rank percentile (p in 0..100) of unsorted values; null when there are none. */
export function percentile(values: ArrayLike<number>, p: number): number | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** Median of the finite numbers among `values` (mean of the two middle ones for an even count). */
export function median(values: readonly (number | null | undefined)[]): number | null {
  const v = values.filter((x): x is number => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

export const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;

export interface PoolResult {
  wallMs: number;
  /** Per-task latency in ms, by task index. */
  latencies: Float64Array;
  errors: number;
  firstError?: string;
}

/**
 * Runs `task(i)` for i in [0, n) with at most `concurrency` in flight. A task that throws counts
 * as an error (the first message is kept) and the pool goes on: a benchmark reports failures.
 */
export async function runPool(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<PoolResult> {
  const latencies = new Float64Array(n);
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const worker = async (): Promise<void> => {
    for (let i = next++; i < n; i = next++) {
      const t0 = performance.now();
      try {
        await task(i);
      } catch (e) {
        errors++;
        firstError ??= e instanceof Error ? e.message : String(e);
      }
      latencies[i] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return { wallMs: performance.now() - start, latencies, errors, ...(firstError !== undefined ? { firstError } : {}) };
}

export interface Throughput {
  n: number;
  wallS: number;
  docsPerS: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  errors: number;
  firstError?: string;
}

export function throughputOf(n: number, pool: PoolResult): Throughput {
  return {
    n,
    wallS: round(pool.wallMs / 1000, 3),
    docsPerS: Math.round(n / (pool.wallMs / 1000)),
    p50Ms: nullableRound(percentile(pool.latencies, 50), 3),
    p99Ms: nullableRound(percentile(pool.latencies, 99), 3),
    maxMs: nullableRound(percentile(pool.latencies, 100), 3),
    errors: pool.errors,
    ...(pool.firstError !== undefined ? { firstError: pool.firstError } : {}),
  };
}

export const nullableRound = (x: number | null, digits = 1): number | null => (x === null ? null : round(x, digits));
