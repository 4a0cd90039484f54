import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fuzzImporter } from '../../testing/fuzz.js';
import { cfonbImporter } from './cfonb-importer.js';

const FIXTURES = ['cfonb-two-accounts.txt', 'cfonb-single-line.txt'];

describe('cfonbImporter fuzzing', () => {
  it('ends every mutated fixture in valid records or an import error, never a crash or a hang', async () => {
    const fixtures = FIXTURES.map((name) => ({
      name,
      bytes: readFileSync(new URL(`./fixtures/${name}`, import.meta.url)),
    }));
    const { imported, rejected } = await fuzzImporter(cfonbImporter, fixtures, { cases: 600, seed: 120 });
    expect(imported + rejected).toBe(1200);
    // Both outcomes occur: the mutations reach the parser's checks and its happy path.
    expect(imported).toBeGreaterThan(50);
    expect(rejected).toBeGreaterThan(50);
  });
});
