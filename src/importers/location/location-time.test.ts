import { describe, it, expect } from 'vitest';
import { isFoyerError } from '../../core/errors.js';
import { parseDateTime, readDateTime, readEpochMs } from './location-time.js';

const PARIS = 'Europe/Paris';
const at = (text: string, tz = PARIS) => {
  const ms = parseDateTime(text, tz);
  return ms === undefined ? undefined : new Date(ms).toISOString();
};

describe('parseDateTime', () => {
  it('reads UTC, offsets in every spelling, and fractional seconds', () => {
    expect(at('2024-03-12T07:41:12Z')).toBe('2024-03-12T07:41:12.000Z');
    expect(at('2024-03-12t07:41:12z')).toBe('2024-03-12T07:41:12.000Z');
    expect(at('2024-03-12T07:41:12.1234567Z')).toBe('2024-03-12T07:41:12.123Z');
    expect(at('2024-03-12T07:41:12,5Z')).toBe('2024-03-12T07:41:12.500Z');
    expect(at('2024-03-12T08:41:12+01:00')).toBe('2024-03-12T07:41:12.000Z');
    expect(at('2024-03-12T08:41:12+0100')).toBe('2024-03-12T07:41:12.000Z');
    expect(at('2024-03-12T08:41:12+01')).toBe('2024-03-12T07:41:12.000Z');
    expect(at('2024-03-12T02:11:12-05:30')).toBe('2024-03-12T07:41:12.000Z');
    expect(at('2024-03-12 07:41Z')).toBe('2024-03-12T07:41:00.000Z');
    expect(at('2024-03-12T24:00:00Z')).toBe('2024-03-13T00:00:00.000Z');
  });

  it('reads the usual UTC shape as it reads every other, down to the edges', () => {
    // These take the short path (no regular expression); the results are the long path's.
    expect(at('2024-02-29T23:59:59Z')).toBe('2024-02-29T23:59:59.000Z');
    expect(at('2024-02-29T23:59:59.9999999Z')).toBe('2024-02-29T23:59:59.999Z');
    expect(at('2024-02-29T00:00:00.5Z')).toBe('2024-02-29T00:00:00.500Z');
    expect(at('2023-02-29T10:00:00Z')).toBeUndefined();
    expect(at('2024-04-31T10:00:00Z')).toBeUndefined();
    expect(at('2024-13-01T10:00:00Z')).toBeUndefined();
    expect(at('2024-00-01T10:00:00Z')).toBeUndefined();
    expect(at('2024-03-12T07:60:00Z')).toBeUndefined();
    expect(at('2024-03-12T07:41:12.Z')).toBeUndefined();
    expect(at('2024-03-12T07:41:12.1234567890Z')).toBeUndefined();
    expect(at('2024-03-12T07:4a:12Z')).toBeUndefined();
    // Left to the long path: a leap second folds into the next minute, 25:00 does not exist.
    expect(at('2016-12-31T23:59:60Z')).toBe('2017-01-01T00:00:00.000Z');
    expect(at('2024-03-12T25:00:00Z')).toBeUndefined();
    expect(at(' 2024-03-12T07:41:12Z ')).toBe('2024-03-12T07:41:12.000Z');
  });

  it('reads a time without offset in the given zone, winter and summer', () => {
    expect(at('2024-01-15T12:00:00')).toBe('2024-01-15T11:00:00.000Z');
    expect(at('2024-07-15T12:00:00')).toBe('2024-07-15T10:00:00.000Z');
    expect(at('2024-07-15T12:00:00', 'America/New_York')).toBe('2024-07-15T16:00:00.000Z');
  });

  it('reads a day as its first instant in the zone, or in UTC when it says Z', () => {
    expect(at('2024-07-15')).toBe('2024-07-14T22:00:00.000Z');
    expect(at('2024-07-15Z')).toBe('2024-07-15T00:00:00.000Z');
  });

  it('reads the skipped hour of spring as summer time and the repeated hour of autumn as its first pass', () => {
    expect(at('2024-03-31T02:30:00')).toBe('2024-03-31T01:30:00.000Z');
    expect(at('2024-10-27T02:30:00')).toBe('2024-10-27T00:30:00.000Z');
    expect(at('2024-10-27T03:30:00')).toBe('2024-10-27T02:30:00.000Z');
  });

  it('refuses what is not a date and time', () => {
    for (const text of [
      '',
      'yesterday',
      '2024-02-30T10:00:00Z',
      '2023-02-29',
      '2024-13-01T00:00:00Z',
      '2024-01-01T25:00:00Z',
      '2024-01-01T24:00:01Z',
      '2024-01-01T10:60:00Z',
      '2024-01-01T10:00:00+15:00',
      '2024-01-01T10:00:00+01:75',
      '24-01-01T10:00:00Z',
      '2024-01-01T10:00:00 Europe/Paris',
    ]) {
      expect(parseDateTime(text, PARIS), text).toBeUndefined();
    }
    expect(at('2024-02-29')).toBe('2024-02-28T23:00:00.000Z');
  });
});

describe('plausible times', () => {
  const ctx = { file: 'f.json', timeZone: PARIS, now: Date.parse('2026-11-24T12:00:00Z') };
  const failure = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      if (isFoyerError(e)) return e.message;
      throw e;
    }
    throw new Error('expected an import error');
  };

  it('accepts 1990 to tomorrow, refuses the rest naming file, line and value', () => {
    expect(readDateTime('1990-01-01T00:00:00Z', ctx)).toBe(Date.UTC(1990, 0, 1));
    expect(readDateTime('2026-11-25T11:00:00Z', ctx)).toBe(Date.parse('2026-11-25T11:00:00Z'));
    expect(failure(() => readDateTime('1989-12-31T23:59:59Z', ctx, 7))).toBe(
      'f.json, line 7: the time "1989-12-31T23:59:59Z" is not plausible for a location record (before 1990 or in the future).',
    );
    expect(failure(() => readDateTime('2026-11-26T13:00:00Z', ctx))).toContain('not plausible');
  });

  it('reads milliseconds as numbers or strings of digits', () => {
    expect(readEpochMs('1388577600000', ctx)).toBe(1388577600000);
    expect(readEpochMs(1388577600000, ctx)).toBe(1388577600000);
    expect(failure(() => readEpochMs('1388577600000.5', ctx))).toContain('is not a number of milliseconds');
    expect(failure(() => readEpochMs(true, ctx))).toContain('the timestamp true is not a number of milliseconds');
    expect(failure(() => readEpochMs('1388577600', ctx))).toContain('not plausible');
  });
});
