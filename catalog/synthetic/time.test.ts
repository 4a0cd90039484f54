import { describe, expect, it } from 'vitest';
import { addMonths, isoInstant, nextParisMidnight, parisDate, parisOffsetMs, parisToUtc, toParis } from './time.js';
import { wholeParisDays } from './daily-grid.js';

const at = (iso: string) => Date.parse(iso);

describe('Paris civil time', () => {
  it('switches to summer time on the last Sunday of March at 01:00 UTC', () => {
    expect(parisOffsetMs(at('2024-03-31T00:59:59Z'))).toBe(3_600_000);
    expect(parisOffsetMs(at('2024-03-31T01:00:00Z'))).toBe(7_200_000);
  });

  it('switches back on the last Sunday of October at 01:00 UTC', () => {
    expect(parisOffsetMs(at('2024-10-27T00:59:59Z'))).toBe(7_200_000);
    expect(parisOffsetMs(at('2024-10-27T01:00:00Z'))).toBe(3_600_000);
  });

  it('agrees with the host time zone database over a year', () => {
    const format = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/Paris',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    });
    for (let t = at('2023-01-01T00:30:00Z'); t < at('2025-01-01T00:00:00Z'); t += 3_600_000 * 7) {
      const l = toParis(t);
      const expected = format.format(new Date(t)).replace(', ', 'T');
      expect(`${parisDate(t)}T${String(l.hour).padStart(2, '0')}`).toBe(expected);
    }
  });

  it('converts Paris wall-clock times to UTC in winter and summer', () => {
    expect(isoInstant(parisToUtc(2024, 1, 15, 8, 30))).toBe('2024-01-15T07:30:00Z');
    expect(isoInstant(parisToUtc(2024, 7, 15, 8, 30))).toBe('2024-07-15T06:30:00Z');
  });

  it('finds the next Paris midnight', () => {
    expect(isoInstant(nextParisMidnight(at('2024-01-01T00:00:00Z')))).toBe('2024-01-01T23:00:00Z');
    expect(isoInstant(nextParisMidnight(at('2023-12-31T23:00:00Z')))).toBe('2023-12-31T23:00:00Z');
  });

  it('lists whole Paris days, 23-hour spring day included', () => {
    expect(wholeParisDays(at('2024-03-29T23:00:00Z'), at('2024-04-01T22:00:00Z'), 10)).toEqual([
      '2024-03-30',
      '2024-03-31',
      '2024-04-01',
    ]);
    expect(wholeParisDays(at('2024-03-29T23:00:00Z'), at('2024-04-01T22:00:00Z'), 2)).toEqual([
      '2024-03-30',
      '2024-03-31',
    ]);
  });
});

describe('calendar arithmetic', () => {
  it('clamps to the end of shorter months', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2024-03-31', -13)).toBe('2023-02-28');
    expect(addMonths('2024-11-15', 2)).toBe('2025-01-15');
  });
});
