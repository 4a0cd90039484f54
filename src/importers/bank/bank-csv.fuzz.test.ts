import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fuzzImporter } from '../../testing/fuzz.js';
import { bankCsvImporter } from './bank-csv-importer.js';

const dir = new URL('./fixtures/', import.meta.url);
const fixtures = readdirSync(dir)
  .filter((name) => name.startsWith('csv-'))
  .map((name) => ({ name, bytes: new Uint8Array(readFileSync(new URL(name, dir))) }));

describe('bank CSV fuzzing', () => {
  it('imports or refuses cleanly every mutation of every fixture', async () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(10);
    const cases = 100;
    const { imported, rejected } = await fuzzImporter(bankCsvImporter, fixtures, { cases, seed: 4 });
    expect(imported + rejected).toBe(fixtures.length * cases);
    // Both outcomes occur: the mutations neither all break the files nor all leave them intact.
    expect(imported).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
  });
});
