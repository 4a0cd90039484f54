import { describe, expect, it } from 'vitest';
import { scheduleBench } from './schedule-bench.js';

describe('the schedule workload', () => {
  it('simulates a day of a small fleet with every check correct, the same way every time', () => {
    const lines: string[] = [];
    const a = scheduleBench(60, (l) => lines.push(l));
    const b = scheduleBench(60, () => {});
    expect(a.problems).toEqual([]);
    expect(a.connectors).toBe(360);
    // Five daily connectors a space, a weekly one, and some retries.
    expect(a.runs).toBeGreaterThan(60 * 5);
    expect(a.runs).toBeLessThan(2 * 60 * 6);
    expect(a.maxPerMinute).toBeGreaterThanOrEqual(a.meanPerMinute);
    const counts = ({ runs, maxPerMinute, retries, paused, plans }: typeof a) => ({
      runs,
      maxPerMinute,
      retries,
      paused,
      plans,
    });
    expect(counts(b)).toEqual(counts(a));
    expect(lines[0]).toMatch(/^ {2}schedule: 360 connectors, \d+ runs in 2026-06-15, per minute max \d+/);
  });
});
