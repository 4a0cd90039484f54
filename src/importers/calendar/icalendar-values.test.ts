import { describe, expect, it } from 'vitest';
import { parseDuration, parseIcalTime, parseUtcOffset } from './icalendar-values.js';

describe('parseIcalTime', () => {
  it('reads dates, UTC, local and offset date-times, in basic or extended form', () => {
    expect(parseIcalTime('20240229')).toEqual({ kind: 'date', ms: Date.parse('2024-02-29T00:00:00Z'), year: 2024 });
    expect(parseIcalTime('20240314T153000Z')).toEqual({
      kind: 'utc',
      ms: Date.parse('2024-03-14T15:30:00Z'),
      year: 2024,
    });
    expect(parseIcalTime('2024-03-14T15:30:00')).toEqual({
      kind: 'local',
      ms: Date.parse('2024-03-14T15:30:00Z'),
      year: 2024,
    });
    expect(parseIcalTime('20240314T1530')?.ms).toBe(Date.parse('2024-03-14T15:30:00Z'));
    expect(parseIcalTime('20240314T153000+0100')).toMatchObject({
      kind: 'utc',
      ms: Date.parse('2024-03-14T14:30:00Z'),
    });
    expect(parseIcalTime('00990101')).toMatchObject({ year: 99, ms: Date.parse('0099-01-01T00:00:00Z') });
  });

  it('refuses impossible dates and times', () => {
    for (const bad of ['20241345T000000', '20230229', '20240101T250000', '20240101T126000Z', '2024', 'tomorrow', '']) {
      expect(parseIcalTime(bad), bad).toBeUndefined();
    }
  });
});

describe('parseDuration and parseUtcOffset', () => {
  it('reads nominal days and exact hours, signed', () => {
    expect(parseDuration('P1D')).toEqual({ days: 1, ms: 0, negative: false });
    expect(parseDuration('-PT15M')).toEqual({ days: 0, ms: 900_000, negative: true });
    expect(parseDuration('P2W')).toEqual({ days: 14, ms: 0, negative: false });
    expect(parseDuration('P0DT1H30M0S')).toEqual({ days: 0, ms: 5_400_000, negative: false });
    for (const bad of ['P', 'PT', '1H', 'P1H', '-P']) expect(parseDuration(bad), bad).toBeUndefined();
  });

  it('reads offsets with or without seconds and colons', () => {
    expect([
      parseUtcOffset('+0100'),
      parseUtcOffset('-0530'),
      parseUtcOffset('+01:00'),
      parseUtcOffset('+001500'),
    ]).toEqual([3_600_000, -19_800_000, 3_600_000, 900_000]);
    expect(parseUtcOffset('0100')).toBeUndefined();
    expect(parseUtcOffset('+2500')).toBeUndefined();
  });
});
