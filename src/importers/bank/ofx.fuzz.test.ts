import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fuzzImporter } from '../../testing/fuzz.js';
import { ofxImporter } from './ofx-importer.js';

const FIXTURES = [
  'ofx-102-sgml-fr.ofx',
  'ofx-211-xml-us.ofx',
  'ofx-220-xml-header-sgml-body.ofx',
  'ofx-qfx-quicken-card.qfx',
];

describe('OFX fuzzing', () => {
  it('ends every mutation of every fixture in records valid for the catalog or an import error', async () => {
    const fixtures = FIXTURES.map((name) => ({
      name,
      bytes: readFileSync(new URL(`./fixtures/${name}`, import.meta.url)),
    }));
    const { imported, rejected } = await fuzzImporter(ofxImporter, fixtures, { cases: 300, seed: 20240312 });
    expect(imported + rejected).toBe(1200);
    // Both outcomes happen: mutations are neither all harmless nor all fatal.
    expect(imported).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(100);
  });
});
