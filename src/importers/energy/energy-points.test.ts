import { describe, expect, it } from 'vitest';
import type { ImportWarning } from '../importer.js';
import { createHalfHourCurve, type PowerInterval } from './energy-points.js';
import { createWarningTally } from './warning-tally.js';

const MIN = 60_000;
const at = (iso: string) => Date.parse(iso);

function run(intervals: PowerInterval[]) {
  const warnings: ImportWarning[] = [];
  const tally = createWarningTally({
    warn: (w) => void warnings.push(w),
    options: {},
    timeZone: 'Europe/Paris',
    now: 0,
  });
  const curve = createHalfHourCurve('09123456789012', tally);
  const records = [...intervals.flatMap((i) => curve.push(i)), ...curve.end()];
  tally.flush();
  return { points: records.map((r) => r.data), warnings };
}

describe('the 30-minute grid', () => {
  it('averages shorter intervals weighted by duration, keeping the least certain quality', () => {
    const { points, warnings } = run([
      { start: at('2024-01-15T17:00:00Z'), durationMs: 15 * MIN, powerW: 400, quality: 'measured', line: 3 },
      { start: at('2024-01-15T17:15:00Z'), durationMs: 15 * MIN, powerW: 452, quality: 'estimated', line: 4 },
      { start: at('2024-01-15T17:30:00Z'), durationMs: 10 * MIN, powerW: 1000, quality: 'measured', line: 5 },
      { start: at('2024-01-15T17:40:00Z'), durationMs: 10 * MIN, powerW: 1001, quality: 'measured', line: 6 },
      { start: at('2024-01-15T17:50:00Z'), durationMs: 10 * MIN, powerW: 1001, quality: 'measured', line: 7 },
    ]);
    expect(points).toEqual([
      { usagePointId: '09123456789012', t: '2024-01-15T17:00:00Z', powerW: 426, quality: 'estimated' },
      { usagePointId: '09123456789012', t: '2024-01-15T17:30:00Z', powerW: 1000.667 },
    ]);
    expect(warnings).toEqual([]);
  });

  it('skips a half-hour with a missing piece, an hour it cannot split and an interval off the grid', () => {
    const { points, warnings } = run([
      { start: at('2024-01-15T17:00:00Z'), durationMs: 15 * MIN, powerW: 400, quality: 'measured', line: 3 },
      { start: at('2024-01-15T17:30:00Z'), durationMs: 60 * MIN, powerW: 400, quality: 'measured', line: 4 },
      { start: at('2024-01-15T18:45:00Z'), durationMs: 30 * MIN, powerW: 400, quality: 'measured', line: 5 },
      { start: at('2024-01-15T19:30:00Z'), durationMs: 30 * MIN, powerW: 812, quality: 'corrected', line: 6 },
    ]);
    expect(points).toEqual([
      { usagePointId: '09123456789012', t: '2024-01-15T19:30:00Z', powerW: 812, quality: 'corrected' },
    ]);
    expect(warnings.map((w) => w.line)).toEqual([3, 4, 5]);
    expect(warnings[0]?.message).toMatch(/only partly measured \(15 of 30 minutes\)/);
    expect(warnings[1]?.message).toMatch(/60-minute interval/);
  });
});
