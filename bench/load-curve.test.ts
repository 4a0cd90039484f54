import { describe, expect, it } from 'vitest';
import { bucketProblems, makeLoadCurve } from './load-curve.js';

describe('benchmark load curve', () => {
  it('covers whole Paris days from 2015-01-01 and knows its day and month buckets', () => {
    const curve = makeLoadCurve(48 * 40, 42);
    expect(curve.points).toHaveLength(1920);
    expect(curve.points[0]!.t).toBe('2014-12-31T23:00:00Z');
    expect(curve.from).toBe('2015-01-01');
    expect(curve.to).toBe('2015-02-10');
    expect(curve.days.size).toBe(40);
    expect([...curve.months.keys()]).toEqual(['2015-01', '2015-02']);
    expect(curve.months.get('2015-01')!.count).toBe(31 * 48);
    const total = curve.points.reduce((s, p) => s + p.powerW, 0);
    expect([...curve.days.values()].reduce((s, b) => s + b.sum, 0)).toBeCloseTo(total, 6);
  });

  it('accepts the expected buckets and names every kind of difference', () => {
    const curve = makeLoadCurve(48 * 3, 1);
    const right = [...curve.days].map(([key, b]) => ({ key, value: b.sum, count: b.count }));
    expect(bucketProblems(curve.days, right)).toEqual([]);
    expect(bucketProblems(curve.days, right.slice(1))).toEqual([expect.stringMatching(/^2 buckets, expected 3$/)]);
    expect(bucketProblems(curve.days, [...right.slice(1), { key: '2099-01-01', value: 1, count: 1 }])).toContain(
      'unexpected bucket 2099-01-01',
    );
    const wrongCount = right.map((b, i) => (i === 0 ? { ...b, count: b.count - 1 } : b));
    expect(bucketProblems(curve.days, wrongCount)[0]).toMatch(/points, expected 48$/);
    const wrongSum = right.map((b, i) => (i === 2 ? { ...b, value: b.value + 1 } : b));
    expect(bucketProblems(curve.days, wrongSum)[0]).toMatch(/sum/);
  });
});
