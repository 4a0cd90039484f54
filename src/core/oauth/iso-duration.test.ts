import { describe, expect, it } from 'vitest';
import { addIsoDuration, isIsoDuration } from './iso-duration.js';

const at = (iso: string) => Date.parse(iso);

describe('ISO 8601 durations', () => {
  it('adds years, months, weeks, days and time parts the way people count them', () => {
    expect(new Date(addIsoDuration(at('2026-01-15T10:00:00Z'), 'P1Y')).toISOString()).toBe('2027-01-15T10:00:00.000Z');
    expect(new Date(addIsoDuration(at('2026-01-31T10:00:00Z'), 'P1M')).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(new Date(addIsoDuration(at('2024-02-29T00:00:00Z'), 'P1Y')).toISOString()).toBe('2025-02-28T00:00:00.000Z');
    expect(new Date(addIsoDuration(at('2026-11-24T12:00:00Z'), 'P1Y6M')).toISOString()).toBe(
      '2028-05-24T12:00:00.000Z',
    );
    expect(new Date(addIsoDuration(at('2026-01-01T00:00:00Z'), 'P2W3D')).toISOString()).toBe(
      '2026-01-18T00:00:00.000Z',
    );
    expect(new Date(addIsoDuration(at('2026-01-01T00:00:00Z'), 'PT1H30M5S')).toISOString()).toBe(
      '2026-01-01T01:30:05.000Z',
    );
  });

  it('refuses what is not a duration', () => {
    for (const bad of ['', 'P', 'PT', '1Y', 'P1.5Y', 'P-1D', 'forever']) {
      expect(isIsoDuration(bad), bad).toBe(false);
      expect(() => addIsoDuration(0, bad), bad).toThrow('not an ISO 8601 duration');
    }
    expect(isIsoDuration('P30D')).toBe(true);
  });
});
