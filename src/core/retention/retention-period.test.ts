import { describe, expect, it } from 'vitest';
import { isFoyerError } from '../errors.js';
import { checkRetention, isIsoDuration, retentionCutoff } from './retention-period.js';

const at = (iso: string) => Date.parse(iso);
const cutoff = (now: string, duration: string) => {
  const t = retentionCutoff(at(now), duration);
  return t === null ? null : new Date(t).toISOString();
};

function refusal(value: string): string {
  try {
    checkRetention(value);
  } catch (e) {
    expect(isFoyerError(e) && e.code).toBe('validation_failed');
    return (e as Error).message;
  }
  throw new Error(`accepted ${value}`);
}

describe('retentionCutoff', () => {
  it('counts years and months on the calendar, clamping to the end of shorter months', () => {
    expect(cutoff('2026-03-01T10:00:00.000Z', 'P10Y')).toBe('2016-03-01T10:00:00.000Z');
    expect(cutoff('2024-02-29T08:00:00.000Z', 'P1Y')).toBe('2023-02-28T08:00:00.000Z');
    expect(cutoff('2026-03-31T00:00:00.000Z', 'P1M')).toBe('2026-02-28T00:00:00.000Z');
    expect(cutoff('2026-01-15T00:00:00.000Z', 'P18M')).toBe('2024-07-15T00:00:00.000Z');
    expect(cutoff('2026-03-31T00:00:00.000Z', 'P1Y1M')).toBe('2025-02-28T00:00:00.000Z');
  });

  it('counts weeks, days and time of day exactly', () => {
    expect(cutoff('2026-03-10T12:00:00.000Z', 'P2W')).toBe('2026-02-24T12:00:00.000Z');
    expect(cutoff('2026-03-10T12:00:00.000Z', 'P1DT12H30M15S')).toBe('2026-03-08T23:29:45.000Z');
    expect(cutoff('2026-03-10T12:00:00.000Z', 'PT36H')).toBe('2026-03-09T00:00:00.000Z');
  });

  it('has no cutoff before year 1 or for a malformed duration', () => {
    expect(cutoff('2026-01-01T00:00:00.000Z', 'P2025Y')).toBe('0001-01-01T00:00:00.000Z');
    expect(cutoff('2026-01-01T00:00:00.000Z', 'P2026Y')).toBeNull();
    expect(cutoff('2026-01-01T00:00:00.000Z', 'P99999999999Y')).toBeNull();
    expect(cutoff('2026-01-01T00:00:00.000Z', '10 years')).toBeNull();
  });
});

describe('checkRetention', () => {
  it('accepts durations of a day or more', () => {
    for (const value of ['P1D', 'P2Y', 'P18M', 'P3W', 'PT24H', 'P1Y6M', 'P1999Y']) {
      expect(isIsoDuration(value)).toBe(true);
      expect(() => checkRetention(value)).not.toThrow();
    }
  });

  it('refuses what is not an ISO 8601 duration, naming the field', () => {
    for (const value of ['', 'P', 'PT', '2Y', 'P2', 'P-1Y', 'P1.5Y', 'p2y', 'P2Y ', '10 years', 'P1Y2D3M']) {
      expect(isIsoDuration(value)).toBe(false);
      expect(refusal(value)).toContain('/retention: must be an ISO 8601 duration');
    }
  });

  it('refuses durations under a day and absurdly long ones', () => {
    for (const value of ['P0D', 'PT0S', 'PT23H59M59S']) expect(refusal(value)).toContain('at least one day');
    expect(refusal('P2001Y')).toContain('shorter than 2000 years');
  });
});
