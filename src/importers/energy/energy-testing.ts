/** Shared by the energy importers' tests: fixtures, the error a bad file gives, fuzzing, foreign files. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Importer } from '../importer.js';
import { fuzzImporter } from '../../testing/fuzz.js';
import { detectionOf, expectCatalogValid, runImporter, type RunResult } from '../../testing/importers.js';

const FIXTURES = new URL('./fixtures/', import.meta.url);
const IMPORTERS = new URL('../', import.meta.url);

export function fixture(name: string): Uint8Array {
  return readFileSync(new URL(name, FIXTURES));
}

export function fixtureText(name: string, encoding: BufferEncoding = 'utf8'): string {
  return Buffer.from(fixture(name)).toString(encoding);
}

/** Imports bytes and checks every record against the catalog, as the import service will. */
export async function imported(importer: Importer, bytes: Uint8Array | string, name = 'file'): Promise<RunResult> {
  const result = await runImporter(importer, bytes, { name });
  await expectCatalogValid(result.records);
  return result;
}

export function importedFixture(importer: Importer, name: string): Promise<RunResult> {
  return imported(importer, fixture(name), name);
}

export { importFailure } from '../../testing/importers.js';

/** The fixtures of every other importer family, and small files of other kinds. */
export function foreignFiles(): { name: string; bytes: Uint8Array | string }[] {
  const files: { name: string; bytes: Uint8Array | string }[] = [];
  for (const family of readdirSync(IMPORTERS)) {
    if (family === 'energy') continue;
    const dir = fileURLToPath(new URL(`${family}/fixtures/`, IMPORTERS));
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir, { recursive: true }) as string[]) {
      const path = join(dir, name);
      if (statSync(path).isFile()) files.push({ name: `${family}/${name}`, bytes: readFileSync(path) });
    }
  }
  files.push(
    { name: 'plain text', bytes: 'Relevé de compteur : 12345 kWh\nIdentifiant PRM manquant\n' },
    { name: 'bank csv', bytes: 'Date;Libellé;Montant;Devise\n12/03/2024;CB EDF ENERGIE;-61,83;EUR\n' },
    { name: 'json', bytes: '{"date": "2024-03-12", "value": 540, "unit": "Wh"}\n' },
    {
      name: 'atom feed',
      bytes: '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><title>News</title></entry></feed>',
    },
  );
  return files;
}

/** Every foreign file scores well below 0.5. */
export async function expectIgnoresForeignFiles(importer: Importer): Promise<void> {
  for (const f of foreignFiles()) expect(await detectionOf(importer, f.bytes, f.name), f.name).toBeLessThan(0.2);
}

/**
 * Fuzzes an importer with at least `total` mutations spread over `names`; both outcomes (a clean
 * import, an import error) must occur, or the fuzzing proves nothing.
 */
export async function expectFuzzSurvives(
  importer: Importer,
  names: string[],
  total: number,
  seed: number,
): Promise<void> {
  const fixtures = names.map((name) => ({ name, bytes: fixture(name) }));
  const cases = Math.ceil(total / fixtures.length);
  const { imported: ok, rejected } = await fuzzImporter(importer, fixtures, { cases, seed });
  expect(ok + rejected).toBe(cases * fixtures.length);
  expect(ok).toBeGreaterThan(total / 20);
  expect(rejected).toBeGreaterThan(total / 50);
}

export function fixturesNamed(pattern: RegExp): string[] {
  return readdirSync(FIXTURES)
    .filter((n) => pattern.test(n))
    .sort();
}
