import { describe, expect, it } from 'vitest';
import { dayIn, decodeDstRule, espiZone, midnightIn, ruleMoment } from './espi-local-time.js';

const newYork = espiZone({
  tzOffsetSeconds: -18000,
  dstOffsetSeconds: 3600,
  dstStartRule: '360E2000',
  dstEndRule: 'B40E2000',
});
const HOUR = 3_600_000;

describe('Green Button daylight-saving rules', () => {
  it('decodes the North American rules: second Sunday of March, first Sunday of November, 02:00', () => {
    expect(decodeDstRule('360E2000')).toEqual({
      seconds: 0,
      hour: 2,
      dayOfWeek: 7,
      dayOfMonth: 0,
      operator: 3,
      month: 3,
    });
    expect(decodeDstRule('B40E2000')).toEqual({
      seconds: 0,
      hour: 2,
      dayOfWeek: 7,
      dayOfMonth: 0,
      operator: 2,
      month: 11,
    });
    expect(new Date(ruleMoment(decodeDstRule('360E2000')!, 2024)).toISOString()).toBe('2024-03-10T02:00:00.000Z');
    expect(new Date(ruleMoment(decodeDstRule('B40E2000')!, 2024)).toISOString()).toBe('2024-11-03T02:00:00.000Z');
  });

  it('treats FFFFFFFF, zero and garbage as no rule', () => {
    expect(decodeDstRule('FFFFFFFF')).toBeUndefined();
    expect(decodeDstRule('00000000')).toBeUndefined();
    expect(decodeDstRule('zz')).toBeUndefined();
    expect(
      espiZone({
        tzOffsetSeconds: -25200,
        dstOffsetSeconds: 3600,
        dstStartRule: 'FFFFFFFF',
        dstEndRule: 'FFFFFFFF',
      }).offsetAt(0),
    ).toBe(-7 * HOUR);
  });

  it('switches offsets at 02:00 local on both change days', () => {
    expect(newYork.offsetAt(Date.parse('2024-03-10T06:59:59Z'))).toBe(-5 * HOUR);
    expect(newYork.offsetAt(Date.parse('2024-03-10T07:00:00Z'))).toBe(-4 * HOUR);
    expect(newYork.offsetAt(Date.parse('2024-11-03T05:59:59Z'))).toBe(-4 * HOUR);
    expect(newYork.offsetAt(Date.parse('2024-11-03T06:00:00Z'))).toBe(-5 * HOUR);
  });

  it('gives change days their 23 and 25 hours', () => {
    const length = (day: string, next: string) => (midnightIn(next, newYork) - midnightIn(day, newYork)) / HOUR;
    expect(new Date(midnightIn('2024-11-03', newYork)).toISOString()).toBe('2024-11-03T04:00:00.000Z');
    expect(length('2024-11-03', '2024-11-04')).toBe(25);
    expect(length('2024-03-10', '2024-03-11')).toBe(23);
    expect(dayIn(Date.parse('2024-11-04T04:30:00Z'), newYork)).toBe('2024-11-03');
    expect(dayIn(Date.parse('2024-11-04T05:00:00Z'), newYork)).toBe('2024-11-04');
  });
});
