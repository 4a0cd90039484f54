import { describe, it, expect } from 'vitest';
import { FoyerError } from '../errors.js';
import {
  addDays,
  assertTimeZone,
  dayNumber,
  dayString,
  isDay,
  isValidTimeZone,
  isoWeekStart,
  localDay,
  localHourKey,
  localMidnight,
  monthKey,
  utcOffset,
} from './time-zone.js';

const PARIS = 'Europe/Paris';
const HOUR = 3_600_000;
const utc = (iso: string) => Date.parse(iso);

/** The reference answer, straight from Intl, for cross-checking the cached path. */
function intlParts(tz: string): (epochMs: number) => { day: string; hour: string } {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
  });
  return (epochMs) => {
    const parts = format.formatToParts(epochMs);
    const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    return { day: `${get('year')}-${get('month')}-${get('day')}`, hour: get('hour') };
  };
}

describe('time zone names', () => {
  it('accepts IANA names Intl knows', () => {
    for (const name of ['Europe/Paris', 'UTC', 'Asia/Kolkata', 'America/New_York', 'Etc/GMT+5']) {
      expect(isValidTimeZone(name)).toBe(true);
    }
  });

  it('rejects unknown names, offsets and junk', () => {
    for (const name of ['Europe/Pariss', 'Mars/Olympus', '', ' UTC', '+01:00', '../etc', 'a'.repeat(80)]) {
      expect(isValidTimeZone(name)).toBe(false);
    }
  });

  it('throws validation_failed naming the zone', () => {
    expect(() => assertTimeZone('Nowhere/Land')).toThrowError(FoyerError);
    try {
      assertTimeZone('Nowhere/Land');
    } catch (e) {
      expect((e as FoyerError).code).toBe('validation_failed');
      expect((e as FoyerError).message).toContain('Nowhere/Land');
    }
  });

  it('refuses to compute in an unknown zone', () => {
    expect(() => localDay(0, 'Nowhere/Land')).toThrowError(/not an IANA time zone/);
  });
});

describe('local days and hours in Europe/Paris', () => {
  it('puts late UTC evenings on the next local day', () => {
    expect(localDay(utc('2024-01-15T22:59:59.999Z'), PARIS)).toBe('2024-01-15');
    expect(localDay(utc('2024-01-15T23:00:00Z'), PARIS)).toBe('2024-01-16');
    expect(localDay(utc('2024-07-15T21:59:59Z'), PARIS)).toBe('2024-07-15');
    expect(localDay(utc('2024-07-15T22:00:00Z'), PARIS)).toBe('2024-07-16');
  });

  it('skips 02:00 on the spring-forward day (2024-03-31 has 23 hours)', () => {
    const start = localMidnight('2024-03-31', PARIS);
    const end = localMidnight('2024-04-01', PARIS);
    expect(new Date(start).toISOString()).toBe('2024-03-30T23:00:00.000Z');
    expect(end - start).toBe(23 * HOUR);
    const hours: string[] = [];
    for (let t = start; t < end; t += HOUR) hours.push(localHourKey(t, PARIS));
    expect(hours).toHaveLength(23);
    expect(hours).not.toContain('2024-03-31T02');
    expect(hours.slice(0, 4)).toEqual(['2024-03-31T00', '2024-03-31T01', '2024-03-31T03', '2024-03-31T04']);
    expect(new Set(hours.map((h) => h.slice(0, 10)))).toEqual(new Set(['2024-03-31']));
  });

  it('repeats 02:00 on the fall-back day (2024-10-27 has 25 hours)', () => {
    const start = localMidnight('2024-10-27', PARIS);
    const end = localMidnight('2024-10-28', PARIS);
    expect(new Date(start).toISOString()).toBe('2024-10-26T22:00:00.000Z');
    expect(end - start).toBe(25 * HOUR);
    const hours: string[] = [];
    for (let t = start; t < end; t += HOUR) hours.push(localHourKey(t, PARIS));
    expect(hours.filter((h) => h === '2024-10-27T02')).toHaveLength(2);
    expect(hours[hours.length - 1]).toBe('2024-10-27T23');
  });

  it('changes offset exactly at the transition instants', () => {
    expect(utcOffset(utc('2024-03-31T00:59:59.999Z'), PARIS)).toBe(HOUR);
    expect(utcOffset(utc('2024-03-31T01:00:00Z'), PARIS)).toBe(2 * HOUR);
    expect(utcOffset(utc('2024-10-27T00:59:59.999Z'), PARIS)).toBe(2 * HOUR);
    expect(utcOffset(utc('2024-10-27T01:00:00Z'), PARIS)).toBe(HOUR);
  });

  it('agrees with Intl at every half hour of 2024', () => {
    const from = utc('2024-01-01T00:00:00Z');
    const to = utc('2025-01-01T00:00:00Z');
    const reference = intlParts(PARIS);
    for (let t = from; t < to; t += HOUR / 2) {
      const expected = reference(t);
      expect(localDay(t, PARIS)).toBe(expected.day);
      expect(localHourKey(t, PARIS)).toBe(`${expected.day}T${expected.hour}`);
    }
  });
});

