import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeBankCsv } from '../../../bench/import-files/bank-csv.js';
import { expectCatalogValid } from '../../testing/importers.js';
import type { ImportRecord } from '../importer.js';
import { sourceFromFile } from '../source/import-source.js';
import { bankCsvImporter } from './bank-csv-importer.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'foyer-bank-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a 100,000-line bank CSV', () => {
  it('is written the same way every time for a count', async () => {
    await writeBankCsv(path.join(dir, 'a.csv'), 500);
    await writeBankCsv(path.join(dir, 'b.csv'), 500);
    expect(readFileSync(path.join(dir, 'a.csv')).equals(readFileSync(path.join(dir, 'b.csv')))).toBe(true);
  });

  it('parses in well under the two seconds the whole import may take (CPU time of this process)', async () => {
    const file = path.join(dir, 'releve.csv');
    await writeBankCsv(file, 100_000);
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
    const before = process.cpuUsage();
    for await (const record of bankCsvImporter.parse(source, ctx)) {
      if (first.length < 1000) first.push(record);
      last = record;
      count++;
    }
    const used = process.cpuUsage(before);
    const ms = (used.user + used.system) / 1000;
    expect(count).toBe(100_001);
    expect(last).toMatchObject({ doctype: 'bank.account', data: { balance: 1234.56 } });
    await expectCatalogValid(first);
    // Measured 0.75 to 0.95 s of CPU on this 2-core machine while other suites ran; the target is 2 s end to end.
    expect(ms).toBeLessThan(2000);
  });
});
