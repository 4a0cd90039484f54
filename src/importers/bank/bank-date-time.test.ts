import { describe, expect, it } from 'vitest';
import { dayEndInstant, fullYear, parseIsoDate, shortYearDay, wallClockToEpoch } from './bank-date-time.js';

const NOW = Date.parse('2026-11-24T12:00:00Z');
const PARIS = 'Europe/Paris';
const fail = (message: string): never => {
  throw new Error(message);
};

describe('parseIsoDate', () => {
  it('reads a day as 00:00 in the zone, keeping the printed day', () => {
    expect(parseIsoDate('2024-03-12', PARIS, NOW, fail)).toEqual({
      instant: '2024-03-11T23:00:00Z',
      day: '2024-03-12',
      dayOnly: true,
    });
  });

  it('reads offsets, Z and fractions of a second', () => {
    expect(parseIsoDate('2024-10-26T21:14:05+02:00', PARIS, NOW, fail).instant).toBe('2024-10-26T19:14:05Z');
    expect(parseIsoDate('2024-10-26T21:14:05-0500', PARIS, NOW, fail).instant).toBe('2024-10-27T02:14:05Z');
    expect(parseIsoDate('2024-10-26T21:14:05.250Z', PARIS, NOW, fail).instant).toBe('2024-10-26T21:14:05.250Z');
    // The day is the one printed, not the UTC one.
    expect(parseIsoDate('2024-10-27T00:30:00+02:00', PARIS, NOW, fail).day).toBe('2024-10-27');
  });

  it('reads a local time in the zone: first of the repeated hour, skipped hour moved forward', () => {
    expect(parseIsoDate('2024-10-27T02:30:00', PARIS, NOW, fail).instant).toBe('2024-10-27T00:30:00Z');
    expect(parseIsoDate('2024-03-31T02:30:00', PARIS, NOW, fail).instant).toBe('2024-03-31T01:30:00Z');
    expect(parseIsoDate('2024-07-01T12:00:00', 'America/New_York', NOW, fail).instant).toBe('2024-07-01T16:00:00Z');
  });

  it('refuses impossible and absurd dates, saying why', () => {
    expect(() => parseIsoDate('2024-02-30', PARIS, NOW, fail)).toThrow(/day 30 does not exist/);
    expect(() => parseIsoDate('1200-01-01', PARIS, NOW, fail)).toThrow(/1200 is before/);
    expect(() => parseIsoDate('9999-12-31', PARIS, NOW, fail)).toThrow(/too far in the future/);
    expect(() => parseIsoDate('2024-03-12T25:00:00', PARIS, NOW, fail)).toThrow(/time .* does not exist/);
    expect(() => parseIsoDate('12/03/2024', PARIS, NOW, fail)).toThrow(/not an ISO 8601 date/);
  });
});

describe('wallClockToEpoch', () => {
  it('is the identity in UTC', () => {
    const wall = Date.UTC(2024, 2, 31, 2, 30);
    expect(wallClockToEpoch(wall, 'UTC')).toBe(wall);
  });
});

describe('two-digit years', () => {
  it('puts 70..99 in the 1900s and 00..69 in the 2000s', () => {
    expect(fullYear(99)).toBe(1999);
    expect(fullYear(70)).toBe(1970);
    expect(fullYear(24)).toBe(2024);
    expect(shortYearDay(24, 2, 29, NOW, '240229', fail)).toBe('2024-02-29');
    expect(() => shortYearDay(23, 2, 29, NOW, '230229', fail)).toThrow(/"230229" is impossible/);
    expect(() => shortYearDay(60, 1, 1, NOW, '600101', fail)).toThrow(/future/);
  });
});

describe('dayEndInstant', () => {
  it('is 23:59:59 local, on short and long days too', () => {
    expect(dayEndInstant('2024-03-12', PARIS)).toBe('2024-03-12T22:59:59Z');
    expect(dayEndInstant('2024-03-31', PARIS)).toBe('2024-03-31T21:59:59Z');
    expect(dayEndInstant('2024-10-27', PARIS)).toBe('2024-10-27T22:59:59Z');
  });
});
