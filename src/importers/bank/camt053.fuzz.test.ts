import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fuzzImporter } from '../../testing/fuzz.js';
import { camt053Importer } from './camt053-importer.js';

const FIXTURES = ['camt053-v02-two-statements.xml', 'camt053-v08-prefixed.xml', 'camt053-latin1-no-namespace.xml'];

describe('camt053Importer fuzzing', () => {
  it('ends every mutated fixture in valid records or an import error, never a crash or a hang', async () => {
    const fixtures = FIXTURES.map((name) => ({
      name,
      bytes: readFileSync(new URL(`./fixtures/${name}`, import.meta.url)),
    }));
    const { imported, rejected } = await fuzzImporter(camt053Importer, fixtures, { cases: 400, seed: 53 });
    expect(imported + rejected).toBe(1200);
    // Both outcomes occur: the mutations reach the parser's checks and its happy path.
    expect(imported).toBeGreaterThan(50);
    expect(rejected).toBeGreaterThan(50);
  });
});
