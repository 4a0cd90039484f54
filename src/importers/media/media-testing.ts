/** Test helpers shared by the media and social importer tests. */
import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import type { FoyerError } from '../../core/errors.js';
import { fuzzImporter } from '../../testing/fuzz.js';
import { importFailure as anyImportFailure } from '../../testing/importers.js';
import type { Importer, ImportRecord } from '../importer.js';

/** The import_invalid error importing these bytes gives; fails the test on any other outcome. */
export async function importFailure(importer: Importer, bytes: string | Uint8Array, name: string): Promise<FoyerError> {
  const e = await anyImportFailure(importer, bytes, name);
  if (e.code !== 'import_invalid') throw e;
  return e;
}

/** The natural keys of document records, in order. */
export function keysOf(records: readonly ImportRecord[]): string[] {
  return records.map((r) => (r.kind === 'document' ? r.key : ''));
}

/**
 * Fuzzes an importer with `cases` mutations of each named fixture of `dir` (seeded): every case
 * must end in valid records or a FoyerError, and both outcomes must occur (the mutations reach the
 * parser and its checks).
 */
export async function fuzzFixtures(
  importer: Importer,
  dir: URL,
  fixtures: readonly (string | { name: string; bytes: Uint8Array })[],
  options: { cases: number; seed: number },
): Promise<void> {
  const loaded = await Promise.all(
    fixtures.map(async (f) => (typeof f === 'string' ? { name: f, bytes: await readFile(new URL(f, dir)) } : f)),
  );
  const { imported, rejected } = await fuzzImporter(importer, loaded, options);
  expect(imported + rejected).toBe(options.cases * loaded.length);
  expect(imported).toBeGreaterThan(0);
  expect(rejected).toBeGreaterThan(0);
}
