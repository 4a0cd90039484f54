import { describe, expect, it } from 'vitest';
import { createOfxDateReader, parseOfxDate } from './ofx-date.js';

const NOW = Date.parse('2026-11-24T12:00:00Z');
const read = (text: string, zone = 'Europe/Paris') => parseOfxDate(text, zone, NOW);

describe('OFX dates', () => {
  it('reads times with offsets as instants, whatever the zone name', () => {
    expect(read('20240312120000.000[-5:EST]')).toEqual({
      day: '2024-03-12',
      instant: '2024-03-12T17:00:00Z',
      dayOnly: false,
      zoneWithoutTime: false,
    });
    expect(read('20240312120000[+1:CET]')).toMatchObject({ instant: '2024-03-12T11:00:00Z' });
    expect(read('20240312120000[0:GMT]')).toMatchObject({ instant: '2024-03-12T12:00:00Z' });
    expect(read('20240312120000[-3.5:NST]')).toMatchObject({ instant: '2024-03-12T15:30:00Z' });
    expect(read('20240312120000[+5.30:IST]')).toMatchObject({ instant: '2024-03-12T06:30:00Z' });
    expect(read('20240312120000[-0500:EST]')).toMatchObject({ instant: '2024-03-12T17:00:00Z' });
    expect(read('20240312120000[-5]')).toMatchObject({ instant: '2024-03-12T17:00:00Z' });
    expect(read('20240312120000.123[+2:CEST]')).toMatchObject({ instant: '2024-03-12T10:00:00.123Z' });
    expect(read('202403121200[-7:MST]')).toMatchObject({ instant: '2024-03-12T19:00:00Z' });
  });

  it('reads a time without offset as GMT, as the specification says', () => {
    expect(read('20240312083012')).toMatchObject({ day: '2024-03-12', instant: '2024-03-12T08:30:12Z' });
  });

  it('reads a day alone, or a midnight without offset, as the bank day at local midnight', () => {
    expect(read('20240312')).toEqual({
      day: '2024-03-12',
      instant: '2024-03-11T23:00:00Z',
      dayOnly: true,
      zoneWithoutTime: false,
    });
    expect(read('20240312000000')).toMatchObject({ instant: '2024-03-11T23:00:00Z' });
    expect(read('20240312000000.000')).toMatchObject({ instant: '2024-03-11T23:00:00Z' });
    expect(read('20240312', 'America/New_York')).toMatchObject({ instant: '2024-03-12T04:00:00Z' });
    // Daylight saving time in Paris: midnight is UTC+2.
    expect(read('20240715')).toMatchObject({ instant: '2024-07-14T22:00:00Z' });
  });

  it('ignores an offset on a day without time, and says it did', () => {
    expect(read('20240312[-5:EST]')).toEqual({
      day: '2024-03-12',
      instant: '2024-03-11T23:00:00Z',
      dayOnly: true,
      zoneWithoutTime: true,
    });
  });

  it('says what is wrong with impossible, absurd and malformed dates', () => {
    expect(read('00000312')).toBe('the date "00000312" is impossible: the year 0 is before 1900');
    expect(read('20241312')).toBe('the date "20241312" is impossible: month 13 does not exist');
    expect(read('20240230')).toBe('the date "20240230" is impossible: day 30 does not exist in that month');
    expect(read('99991231')).toBe('the date "99991231" is impossible: the year 9999 is too far in the future');
    expect(read('20240312250000')).toBe('the time in "20240312250000" does not exist');
    expect(read('2024-03-12')).toBe('"2024-03-12" is not an OFX date (YYYYMMDDHHMMSS[offset:zone])');
    expect(read('20240312120000[EST]')).toBe(
      'the time zone "[EST]" in "20240312120000[EST]" is not an offset from GMT',
    );
    expect(read('20240312120000[+15:X]')).toBe(
      'the time zone "[+15:X]" in "20240312120000[+15:X]" is not an offset from GMT',
    );
  });

  it('remembers dates a file repeats', () => {
    const reader = createOfxDateReader('Europe/Paris', NOW);
    const first = reader('20240312');
    expect(reader('20240312')).toBe(first);
    expect(reader('20241312')).toBe('the date "20241312" is impossible: month 13 does not exist');
  });
});
