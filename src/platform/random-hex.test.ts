import { describe, expect, it } from 'vitest';
import { randomHex } from './random-hex.js';

describe('randomHex', () => {
  it('gives the asked number of hex characters, different each time', () => {
    expect(randomHex(20)).toMatch(/^[0-9a-f]{20}$/);
    expect(randomHex(30)).toHaveLength(30);
    expect(new Set(Array.from({ length: 1000 }, () => randomHex(16))).size).toBe(1000);
  });

  it('uses every position: no fixed version or variant character', () => {
    const seen = Array.from({ length: 30 }, () => new Set<string>());
    for (let i = 0; i < 2000; i++) [...randomHex(30)].forEach((c, k) => seen[k]!.add(c));
    for (const s of seen) expect(s.size).toBe(16);
  });
});
