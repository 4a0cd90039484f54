import { describe, expect, it } from 'vitest';
import { dateOrderOf, instantOf, parseCsvDate, type CsvDate } from './bank-csv-date.js';

const PIVOT = 2027;
const day = (text: string, order: 'DMY' | 'MDY' | 'YMD' = 'DMY') => (parseCsvDate(text, order, PIVOT) as CsvDate).day;

describe('parseCsvDate', () => {
  it('reads every separator and year length banks use', () => {
    expect(day('15/03/2026')).toBe('2026-03-15');
    expect(day('15/03/26')).toBe('2026-03-15');
    expect(day('2026-03-15')).toBe('2026-03-15');
    expect(day('15-03-2026')).toBe('2026-03-15');
    expect(day('15.03.2026')).toBe('2026-03-15');
    expect(day('5/3/2026')).toBe('2026-03-05');
    expect(day('20260315')).toBe('2026-03-15');
    expect(day('2026/03/15')).toBe('2026-03-15');
  });

  it('reads US dates month first when told so', () => {
    expect(day('03/31/2026', 'MDY')).toBe('2026-03-31');
    expect(day('03/04/2026', 'MDY')).toBe('2026-03-04');
    expect(day('03/04/2026', 'DMY')).toBe('2026-04-03');
  });

  it('turns two-digit years into this century up to the pivot, the last one before', () => {
    expect(day('01/01/27')).toBe('2027-01-01');
    expect(day('01/01/28')).toBe('1928-01-01');
  });

  it('reads month names in English, French and German', () => {
    expect(day('16-Jun-20')).toBe('2020-06-16');
    expect(day('3 févr. 2026')).toBe('2026-02-03');
    expect(day('1 Dez 2025')).toBe('2025-12-01');
  });

  it('keeps the time and the offset when there are some', () => {
    expect(parseCsvDate('2026-01-15 10:30:00', 'YMD', PIVOT)).toEqual({ day: '2026-01-15', seconds: 37800 });
    expect(parseCsvDate('2026-01-15T10:30:00Z', 'YMD', PIVOT)).toEqual({
      day: '2026-01-15',
      seconds: 37800,
      offsetMinutes: 0,
    });
    expect(parseCsvDate('16-Jun-20 12:36:14 AM', 'DMY', PIVOT)).toEqual({ day: '2020-06-16', seconds: 36 * 60 + 14 });
    expect(parseCsvDate('15/03/2026 08:14', 'DMY', PIVOT)).toEqual({ day: '2026-03-15', seconds: 8 * 3600 + 14 * 60 });
    expect(parseCsvDate('2026-01-15 10:30:00+05:30', 'YMD', PIVOT)).toEqual({
      day: '2026-01-15',
      seconds: 37800,
      offsetMinutes: 330,
    });
  });

  it('says invalid for dates that do not exist', () => {
    expect(parseCsvDate('31/02/2024', 'DMY', PIVOT)).toBe('invalid');
    expect(parseCsvDate('29/02/2023', 'DMY', PIVOT)).toBe('invalid');
    expect(parseCsvDate('13/13/2024', 'DMY', PIVOT)).toBe('invalid');
    expect(parseCsvDate('12/31/2024', 'DMY', PIVOT)).toBe('invalid');
    expect(parseCsvDate('2024-01-15 25:00', 'YMD', PIVOT)).toBe('invalid');
    expect(parseCsvDate('29/02/2024', 'DMY', PIVOT)).toEqual({ day: '2024-02-29' });
  });

  it('says null for what is not a date', () => {
    for (const text of ['', 'Date', 'Total', '12,50', '1234', '2024', '12.12', 'Solde au', '123/12/2024']) {
      expect(parseCsvDate(text, 'DMY', PIVOT), text).toBeNull();
    }
  });
});

describe('dateOrderOf', () => {
  it('tells the order from a number above 12 or a year first', () => {
    expect(dateOrderOf('15/03/2026')).toBe('DMY');
    expect(dateOrderOf('03/15/2026')).toBe('MDY');
    expect(dateOrderOf('2026-03-15')).toBe('YMD');
    expect(dateOrderOf('20260315')).toBe('YMD');
    expect(dateOrderOf('03/04/2026')).toBeNull();
  });
});

describe('instantOf', () => {
  it('puts a day at local midnight in the time zone', () => {
    expect(new Date(instantOf({ day: '2024-03-12' }, 'Europe/Paris')).toISOString()).toBe('2024-03-11T23:00:00.000Z');
    expect(new Date(instantOf({ day: '2024-07-12' }, 'Europe/Paris')).toISOString()).toBe('2024-07-11T22:00:00.000Z');
  });

  it('reads a local time in the zone, and a time with an offset as it says', () => {
    expect(new Date(instantOf({ day: '2024-07-12', seconds: 36000 }, 'Europe/Paris')).toISOString()).toBe(
      '2024-07-12T08:00:00.000Z',
    );
    expect(
      new Date(instantOf({ day: '2024-07-12', seconds: 36000, offsetMinutes: -300 }, 'Europe/Paris')).toISOString(),
    ).toBe('2024-07-12T15:00:00.000Z');
  });

  it('moves a time in the spring gap past it, and takes the first of an autumn repeat', () => {
    // 29 March 2026, 02:30 does not exist in Paris (02:00 -> 03:00): read as 02:30 CET = 03:30 CEST.
    expect(new Date(instantOf({ day: '2026-03-29', seconds: 9000 }, 'Europe/Paris')).toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    // 25 October 2026, 02:30 happens twice: the first time is still summer time (UTC+2).
    expect(new Date(instantOf({ day: '2026-10-25', seconds: 9000 }, 'Europe/Paris')).toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
  });
});
