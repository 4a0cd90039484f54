/**
 * Every fixture of every importer, end to end through the real import service and the real stores
 * (SQLite and PostgreSQL): it imports, and importing it again changes nothing (no duplicates, no
 * updates: natural keys stable from one run to the next), with each record's provenance.
 */
import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestContext } from '../core/principal.js';
import { DEFAULT_SPACE } from '../core/spaces/space-service.js';
import type { DocumentStore } from '../storage/document-store.js';
import { importerFixtures, type ImporterFixture } from '../testing/importer-fixtures.js';
import { makeTestPostgresStore } from '../testing/postgres.js';
import { spaceCensus } from '../testing/space-census.js';
import { startTestFoyer, type TestFoyer } from '../testing/test-foyer.js';
import { fileOpener } from './source/import-source.js';
import type { ImportReport } from './import-report.js';

const owner: RequestContext = {
  space: DEFAULT_SPACE,
  principal: { kind: 'owner', via: 'token', tokenId: 'tests', label: 'tests' },
};

const fixtures = (await importerFixtures()).filter((f): f is ImporterFixture & { importer: string } => !!f.importer);

type OpenStore = () => Promise<{ store?: DocumentStore; cleanup(): Promise<void> }>;

function importAllSuite(backend: string, openStore: OpenStore) {
  describe(`every fixture through the import service (${backend})`, () => {
    let t: TestFoyer;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      const opened = await openStore();
      cleanup = opened.cleanup;
      t = await startTestFoyer({ overrides: opened.store ? { documentStore: opened.store } : {} });
    });
    afterAll(async () => {
      await t.close();
      await cleanup();
    });

    /** Documents of the doctype written by this import, read back with their metadata. */
    async function writtenBy(report: ImportReport, doctype: string): Promise<Record<string, unknown>[]> {
      const docs = await t.foyer.documentStore.findDocuments(DEFAULT_SPACE, doctype, {
        selector: null,
        sort: [],
        limit: 1e6,
      });
      return docs
        .map((d) => JSON.parse(d.meta) as Record<string, unknown>)
        .filter((meta) => (meta.createdBy as { id?: string } | undefined)?.id === report.id);
    }

    it.each(fixtures.map((f) => [f.path, f] as const))('%s imports once, and again without changes', async (_, f) => {
      const open = (name: string) => fileOpener(f.file, name, statSync(f.file).size);
      const before = await spaceCensus(t.foyer);
      const first = await t.foyer.imports.run(owner, open(f.path));
      expect(first.status).toBe('imported');
      expect(first.format.id).toBe(f.importer);
      expect(first.records).toBeGreaterThan(0);
      const afterFirst = await spaceCensus(t.foyer);
      for (const [doctype, c] of Object.entries(first.counts)) {
        if (t.foyer.catalog.get(doctype)?.kind === 'series') continue;
        // What the report calls new is what the space gained, each with the file's provenance.
        expect(afterFirst[doctype]! - before[doctype]!, doctype).toBe(c.created);
        const metas = await writtenBy(first, doctype);
        expect(metas, doctype).toHaveLength(c.created);
        for (const meta of metas)
          expect(meta.source).toMatchObject({
            kind: 'import',
            file: f.path,
            checksum: first.checksum,
            importer: f.importer,
          });
      }

      // The same content again, under another name as a later download would have: keys must not
      // depend on the file's name, nor on the time of the import.
      const again = await t.foyer.imports.run(owner, open(`downloaded-again/${f.path}`));
      expect(again.checksum).toBe(first.checksum);
      for (const [doctype, c] of Object.entries(first.counts)) {
        const next = again.counts[doctype];
        if (t.foyer.catalog.get(doctype)?.kind === 'series') {
          expect(next?.points, doctype).toBe(c.points);
          continue;
        }
        expect(next, doctype).toMatchObject({ created: 0, updated: 0, kept: 0, deleted: 0 });
        expect(next?.unchanged, doctype).toBe(c.created + c.updated + c.unchanged);
      }
      expect(Object.keys(again.counts).sort()).toEqual(Object.keys(first.counts).sort());
      expect(await spaceCensus(t.foyer)).toEqual(afterFirst);
    });
  });
}

importAllSuite('SQLite', async () => ({ cleanup: async () => undefined }));
importAllSuite('PostgreSQL', async () => {
  const pg = await makeTestPostgresStore();
  return { store: pg.store, cleanup: pg.cleanup };
});
