import { describe, expect, it } from 'vitest';
import { parseInstant } from './instant.js';

describe('parseInstant', () => {
  it('reads RFC 3339 instants with Z or an offset, and fractions', () => {
    expect(parseInstant('2026-03-01T06:00:00Z')).toBe(Date.UTC(2026, 2, 1, 6));
    expect(parseInstant('2026-03-01T07:00:00+01:00')).toBe(Date.UTC(2026, 2, 1, 6));
    expect(parseInstant('2026-03-01T06:00:00.123Z')).toBe(Date.UTC(2026, 2, 1, 6, 0, 0, 123));
  });

  it('refuses dates alone, local times, impossible days and times, and other text', () => {
    for (const text of [
      '2026-03-01',
      '2026-03-01T06:00:00',
      '2026-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-03-01T24:00:00Z',
      '2026-03-01T23:60:00Z',
      'yesterday',
      '',
    ]) {
      expect([text, parseInstant(text)]).toEqual([text, undefined]);
    }
  });
});
