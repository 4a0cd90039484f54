import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeBankCsv } from './bank-csv.js';
import { expectCatalogValid } from '../../src/testing/importers.js';
import type { ImportRecord } from '../../src/importers/importer.js';
import { sourceFromFile } from '../../src/importers/source/import-source.js';
import { bankCsvImporter } from '../../src/importers/bank/bank-csv-importer.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'foyer-bank-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the bank CSV of the import benchmark', () => {
  it('is written the same way every time for a count', async () => {
    await writeBankCsv(path.join(dir, 'a.csv'), 500);
    await writeBankCsv(path.join(dir, 'b.csv'), 500);
    expect(readFileSync(path.join(dir, 'a.csv')).equals(readFileSync(path.join(dir, 'b.csv')))).toBe(true);
  });

  it('parses whole, every line a valid transaction, ending with the account and its balance', async () => {
    // How fast it imports is the benchmark's business (`npm run bench -- --only imports`), not a test's.
    const file = path.join(dir, 'releve.csv');
    await writeBankCsv(file, 20_000);
    const source = await sourceFromFile(file);
    const ctx = {
      warn: () => undefined,
      options: {},
      timeZone: 'Europe/Paris',
      now: Date.parse('2026-11-24T12:00:00Z'),
    };
    const first: ImportRecord[] = [];
    let count = 0;
    let last: ImportRecord | undefined;
    for await (const record of bankCsvImporter.parse(source, ctx)) {
      if (first.length < 1000) first.push(record);
      last = record;
      count++;
    }
    expect(count).toBe(20_001);
    expect(last).toMatchObject({ doctype: 'bank.account', data: { balance: 1234.56 } });
    await expectCatalogValid(first);
  });
});
