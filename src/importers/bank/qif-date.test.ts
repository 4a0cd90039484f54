import { describe, expect, it } from 'vitest';
import { orderEvidence, parseQifDate, splitQifDate } from './qif-date.js';

const NOW = Date.parse('2026-11-24T12:00:00Z');
const day = (text: string, order: 'DMY' | 'MDY' | 'YMD' = 'MDY') => parseQifDate(text, order, NOW);

describe('QIF dates', () => {
  it('reads the shapes Quicken and others write', () => {
    expect(day('1/5/04')).toEqual({ day: '2004-01-05' });
    expect(day("1/5'04")).toEqual({ day: '2004-01-05' });
    expect(day("12/28' 3")).toEqual({ day: '2003-12-28' });
    expect(day('01/05/2004')).toEqual({ day: '2004-01-05' });
    expect(day(' 1/ 5/ 4')).toEqual({ day: '2004-01-05' });
    expect(day('1.5.2004', 'DMY')).toEqual({ day: '2004-05-01' });
    expect(day('5-1-04', 'DMY')).toEqual({ day: '2004-01-05' });
    expect(day("1/5'2004")).toEqual({ day: '2004-01-05' });
  });

  it('reads a four-digit first field as a year whatever the order', () => {
    expect(day('2004-01-05', 'DMY')).toEqual({ day: '2004-01-05' });
    expect(day('2004/1/5', 'MDY')).toEqual({ day: '2004-01-05' });
    expect(day('04/01/05', 'YMD')).toEqual({ day: '2004-01-05' });
  });

  it('puts two-digit years in this century up to next year, else in the last, and apostrophe years after 2000', () => {
    expect(day('1/5/27')).toEqual({ day: '2027-01-05' });
    expect(day('1/5/28')).toEqual({ day: '1928-01-05' });
    expect(day('1/5/99')).toEqual({ day: '1999-01-05' });
    expect(day("1/5'27")).toEqual({ day: '2027-01-05' });
  });

  it('tells which order a date proves', () => {
    expect(orderEvidence(splitQifDate('13/01/2004')!)).toBe('DMY');
    expect(orderEvidence(splitQifDate('01/13/2004')!)).toBe('MDY');
    expect(orderEvidence(splitQifDate('01/12/2004')!)).toBeUndefined();
    expect(orderEvidence(splitQifDate('2004-12-13')!)).toBeUndefined();
  });

  it('says what is wrong with a date that is not one or cannot be', () => {
    expect(day('13/01/2004')).toBe(
      'the date "13/01/2004" is impossible (read as month/day/year): month 13 does not exist',
    );
    expect(day('31/04/2004', 'DMY')).toBe(
      'the date "31/04/2004" is impossible (read as day/month/year): day 31 does not exist in that month',
    );
    expect(day('1/5/0000')).toBe(
      'the date "1/5/0000" is impossible (read as month/day/year): the year 0 is before 1900',
    );
    expect(day('2004-13-01')).toBe(
      'the date "2004-13-01" is impossible (read as year/month/day): month 13 does not exist',
    );
    expect(day('1/5/200')).toBe('"1/5/200" is not a date');
    expect(day('Jan 5 2004')).toBe('"Jan 5 2004" is not a date');
    expect(day('2004/01/2005', 'YMD')).toBe('"2004/01/2005" is not a date');
  });
});
