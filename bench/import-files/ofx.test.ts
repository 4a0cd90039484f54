import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImportRecord, ImportWarning } from '../../src/importers/importer.js';
import { ofxImporter } from '../../src/importers/bank/ofx-importer.js';
import { sourceFromFile } from '../../src/importers/source/import-source.js';
import { expectCatalogValid } from '../../src/testing/importers.js';
import { writeOfx } from './ofx.js';

describe('OFX generator', () => {
  it('writes the same file for the same count, which the importer reads whole without warnings', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'foyer-ofx-gen-'));
    try {
      const path = join(dir, 'statement.ofx');
      await writeOfx(path, 2000);
      const first = await readFile(path);
      await writeOfx(path, 2000);
      expect((await readFile(path)).equals(first)).toBe(true);
      const warnings: ImportWarning[] = [];
      const records: ImportRecord[] = [];
      const ctx = {
        warn: (w: ImportWarning) => void warnings.push(w),
        options: {},
        timeZone: 'Europe/Paris',
        now: Date.now(),
      };
      for await (const r of ofxImporter.parse(await sourceFromFile(path), ctx)) records.push(r);
      expect(warnings).toEqual([]);
      expect(records.filter((r) => r.doctype === 'bank.transaction')).toHaveLength(2000);
      expect(new Set(records.map((r) => (r.kind === 'document' ? r.key : ''))).size).toBe(records.length);
      await expectCatalogValid(records);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
