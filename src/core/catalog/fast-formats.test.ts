import { describe, expect, it } from 'vitest';
import ajvFormats from 'ajv-formats';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { fastDate, fastDateTime } from './fast-formats.js';

// ajv-formats' own functions, as the catalog's ajv had them before.
const reference = new Ajv2020();
ajvFormats.default(reference);
const fullDate = (reference.formats['date'] as { validate: (s: string) => boolean }).validate;
const fullDateTime = (reference.formats['date-time'] as { validate: (s: string) => boolean }).validate;

/** Valid strings, and each of them with every character replaced, dropped or doubled, among others. */
function variants(seeds: string[]): string[] {
  const replacements = ['0', '1', '2', '3', '5', '9', '-', ':', '.', 'T', 't', 'Z', 'z', '+', ' ', 'x', ''];
  const out = new Set(seeds);
  for (const seed of seeds) {
    for (let i = 0; i <= seed.length; i++) {
      for (const r of replacements) out.add(seed.slice(0, i) + r + seed.slice(i + 1));
      out.add(seed.slice(0, i) + seed.charAt(i) + seed.slice(i));
    }
  }
  return [...out];
}

describe('fast date and date-time formats', () => {
  it('answer exactly as ajv-formats on valid values and thousands of near misses', () => {
    const dates = variants([
      '2026-03-19',
      '2024-02-29',
      '2023-02-29',
      '1900-02-29',
      '2000-02-29',
      '0000-01-01',
      '2026-12-31',
    ]);
    for (const s of dates) expect([s, fastDate(s)]).toEqual([s, fullDate(s)]);
    const check = fastDateTime(fullDateTime);
    const dateTimes = variants([
      '2026-03-19T23:00:00Z',
      '2026-03-19T23:00:00.123Z',
      '2026-03-19T23:00:00.5+01:00',
      '2024-02-29T00:00:00-23:59',
      '2026-06-30T23:59:60Z',
      '2026-06-30T23:59:60.999+00:00',
      '2026-07-01T00:59:60+01:00',
      '2026-03-19 23:00:00Z',
      '2026-03-19t23:00:00z',
      '2026-03-19T23:00:00+0100',
      '2026-03-19T23:00:00',
    ]);
    expect(dateTimes.length).toBeGreaterThan(2000);
    let accepted = 0;
    for (const s of dateTimes) {
      const expected = fullDateTime(s);
      if (expected) accepted++;
      expect([s, check(s)]).toEqual([s, expected]);
    }
    expect(accepted).toBeGreaterThan(50);
  });

  it('refuse an impossible day, hour or offset in the shape they read themselves', () => {
    const check = fastDateTime(fullDateTime);
    for (const bad of [
      '2026-02-30T10:00:00Z',
      '2026-13-01T10:00:00Z',
      '2026-01-01T24:00:00Z',
      '2026-01-01T10:60:00Z',
    ]) {
      expect(check(bad)).toBe(false);
    }
    expect(check('2026-01-01T10:00:00+24:00')).toBe(false);
    expect(check('2026-01-01T10:00:00.000+01:60')).toBe(false);
    expect(check('2026-01-01T10:00:00.000+01:00')).toBe(true);
  });
});
