import { describe, expect, it } from 'vitest';
import { Rng, round } from './rng.js';

const draw = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.nextUint32());

describe('Rng', () => {
  it('repeats the same sequence for the same seed, numeric or string', () => {
    expect(draw(new Rng(42), 100)).toEqual(draw(new Rng(42), 100));
    expect(draw(new Rng('42'), 10)).toEqual(draw(new Rng(42), 10));
    expect(draw(new Rng(42), 10)).not.toEqual(draw(new Rng(43), 10));
  });

  it('spreads floats over [0, 1) evenly', () => {
    const rng = new Rng('uniform');
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const x = rng.next();
      expect(x >= 0 && x < 1).toBe(true);
      buckets[Math.floor(x * 10)]! += 1;
    }
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(500);
  });

  it('draws integers in an inclusive range, reaching both ends', () => {
    const rng = new Rng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(rng.int(3, 6));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it('rounds floats to the decimals asked', () => {
    const rng = new Rng(2);
    for (let i = 0; i < 100; i++) {
      const x = rng.float(1, 2, 2);
      expect(x).toBeGreaterThanOrEqual(1);
      expect(x).toBeLessThanOrEqual(2);
      expect(Math.round(x * 100) / 100).toBe(x);
    }
  });

  it('picks by weight', () => {
    const rng = new Rng(3);
    let heavy = 0;
    for (let i = 0; i < 10_000; i++)
      if (
        rng.weighted([
          ['a', 9],
          ['b', 1],
        ] as const) === 'a'
      )
        heavy++;
    expect(heavy).toBeGreaterThan(8700);
    expect(heavy).toBeLessThan(9300);
  });

  it('refuses to pick from an empty list', () => {
    expect(() => new Rng(1).pick([])).toThrow(RangeError);
    expect(() => new Rng(1).weighted([])).toThrow(RangeError);
  });

  it('shuffles into a permutation', () => {
    const items = [1, 2, 3, 4, 5, 6, 7, 8];
    const shuffled = new Rng(4).shuffle(items);
    expect([...shuffled].sort()).toEqual(items);
    expect(items).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('forks streams that depend on the seed and label only, not on draws made before', () => {
    const a = new Rng(5);
    const b = new Rng(5);
    draw(b, 17);
    expect(draw(a.fork('household'), 5)).toEqual(draw(b.fork('household'), 5));
    expect(draw(a.fork('household'), 5)).not.toEqual(draw(a.fork('places'), 5));
  });

  it('gives digit and hex strings of the requested length', () => {
    const rng = new Rng(6);
    expect(rng.digits(14)).toMatch(/^[0-9]{14}$/);
    expect(rng.hex(21)).toMatch(/^[0-9a-f]{21}$/);
  });
});

describe('round', () => {
  it('rounds half away from zero and never returns -0', () => {
    expect(round(1.005 * 1000, 0)).toBe(1005);
    expect(round(2.5, 0)).toBe(3);
    expect(round(-2.5, 0)).toBe(-3);
    expect(Object.is(round(-0.001, 2), 0)).toBe(true);
  });
});
