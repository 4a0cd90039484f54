import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fuzzImporter } from '../../testing/fuzz.js';
import { vcardImporter } from './vcard-importer.js';

const names = ['google-contacts.vcf', 'apple-contacts.vcf', 'outlook-2.1.vcf', 'vcard-4.0.vcf'];

describe('vCard under fuzzing', () => {
  it('imports cleanly or fails with a FoyerError on 1,600 mutated files', async () => {
    const fixtures = await Promise.all(
      names.map(async (name) => ({ name, bytes: await readFile(new URL(`./fixtures/${name}`, import.meta.url)) })),
    );
    const { imported, rejected } = await fuzzImporter(vcardImporter, fixtures, { cases: 400, seed: 42 });
    expect(imported + rejected).toBe(1600);
    // Both outcomes happen: the mutations reach the parser and its checks.
    expect(imported).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
  }, 30_000);
});
