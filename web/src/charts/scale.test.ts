import { describe, expect, it } from 'vitest';
import { linear, niceTicks, sparseIndexes } from './scale.js';

describe('chart scales', () => {
  it('gives round ticks from zero covering the maximum', () => {
    expect(niceTicks(0, 950)).toEqual([0, 500, 1000]);
    expect(niceTicks(0, 37)).toEqual([0, 10, 20, 30, 40]);
    expect(niceTicks(0, 0.42)).toEqual([0, 0.2, 0.4, 0.6]);
    expect(niceTicks(0, 0)).toEqual([0, 0.5, 1]);
  });

  it('maps a domain onto pixels, flipped for the y axis', () => {
    const y = linear(0, 100, 200, 0);
    expect(y(0)).toBe(200);
    expect(y(25)).toBe(150);
    expect(y(100)).toBe(0);
  });

  it('picks evenly spread labels from the first, at a whole step', () => {
    expect(sparseIndexes(3, 6)).toEqual([0, 1, 2]);
    expect(sparseIndexes(31, 4)).toEqual([0, 10, 20, 30]);
    // 30 days in 19 labels: every other day, evenly, never two neighbours.
    expect(sparseIndexes(30, 19)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28]);
    expect(sparseIndexes(10, 4)).toEqual([0, 3, 6, 9]);
  });
});
