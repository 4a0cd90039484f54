/**
 * The import's apply phase, part by part (docs/archive-format.md, "Importing"): each part is one
 * transaction and one ledger entry; a failure between parts says what was applied, and importing
 * the same archive again completes the import, on SQLite and on PostgreSQL.
 */
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFoyerError, type FoyerError } from '../core/errors.js';
import type { RequestContext } from '../core/principal.js';
import type { TestPostgresStore } from '../testing/postgres.js';
import type { TestFoyer } from '../testing/test-foyer.js';
import type { AppliedParts } from './archive-import.js';
import {
  archiveMembers,
  downloadArchive,
  seedSpace,
  SEED,
  OWN_TO_EACH_EXPORT,
  startFoyerOn,
} from './portability-testing.js';

const SYSTEM_CTX = (space: string): RequestContext => ({ space, principal: { kind: 'system', reason: 'test' } });

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`archive import in parts (${kind})`, () => {
    let source: TestFoyer;
    let target: TestFoyer;
    let archive: string;
    const pg: TestPostgresStore[] = [];

    const start = () => startFoyerOn(kind, pg);

    beforeAll(async () => {
      source = await start();
      target = await start();
      await seedSpace(source);
      await target.ownerToken();
      archive = await downloadArchive(source, 'parts.zip');
    }, 60_000);

    afterAll(async () => {
      await source?.close();
      await target?.close();
      for (const store of pg) await store.cleanup().catch(() => undefined);
    });

    async function ledgerOf(space: string, doctype: string) {
      const entries = await target.foyer.documentStore.readLedger(space, { doctype }, 100);
      return entries.filter((e) => e.verb === 'create' && e.outcome === 'allowed');
    }

    it('commits a doctype in parts of the part size, each with its ledger entry', async () => {
      await target.foyer.spaces.create('parted');
      const report = await target.foyer.portability.importArchive(SYSTEM_CTX('parted'), archive, { partSize: 2 });
      expect(report.documents['bank.transaction']).toEqual({ created: 3, unchanged: 0, conflicts: 0 });
      // Three transactions in parts of two: two parts, two entries (2 and 1 documents).
      const counts = (await ledgerOf('parted', 'bank.transaction')).map((e) => e.count).sort();
      expect(counts).toEqual([1, 2]);
      const found = await target.foyer.documentStore.findDocuments('parted', 'bank.transaction', {
        selector: null,
        sort: [],
        limit: 10,
      });
      expect(found.map((d) => JSON.parse(d.data!).label as string).sort()).toEqual(
        SEED.transactions.map((t) => t.label).sort(),
      );
    });

    it('stops between parts with a report of what was applied; the same archive again completes the import', async () => {
      await target.foyer.spaces.create('resumed');
      let parts = 0;
      let failure: unknown;
      try {
        await target.foyer.portability.importArchive(SYSTEM_CTX('resumed'), archive, {
          onProgress: (p) => {
            // The third part fails before it is written (as a crash between two commits would).
            if (p.phase === 'writing' && p.item !== '' && ++parts === 3) throw new Error('stopped here');
          },
        });
      } catch (e) {
        failure = e;
      }
      expect(isFoyerError(failure)).toBe(true);
      const error = failure as FoyerError;
      const details = error.details as { applied: AppliedParts; resumable: boolean };
      expect(error.message).toMatch(/importing the same archive again completes it/);
      expect(details.resumable).toBe(true);
      expect(details.applied.parts).toBe(2);
      const appliedDocuments = Object.values(details.applied.documents).reduce((a, b) => a + b, 0);
      expect(appliedDocuments).toBeGreaterThan(0);

      const again = await target.foyer.portability.importArchive(SYSTEM_CTX('resumed'), archive);
      expect(again.conflictCount).toBe(0);
      // What the first run applied is found unchanged; the rest is created now.
      let created = 0;
      let unchanged = 0;
      for (const c of Object.values(again.documents)) {
        created += c.created;
        unchanged += c.unchanged;
      }
      expect(unchanged).toBe(appliedDocuments);
      expect(created).toBeGreaterThan(0);
      expect(again.files.created + again.files.unchanged).toBe(SEED.files.length);

      // The space now holds the whole archive: its export matches the source's.
      const ctx = SYSTEM_CTX('resumed');
      const out = `${archive}.resumed.zip`;
      const chunks: Buffer[] = [];
      await target.foyer.portability.exportArchive(ctx, async (chunk) => {
        chunks.push(Buffer.from(chunk));
      });
      await writeFile(out, Buffer.concat(chunks));
      const a = await archiveMembers(archive);
      const b = await archiveMembers(out);
      for (const [member, content] of a) {
        if (OWN_TO_EACH_EXPORT(member)) continue;
        expect(b.get(member)?.equals(content), member).toBe(true);
      }
    });
  });
}
