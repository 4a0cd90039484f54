/**
 * The archive's round trip through the real HTTP server and real stores, on SQLite and on
 * PostgreSQL: export → import into an empty space → export again gives the same content; the same
 * archive twice changes nothing; the import is in the ledger.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestPostgresStore } from '../testing/postgres.js';
import type { TestFoyer } from '../testing/test-foyer.js';
import { ledgerBody, ledgerHash, GENESIS_HASH, type LedgerEntry } from '../core/ledger/ledger-entry.js';
import type { ArchiveManifest } from './archive-layout.js';
import {
  archiveMembers,
  downloadArchive,
  seedSpace,
  SEED,
  uploadArchive,
  OWN_TO_EACH_EXPORT,
  startFoyerOn,
} from './portability-testing.js';

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`archive round trip (${kind})`, () => {
    let source: TestFoyer;
    let target: TestFoyer;
    const pg: TestPostgresStore[] = [];

    const start = () => startFoyerOn(kind, pg);

    beforeAll(async () => {
      source = await start();
      target = await start();
      await seedSpace(source);
      await target.ownerToken();
    }, 60_000);

    afterAll(async () => {
      await source?.close();
      await target?.close();
      for (const store of pg) await store.cleanup().catch(() => undefined);
    });

    it('exports, imports into an empty space, and exports the same content again', async () => {
      const first = await downloadArchive(source, 'first.zip', { formats: true });
      const a = await archiveMembers(first);
      const manifest = JSON.parse(a.get('manifest.json')!.toString()) as ArchiveManifest;
      expect(manifest.counts.documents['bank.transaction']).toBe(SEED.transactions.length);
      expect(manifest.counts.points['energy.electricity.daily']).toBe(SEED.daily.length);
      expect(manifest.counts.files).toBe(SEED.files.length);
      expect(manifest.counts.documents['foyer.grant']).toBe(2);
      expect([...a.keys()].filter((m) => m.startsWith('formats/')).sort()).toEqual([
        'formats/bank-transactions.csv',
        'formats/bank-transactions.ofx',
        'formats/calendar.ics',
        'formats/consumption.csv',
        'formats/contacts.vcf',
        'formats/places.geojson',
      ]);
      expect(Object.keys(manifest.members).sort()).toEqual([...a.keys()].filter((m) => m !== 'manifest.json').sort());

      const imported = await uploadArchive(target, await readFile(first));
      expect(imported.status).toBe(200);
      expect(imported.body.conflictCount).toBe(0);
      expect((imported.body.documents as Record<string, { created: number }>)['bank.transaction']!.created).toBe(3);
      expect((imported.body.files as { created: number }).created).toBe(2);

      const second = await downloadArchive(target, 'second.zip', { formats: true });
      const b = await archiveMembers(second);
      const compared = [...a.keys()].filter((m) => !OWN_TO_EACH_EXPORT(m));
      expect(compared.length).toBeGreaterThan(40);
      for (const member of compared) expect(b.get(member)?.equals(a.get(member)!), member).toBe(true);
      expect([...b.keys()].filter((m) => !OWN_TO_EACH_EXPORT(m)).sort()).toEqual(compared.sort());

      // The source's ledger travelled verbatim and still verifies from the archive alone.
      const carried = [...b.keys()].filter((m) => m.startsWith('ledger/previous/'));
      expect(carried).toHaveLength(1);
      expect(b.get(carried[0]!)!.equals(a.get('ledger/entries.jsonl')!)).toBe(true);
      const m2 = JSON.parse(b.get('manifest.json')!.toString()) as ArchiveManifest;
      expect(m2.ledger.previous[0]!.head).toEqual(manifest.ledger.head);
      expect(m2.counts.documents['bank.transaction']).toBe(3);
      expect(m2.counts.points).toEqual(manifest.counts.points);
      expect(m2.counts.fileBytes).toBe(manifest.counts.fileBytes);
      verifyLedgerText(b.get('ledger/entries.jsonl')!.toString(), m2.ledger.head);

      // Files read back whole through the files API.
      const list = (await (await target.request('/api/files?folder=%2Fbills')).json()) as {
        files: { id: string; name: string }[];
      };
      const pdf = list.files.find((x) => x.name === 'facture-mars.pdf')!;
      const content = Buffer.from(await (await target.request(`/api/files/${pdf.id}/content`)).arrayBuffer());
      expect(content.equals(SEED.files[0]!.content)).toBe(true);
    });

    it('imports the same archive twice without changing anything, and records each import in the ledger', async () => {
      const file = await downloadArchive(source, 'again.zip');
      const bytes = await readFile(file);
      await uploadArchive(target, bytes);
      const before = await archiveMembers(await downloadArchive(target, 'before.zip'));
      const again = await uploadArchive(target, bytes);
      expect(again.status).toBe(200);
      const docs = again.body.documents as Record<string, { created: number; unchanged: number; conflicts: number }>;
      for (const [doctype, c] of Object.entries(docs)) {
        expect(c.created, doctype).toBe(0);
        expect(c.conflicts, doctype).toBe(0);
      }
      expect(docs['bank.transaction']!.unchanged).toBe(3);
      expect((again.body.points as Record<string, { created: number }>)['water.daily']!.created).toBe(0);
      expect(again.body.conflictCount).toBe(0);
      const after = await archiveMembers(await downloadArchive(target, 'after.zip'));
      for (const [member, content] of before) {
        if (member === 'manifest.json' || member === 'ledger/entries.jsonl') continue;
        expect(after.get(member)?.equals(content), member).toBe(true);
      }
      const ledger = (await (await target.request('/api/ledger?doctype=foyer.ledger&limit=50')).json()) as {
        entries: { verb: string; actorKind: string; outcome: string }[];
      };
      expect(
        ledger.entries.filter((e) => e.verb === 'create' && e.actorKind === 'owner' && e.outcome === 'allowed').length,
      ).toBeGreaterThanOrEqual(2);
    });

    it('reports a document changed in the space as a conflict and keeps the space’s version', async () => {
      const found = (await (
        await target.request('/api/data/contact/_find', { method: 'POST', json: { selector: {} } })
      ).json()) as { docs: { _id: string; _rev: string; displayName: string }[] };
      const contact = found.docs[0]!;
      const changed = await target.request(`/api/data/contact/${contact._id}`, {
        method: 'PUT',
        json: { ...SEED.contacts[0], _rev: contact._rev, displayName: 'Marie D.' },
      });
      expect(changed.status).toBe(200);
      const again = await uploadArchive(target, await readFile(await downloadArchive(source, 'conflict.zip')));
      expect(again.status).toBe(200);
      expect(again.body.conflictCount).toBe(1);
      expect(again.body.conflicts).toEqual([
        expect.objectContaining({ kind: 'document', doctype: 'contact', id: contact._id, reason: 'differs' }),
      ]);
      const now = (await (await target.request(`/api/data/contact/${contact._id}`)).json()) as { displayName: string };
      expect(now.displayName).toBe('Marie D.');
    });
  });
}

function verifyLedgerText(text: string, head: { seq: number; hash: string }): void {
  let previous = { seq: 0, hash: GENESIS_HASH };
  for (const line of text.split('\n').filter(Boolean)) {
    const entry = JSON.parse(line) as LedgerEntry;
    expect(entry.seq).toBe(previous.seq + 1);
    expect(entry.prevHash).toBe(previous.hash);
    expect(ledgerHash(entry.prevHash, entry.seq, ledgerBody(entry))).toBe(entry.hash);
    previous = { seq: entry.seq, hash: entry.hash };
  }
  expect(previous).toEqual(head);
}
