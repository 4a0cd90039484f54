import { describe, expect, it } from 'vitest';
import { median, percentile, runPool, throughputOf } from './stats.js';

describe('benchmark statistics', () => {
  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });

  it('takes medians of the finite numbers only', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([null, 5, undefined, Number.NaN])).toBe(5);
    expect(median([])).toBeNull();
  });

  it('runs every task with at most the given number in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const seen: number[] = [];
    const pool = await runPool(50, 4, async (i) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 1));
      seen.push(i);
      inFlight--;
    });
    expect(most).toBe(4);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(pool.errors).toBe(0);
    expect(pool.latencies.every((x) => x > 0)).toBe(true);
  });

  it('counts failed tasks as errors, keeps the first message and goes on', async () => {
    let ran = 0;
    const pool = await runPool(10, 3, async (i) => {
      ran++;
      if (i % 5 === 0) throw new Error(`task ${i} failed`);
    });
    expect(ran).toBe(10);
    expect(pool.errors).toBe(2);
    expect(pool.firstError).toMatch(/^task (0|5) failed$/);
    const t = throughputOf(10, pool);
    expect(t.errors).toBe(2);
    expect(t.docsPerS).toBeGreaterThan(0);
  });
});
