/** Axis arithmetic for the charts: round tick steps and a linear map from values to pixels. */

/** About `count` round ticks (1, 2 or 5 times a power of ten) from 0 (or below) to at least `max`. */
export function niceTicks(min: number, max: number, count = 4): number[] {
  const lo = Math.min(0, min);
  const hi = max > lo ? max : lo + 1;
  const raw = (hi - lo) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = Math.floor(lo / step) * step; v < hi + step - 1e-9; v += step) {
    ticks.push(Number(v.toFixed(10)));
    if (v >= hi) break;
  }
  return ticks;
}

/** value → pixel, domain [d0, d1] onto range [r0, r1]. */
export function linear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** At most `max` indexes of `n` items at an even whole step from the first: labels that never crowd. */
export function sparseIndexes(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const step = Math.ceil((n - 1) / (Math.max(2, max) - 1));
  const out: number[] = [];
  for (let i = 0; i < n; i += step) out.push(i);
  return out;
}
