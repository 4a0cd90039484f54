import { describe, expect, it } from 'vitest';
import {
  lastTwelveMonths,
  loadCurveQuery,
  pan,
  perDay,
  perMonth,
  resolutionFor,
  totalOf,
  zoom,
} from './consumption.js';

describe('consumption shaping', () => {
  it('fills missing days and months with gaps, not zeros', () => {
    const bars = perDay(
      [
        { key: '2026-03-01', value: 12.5, count: 1 },
        { key: '2026-03-03', value: 10, count: 1 },
      ],
      '2026-03-01',
      '2026-03-04',
    );
    expect(bars).toEqual([
      { key: '2026-03-01', value: 12.5 },
      { key: '2026-03-02', value: null },
      { key: '2026-03-03', value: 10 },
      { key: '2026-03-04', value: null },
    ]);
    expect(totalOf(bars)).toBe(22.5);
    expect(perMonth([{ key: '2026-01', value: 400, count: 31 }], '2025-12', '2026-02').map((b) => b.value)).toEqual([
      null,
      400,
      null,
    ]);
  });

  it('asks half-hour points for a few days, hourly means for weeks, daily means beyond', () => {
    expect(resolutionFor({ from: '2026-03-01', to: '2026-03-04' })).toBe('points');
    expect(resolutionFor({ from: '2026-03-01', to: '2026-03-05' })).toBe('hour');
    expect(resolutionFor({ from: '2026-03-01', to: '2026-04-14' })).toBe('hour');
    expect(resolutionFor({ from: '2026-03-01', to: '2026-04-15' })).toBe('day');
    expect(loadCurveQuery({ from: '2026-03-01', to: '2026-03-01' })).toBe('from=2026-03-01&to=2026-03-02&limit=1000');
    expect(loadCurveQuery({ from: '2026-03-01', to: '2026-03-31' })).toBe(
      'from=2026-03-01&to=2026-04-01&every=hour&agg=avg',
    );
  });

  const bounds = { from: '2025-01-01', to: '2026-03-31' };
  it('zooms around the middle and stays within the data', () => {
    expect(zoom({ from: '2026-03-01', to: '2026-03-28' }, 0.25, bounds)).toEqual({
      from: '2026-03-11',
      to: '2026-03-17',
    });
    expect(zoom({ from: '2026-03-14', to: '2026-03-14' }, 0.5, bounds)).toEqual({
      from: '2026-03-14',
      to: '2026-03-14',
    });
    expect(zoom({ from: '2026-03-15', to: '2026-03-28' }, 4, bounds)).toEqual({ from: '2026-02-04', to: '2026-03-31' });
    expect(zoom({ from: '2025-01-01', to: '2026-03-31' }, 2, bounds)).toEqual(bounds);
  });

  it('pans by a share of the range and stops at the ends', () => {
    expect(pan({ from: '2026-03-01', to: '2026-03-07' }, -1, bounds)).toEqual({ from: '2026-02-22', to: '2026-02-28' });
    expect(pan({ from: '2026-03-20', to: '2026-03-26' }, 1, bounds)).toEqual({ from: '2026-03-25', to: '2026-03-31' });
    expect(pan({ from: '2025-01-02', to: '2025-01-08' }, -0.5, bounds)).toEqual({
      from: '2025-01-01',
      to: '2025-01-07',
    });
  });

  it('takes the twelve full months before today’s month', () => {
    expect(lastTwelveMonths('2026-01-15')).toEqual({ from: '2025-01', to: '2025-12' });
  });
});
