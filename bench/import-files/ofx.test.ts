import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportRecord, ImportWarning } from '../../src/importers/importer.js';
import { ofxImporter } from '../../src/importers/bank/ofx-importer.js';
import { sourceFromFile } from '../../src/importers/source/import-source.js';
import { expectCatalogValid } from '../../src/testing/importers.js';
import { writeOfx } from './ofx.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'foyer-ofx-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Parses the file, handing each record to `onRecord`; returns the warnings. */
async function parse(path: string, onRecord: (record: ImportRecord) => void): Promise<ImportWarning[]> {
  const warnings: ImportWarning[] = [];
  const ctx = {
    warn: (w: ImportWarning) => void warnings.push(w),
    options: {},
    timeZone: 'Europe/Paris',
    now: Date.now(),
  };
  for await (const record of ofxImporter.parse(await sourceFromFile(path), ctx)) onRecord(record);
  return warnings;
}

describe('OFX generator', () => {
  it('writes the same file for the same count, which the importer reads whole without warnings', async () => {
    const path = join(dir, 'small.ofx');
    await writeOfx(path, 2000);
    const first = await readFile(path);
    await writeOfx(path, 2000);
    expect((await readFile(path)).equals(first)).toBe(true);
    const records: ImportRecord[] = [];
    expect(await parse(path, (r) => records.push(r))).toEqual([]);
    expect(records.filter((r) => r.doctype === 'bank.transaction')).toHaveLength(2000);
    expect(new Set(records.map((r) => (r.kind === 'document' ? r.key : ''))).size).toBe(records.length);
    await expectCatalogValid(records);
  });

  it('spreads transactions over a checking account and a card, as the import benchmark expects', async () => {
    // How fast they import is the benchmark's business (`npm run bench -- --only imports`), not a test's.
    const path = join(dir, 'large.ofx');
    await writeOfx(path, 20_000);
    const counts: Record<string, number> = {};
    await parse(path, (r) => void (counts[r.doctype] = (counts[r.doctype] ?? 0) + 1));
    expect(counts).toEqual({ 'bank.transaction': 20_000, 'bank.account': 2 });
  });
});
