/** Shared by the location importers' tests: fixtures on disk and the error a bad file gives. */
import { readFileSync, readdirSync } from 'node:fs';
import { expect } from 'vitest';
import type { Importer } from '../importer.js';
import { fuzzImporter } from '../../testing/fuzz.js';

const FIXTURES = new URL('./fixtures/', import.meta.url);

export function fixture(name: string): Uint8Array {
  return readFileSync(new URL(name, FIXTURES));
}

/** Every fixture whose name matches, for fuzzing. */
export function fixturesMatching(pattern: RegExp): { name: string; bytes: Uint8Array }[] {
  return readdirSync(FIXTURES)
    .filter((name) => pattern.test(name))
    .sort()
    .map((name) => ({ name, bytes: fixture(name) }));
}

export { importFailure } from '../../testing/importers.js';

/**
 * Fuzzes an importer with at least `total` mutations spread over the fixtures matching `pattern`,
 * and requires both outcomes (clean import, import error) to occur, or the test proves nothing.
 */
export async function expectFuzzSurvives(
  importer: Importer,
  pattern: RegExp,
  total: number,
  seed: number,
): Promise<void> {
  const fixtures = fixturesMatching(pattern);
  expect(fixtures.length).toBeGreaterThan(0);
  const cases = Math.ceil(total / fixtures.length);
  const { imported, rejected } = await fuzzImporter(importer, fixtures, { cases, seed });
  expect(imported + rejected).toBe(cases * fixtures.length);
  expect(imported).toBeGreaterThan(total / 20);
  expect(rejected).toBeGreaterThan(total / 20);
}