describe('zones with other offsets', () => {
  it('handles the 30-minute offset of Asia/Kolkata', () => {
    const tz = 'Asia/Kolkata';
    expect(utcOffset(utc('2024-06-01T00:00:00Z'), tz)).toBe(5.5 * HOUR);
    expect(localDay(utc('2024-06-01T18:29:59Z'), tz)).toBe('2024-06-01');
    expect(localDay(utc('2024-06-01T18:30:00Z'), tz)).toBe('2024-06-02');
    expect(localHourKey(utc('2024-06-01T00:29:00Z'), tz)).toBe('2024-06-01T05');
    expect(localHourKey(utc('2024-06-01T00:30:00Z'), tz)).toBe('2024-06-01T06');
    expect(new Date(localMidnight('2024-06-02', tz)).toISOString()).toBe('2024-06-01T18:30:00.000Z');
  });

  it('is plain UTC in UTC', () => {
    expect(utcOffset(utc('2024-03-31T01:00:00Z'), 'UTC')).toBe(0);
    expect(localDay(utc('2024-03-31T23:59:59Z'), 'UTC')).toBe('2024-03-31');
    expect(localHourKey(utc('2024-03-31T23:59:59Z'), 'UTC')).toBe('2024-03-31T23');
    expect(localMidnight('2024-03-31', 'UTC')).toBe(utc('2024-03-31T00:00:00Z'));
  });

  it('finds the start of a day whose midnight was skipped (America/Santiago, 2024-09-08)', () => {
    // Chile moves from -04:00 to -03:00 at local midnight: the day starts at 01:00 local.
    const start = localMidnight('2024-09-08', 'America/Santiago');
    expect(new Date(start).toISOString()).toBe('2024-09-08T04:00:00.000Z');
    expect(localDay(start - 1, 'America/Santiago')).toBe('2024-09-07');
    expect(localHourKey(start, 'America/Santiago')).toBe('2024-09-08T01');
  });

  it('handles instants before 1970', () => {
    expect(localDay(utc('1969-12-31T23:30:00Z'), PARIS)).toBe('1970-01-01');
    expect(localHourKey(utc('1969-12-31T22:30:00Z'), 'UTC')).toBe('1969-12-31T22');
  });
});

describe('calendar arithmetic', () => {
  it('gives the Monday of the ISO week', () => {
    expect(isoWeekStart('2024-03-31')).toBe('2024-03-25'); // a Sunday
    expect(isoWeekStart('2024-04-01')).toBe('2024-04-01'); // a Monday
    expect(isoWeekStart('2025-01-01')).toBe('2024-12-30'); // week 1 of 2025 starts in 2024
    expect(isoWeekStart('1970-01-01')).toBe('1969-12-29');
  });

  it('gives the month key', () => {
    expect(monthKey('2024-02-29')).toBe('2024-02');
  });

  it('adds days across months, leap days and years', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('round-trips day numbers', () => {
    for (const day of ['1970-01-01', '2000-02-29', '2024-12-31', '1969-07-20', '2100-03-01']) {
      expect(dayString(dayNumber(day))).toBe(day);
      expect(dayNumber(day) * 86_400_000).toBe(Date.parse(`${day}T00:00:00Z`));
    }
  });

  it('rejects days that are not calendar days', () => {
    for (const bad of ['2024-02-30', '2023-02-29', '2024-13-01', '2024-1-01', '2024-01-01T00', 'yesterday']) {
      expect(isDay(bad)).toBe(false);
      expect(() => dayNumber(bad)).toThrowError(FoyerError);
      expect(() => isoWeekStart(bad)).toThrowError(/not a calendar day/);
      expect(() => monthKey(bad)).toThrowError(/not a calendar day/);
      expect(() => localMidnight(bad, PARIS)).toThrowError(/not a calendar day/);
    }
  });
});
