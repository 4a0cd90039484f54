import { describe, expect, it } from 'vitest';
import { compareCodePoints } from '../../core/documents/match-selector.js';
import { dayOf, daysBetween } from './postgres-document-terms.js';

describe('day terms of string ranges', () => {
  it('takes the days of a month and only the first day of the next when the range ends at its midnight', () => {
    const days = daysBetween('2024-03-01T00:00:00.000Z', '2024-04-01T00:00:00.000Z')!;
    expect(days).toContain('2024-03-01');
    expect(days).toContain('2024-03-31');
    expect(days).toContain('2024-04-01');
    expect(days).not.toContain('2024-04-02');
    expect(days).not.toContain('2024-02-29');
    expect(days).toEqual(expect.arrayContaining(['2024-03?', '2024-04?', 'other']));
  });

  it('gives every string within the range a term of the list, whatever its shape', () => {
    const values = [
      '2024-03',
      '2024-03-',
      '2024-03-00',
      '2024-03-32T10:00',
      '2024-03-1',
      '2024-03-15',
      '2024-03-31T23:59:59.999Z',
      '2024-04-01',
      '2024-04-01T00:00:00.000',
      '2024-02-30',
      '2024-13-01',
      '2024-1',
      'hello',
      '2024-03-15T12:00:00+02:00',
    ];
    const ranges: [string, string][] = [
      ['2024-03-01T00:00:00.000Z', '2024-04-01T00:00:00.000Z'],
      ['2024-03', '2024-04-01'],
      ['2024-02-29', '2024-03-15'],
      ['2024-00', '2024-13'],
      ['2023-12-31T23:00:00Z', '2024-03-01'],
    ];
    for (const [lo, hi] of ranges) {
      const days = daysBetween(lo, hi);
      expect(days).not.toBeNull();
      for (const v of values) {
        const within = compareCodePoints(v, lo) >= 0 && compareCodePoints(v, hi) <= 0;
        if (within) expect({ lo, hi, v, found: days!.includes(dayOf(v)) }).toEqual({ lo, hi, v, found: true });
      }
    }
  });

  it('leaves a range over more than ten years, or between strings that are not dates, to a scan', () => {
    expect(daysBetween('2000-01-01', '2024-01-01')).toBeNull();
    expect(daysBetween('a', 'b')).toBeNull();
  });
});
