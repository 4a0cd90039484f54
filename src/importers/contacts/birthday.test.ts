import { describe, expect, it } from 'vitest';
import { parseBirthday } from './birthday.js';

const read = (value: string, omitYear = false) => parseBirthday(value, omitYear, 2026);

describe('parseBirthday', () => {
  it('reads full dates in basic, extended and date-time forms', () => {
    expect([read('1986-05-21'), read('19860521'), read('1986-05-21T00:00:00Z'), read('19860521T000000')]).toEqual(
      Array(4).fill({ ok: true, date: '1986-05-21' }),
    );
  });

  it('writes birthdays without a year with the year 1604', () => {
    expect([read('--0521'), read('--05-21'), read('1604-05-21'), read('2000-05-21', true), read('0000-05-21')]).toEqual(
      Array(5).fill({ ok: true, date: '1604-05-21' }),
    );
    expect(read('--0229')).toEqual({ ok: true, date: '1604-02-29' });
  });

  it('tells text from broken and absurd dates', () => {
    expect(read('vers 1950')).toEqual({ ok: false, kind: 'text' });
    expect(read('20241345')).toEqual({ ok: false, kind: 'invalid', reason: '"20241345" is not a real date' });
    expect(read('1200-05-21')).toEqual({
      ok: false,
      kind: 'invalid',
      reason: 'the year 1200 of "1200-05-21" is not plausible for a birthday',
    });
    expect(read('2031-01-01')).toMatchObject({ ok: false, kind: 'invalid' });
  });
});
