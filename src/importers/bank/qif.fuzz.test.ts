import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fuzzImporter } from '../../testing/fuzz.js';
import { qifImporter } from './qif-importer.js';

const FIXTURES = [
  'qif-bank-us-quicken.qif',
  'qif-ccard-fr.qif',
  'qif-accounts-autoswitch.qif',
  'qif-ambiguous-dates.qif',
];

describe('QIF fuzzing', () => {
  it('ends every mutation of every fixture in records valid for the catalog or an import error', async () => {
    const fixtures = FIXTURES.map((name) => ({
      name,
      bytes: readFileSync(new URL(`./fixtures/${name}`, import.meta.url)),
    }));
    const { imported, rejected } = await fuzzImporter(qifImporter, fixtures, { cases: 300, seed: 20040105 });
    expect(imported + rejected).toBe(1200);
    expect(imported).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(100);
  });
});
