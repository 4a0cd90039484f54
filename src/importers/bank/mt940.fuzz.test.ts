import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fuzzImporter } from '../../testing/fuzz.js';
import { mt940Importer } from './mt940-importer.js';

const FIXTURES = ['mt940-german-blocks.sta', 'mt940-dutch-structured.txt', 'mt940-tilde-free-text.txt'];

describe('mt940Importer fuzzing', () => {
  it('ends every mutated fixture in valid records or an import error, never a crash or a hang', async () => {
    const fixtures = FIXTURES.map((name) => ({
      name,
      bytes: readFileSync(new URL(`./fixtures/${name}`, import.meta.url)),
    }));
    const { imported, rejected } = await fuzzImporter(mt940Importer, fixtures, { cases: 400, seed: 940 });
    expect(imported + rejected).toBe(1200);
    // Both outcomes occur: the mutations reach the parser's checks and its happy path.
    expect(imported).toBeGreaterThan(50);
    expect(rejected).toBeGreaterThan(50);
  });
});
