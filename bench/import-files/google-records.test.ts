import { describe, it, expect } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { googleRecordsImporter } from '../../src/importers/location/google-records.js';
import { sourceFromFile } from '../../src/importers/source/import-source.js';
import type { ImportRecord, ImportWarning } from '../../src/importers/importer.js';
import { expectCatalogValid } from '../../src/testing/importers.js';
import { writeGoogleRecords } from './google-records.js';

describe('Records.json generator', () => {
  it('writes a file the importer reads whole, the same for the same count', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'foyer-records-'));
    try {
      const path = join(dir, 'Records.json');
      await writeGoogleRecords(path, 3000);
      const first = await readFile(path);
      await writeGoogleRecords(path, 3000);
      expect((await readFile(path)).equals(first)).toBe(true);

      const warnings: ImportWarning[] = [];
      const records: ImportRecord[] = [];
      const ctx = {
        warn: (w: ImportWarning) => void warnings.push(w),
        options: {},
        timeZone: 'Europe/Paris',
        now: Date.now(),
      };
      for await (const r of googleRecordsImporter.parse(await sourceFromFile(path), ctx)) records.push(r);
      expect(warnings).toEqual([]);
      expect(records).toHaveLength(3000);
      await expectCatalogValid(records);
      // Both time generations and both devices are there, and no longitude is left overflowed.
      const data = records.map((r) => r.data as { t: string; lon: number; deviceId: string });
      expect(new Set(data.map((d) => d.deviceId))).toEqual(new Set(['google:1394512876', 'google:-813004233']));
      expect(data.every((d) => d.lon >= -180 && d.lon <= 180)).toBe(true);
      expect(first.toString('utf8')).toContain('"timestampMs"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
