import { describe, expect, it } from 'vitest';
import {
  dailyPoints,
  loadCurvePoints,
  maxPowerPoints,
  meterReadingOf,
  parisWallClockToUtc,
  type MeterReading,
} from './enedis-readings.js';

const UP = '12345678901234';
const asked = { usagePointId: UP, start: '2025-01-01', end: '2025-01-02', unit: 'W' };
const answer = (over: Record<string, unknown> = {}, reading: Record<string, unknown> = {}) => ({
  meter_reading: {
    usage_point_id: UP,
    start: '2025-01-01',
    end: '2025-01-02',
    quality: 'BRUT',
    reading_type: { measurement_kind: 'power', unit: 'W', aggregate: 'average' },
    interval_reading: [{ value: '1420', date: '2025-01-01 00:30:00', interval_length: 'PT30M', ...reading }],
    ...over,
  },
});
const iso = (ms: number) => new Date(ms).toISOString();
const formatChanged = expect.objectContaining({ code: 'holder_format_changed' });

describe('Paris wall-clock times of the distributor', () => {
  it('turn into UTC instants, the autumn’s repeated hour in the order given', () => {
    const first = parisWallClockToUtc('2025-10-26 02:30:00', 'x');
    expect(iso(first)).toBe('2025-10-26T00:30:00.000Z');
    expect(iso(parisWallClockToUtc('2025-10-26 02:30:00', 'x', first))).toBe('2025-10-26T01:30:00.000Z');
    expect(iso(parisWallClockToUtc('2025-03-30 03:00:00', 'x'))).toBe('2025-03-30T01:00:00.000Z');
    expect(iso(parisWallClockToUtc('2025-07-14 12:00:00', 'x'))).toBe('2025-07-14T10:00:00.000Z');
  });

  it('refuse a time that does not exist in Paris, one out of order, and another format', () => {
    expect(() => parisWallClockToUtc('2025-03-30 02:30:00', 'x')).toThrow(formatChanged);
    expect(() => parisWallClockToUtc('2025-01-01 10:00:00', 'x', Date.UTC(2025, 0, 1, 12))).toThrow(
      'not a time of Europe/Paris after the one before',
    );
    expect(() => parisWallClockToUtc('01/01/2025 10h00', 'x')).toThrow('is not a local time');
  });
});

describe('meter readings', () => {
  it('load curve: values as numbers, points at the START of their interval, a point ending at midnight in the day before', () => {
    const m = meterReadingOf(answer({}, { date: '2025-01-02 00:00:00' }), 'load curve', { ...asked });
    expect(loadCurvePoints(m, UP, 'load curve')).toEqual({
      points: [{ usagePointId: UP, t: '2025-01-01T22:30:00Z', powerW: 1420, quality: 'measured' }],
      lastDay: '2025-01-01',
    });
  });

  it('daily energy in Wh becomes kWh; the day’s maximum keeps its instant', () => {
    const daily: MeterReading = { quality: 'measured', readings: [{ value: 40617, date: '2025-01-01' }] };
    expect(dailyPoints(daily, UP, 'd').points).toEqual([
      { usagePointId: UP, date: '2025-01-01', energyKwh: 40.617, quality: 'measured' },
    ]);
    const max: MeterReading = { readings: [{ value: 6374, date: '2025-01-01 18:36:58' }] };
    expect(maxPowerPoints(max, UP, 'm').points).toEqual([
      { usagePointId: UP, date: '2025-01-01', maxPowerVa: 6374, at: '2025-01-01T17:36:58Z' },
    ]);
    expect(() => dailyPoints({ readings: [{ value: 1, date: '01/01/2025' }] }, UP, 'd')).toThrow(formatChanged);
  });

  it.each([
    ['another unit', answer({ reading_type: { unit: 'kW' } }), 'values in kW, not W'],
    ['a decimal comma', answer({}, { value: '1,5' }), 'is not a whole number'],
    ['another usage point', answer({ usage_point_id: '99999999999999' }), 'another usage point'],
    ['another period', answer({ end: '2025-01-03' }), 'another period'],
    ['an hourly interval written otherwise', answer({}, { interval_length: 'PT1H' }), 'is not PTnM'],
    ['no readings list', answer({ interval_reading: {} }), 'is not a list'],
    ['no meter_reading', { meter_reading: null }, 'is not an object'],
  ])('refuses %s as holder_format_changed', (_, body, said) => {
    expect(() => meterReadingOf(body, 'load curve', asked)).toThrow(said);
    expect(() => meterReadingOf(body, 'load curve', asked)).toThrow(formatChanged);
  });
});
