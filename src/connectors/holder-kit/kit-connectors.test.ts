/**
 * The five built-in Holder Kit connectors against the simulated holders (real HTTP on loopback,
 * real Foyer on SQLite, real worker threads): a first sync brings exactly the household's records,
 * a second run fetches nothing, the next simulated day brings only that day.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILE_DOCTYPE } from '../../core/files/file-doctype.js';
import { DEFAULT_SPACE } from '../../core/spaces/space-service.js';
import type { Catalog } from '../../core/catalog/catalog.js';
import { defaultCatalogDir, loadCatalog } from '../../core/catalog/load-catalog.js';
import { discoveryDocumentSchema } from '../../holder-kit/discovery-document.js';
import { importedDocumentId } from '../../importers/import-service.js';
import { noFaults } from '../../holders/faults/fault-config.js';
import type { HolderRecord } from '../../holders/household/context.js';
import { createHousehold, type Household } from '../../holders/household/household.js';
import { kitHolderIds, type KitHolderId } from '../../holders/kit-holders/kit-holder-profiles.js';
import { startKitHolder, type KitHolder } from '../../holders/kit-holders/start-kit-holder.js';
import { parseManifest } from '../manifest.js';
import { builtinConnectors } from '../builtin-connectors.js';
import type { RunRecord } from '../connector-records.js';
import { KIT_DOCTYPES } from './kit-doctypes.js';
import { kitConnectors } from './kit-connectors.js';
import { kitRunOptions } from './kit-manifest.js';
import { startKitRig, type KitRig } from './testing/kit-rig.js';

const NOW = Date.UTC(2026, 2, 10, 12);
const DAY = 86_400_000;
const connectorOf = (holder: KitHolderId) => `${holder}-kit`;

let rig: KitRig;
let household: Household;
let catalog: Catalog;
const holders = new Map<KitHolderId, KitHolder>();

beforeAll(async () => {
  catalog = await loadCatalog(defaultCatalogDir(), { verify: false });
  rig = await startKitRig({ now: NOW, connectors: kitConnectors() });
  household = createHousehold({ seed: 'kit-connectors-test', clock: rig.clock });
  for (const id of kitHolderIds) {
    holders.set(id, await startKitHolder(id, { household, clock: rig.clock, faults: noFaults(), catalog }));
  }
}, 60_000);
afterAll(async () => {
  await Promise.all([...holders.values()].map((h) => h.close()));
  await rig?.close();
});

const customerOf = (holder: KitHolderId) => household.customers.find((c) => c.holders.includes(holder))!;
const created = (run: RunRecord) => Object.fromEntries(Object.entries(run.counts).map(([d, c]) => [d, c.created]));

/** The files Foyer keeps of these records: those of doctypes whose catalog names files, once each. */
const filesOf = (records: Record<string, HolderRecord[]>) =>
  new Set(
    Object.entries(records)
      .filter(([d]) => KIT_DOCTYPES[d]!.files)
      .flatMap(([, list]) => list.flatMap((r) => (r.files ?? []).map((f) => f.id))),
  );
const withFiles = (counts: Record<string, number>, files: Set<string>) =>
  files.size > 0 ? { ...counts, [FILE_DOCTYPE]: files.size } : counts;

/** What the space holds of a doctype that this connector wrote: document ids, or point keys. */
async function held(doctype: string, connector: string): Promise<string[]> {
  if (KIT_DOCTYPES[doctype]!.series) return rig.pointKeys(doctype);
  const docs = await rig.f.foyer.documentStore.findDocuments('default', doctype, {
    selector: null,
    sort: [],
    limit: 1_000_000,
  });
  return docs
    .filter((d) => !d.deleted && (JSON.parse(d.meta) as { createdBy?: { id?: string } }).createdBy?.id === connector)
    .map((d) => d.id);
}

/** Each record's files are in the space with the holder's bytes, and its file field names them. */
async function expectLinkedFiles(holder: KitHolderId, customerId: string, records: Record<string, HolderRecord[]>) {
  const store = rig.f.foyer.documentStore;
  let checked = 0;
  for (const [doctype, list] of Object.entries(records)) {
    const field = KIT_DOCTYPES[doctype]!.files;
    if (!field) continue;
    for (const r of list.filter((x) => x.files && x.files.length > 0)) {
      const ids = r.files!.map((f) => importedDocumentId(FILE_DOCTYPE, f.id));
      const doc = await store.getDocument(DEFAULT_SPACE, doctype, importedDocumentId(doctype, r.key));
      expect(JSON.parse(doc!.data!)[field.field]).toEqual(field.many ? ids : ids[0]);
      for (const [i, f] of r.files!.entries()) {
        const file = JSON.parse((await store.getDocument(DEFAULT_SPACE, FILE_DOCTYPE, ids[i]!))!.data!);
        const bytes = household.file(customerId, holder, f.id);
        expect(file).toMatchObject({ name: f.name, type: 'application/pdf', size: bytes.byteLength });
        expect(file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
        checked++;
      }
    }
  }
  if (checked === 0) return;
  // One through Foyer's API, byte for byte.
  const one = Object.values(records)
    .flat()
    .find((r) => KIT_DOCTYPES[r.doctype]!.files && r.files?.length)!;
  const res = await rig.f.request(`/api/files/${importedDocumentId(FILE_DOCTYPE, one.files![0]!.id)}/content`);
  expect(
    Buffer.from(await res.arrayBuffer()).equals(Buffer.from(household.file(customerId, holder, one.files![0]!.id))),
  ).toBe(true);
}

describe('built-in Holder Kit connectors', () => {
  it('are offered by Foyer, one per simulated Kit holder, each naming the holder and its Kit endpoints', async () => {
    expect(builtinConnectors().map((c) => c.manifest.id)).toEqual(
      expect.arrayContaining(kitHolderIds.map(connectorOf)),
    );
    for (const id of kitHolderIds) {
      const manifest = parseManifest(kitConnectors().find((c) => c.manifest.id === connectorOf(id))!.manifest);
      const discovery = discoveryDocumentSchema.parse(
        await (await fetch(`${holders.get(id)!.url}/.well-known/holder-kit`)).json(),
      );
      const at = (url: string) => new URL(url).pathname;
      expect(manifest.holder.name).toBe(discovery.holder.name);
      expect(
        manifest.auth.kind === 'oauth' && [at(manifest.auth.authorizationUrl!), at(manifest.auth.tokenUrl!)],
      ).toEqual([at(discovery.endpoints.authorization), at(discovery.endpoints.token)]);
      expect(kitRunOptions(manifest).doctypes.sort()).toEqual(discovery.doctypes.map((d) => d.name).sort());
      expect(manifest.schedule.frequency).toBe('daily');
    }
  });

  it.each(kitHolderIds)(
    'the %s: a first sync brings exactly the household’s records, a rerun fetches nothing, the next day only that day',
    async (holder) => {
      const h = holders.get(holder)!;
      const id = connectorOf(holder);
      const customer = customerOf(holder);
      await rig.connect(id, h.url, customer.logins[holder]!);
      const doctypes = household.doctypes(customer.id, holder);
      const expected = (range: { from: string; to: string }, daily = false) =>
        Object.fromEntries(
          doctypes.map((d) => [
            d,
            household.records(customer.id, holder, d, range).filter((r) => !daily || !r.reference),
          ]),
        );

      // First sync: three years, every doctype, exact.
      const records = expected(household.window(rig.clock.now()));
      const first = await rig.run(id);
      expect(first.error).toBe(null);
      const files = filesOf(records);
      expect(created(first)).toEqual(
        withFiles(
          Object.fromEntries(doctypes.filter((d) => records[d]!.length > 0).map((d) => [d, records[d]!.length])),
          files,
        ),
      );
      await expectLinkedFiles(holder, customer.id, records);
      // Files are declared (asked in the consent) by the connectors whose holder has some to keep.
      const manifest = kitConnectors().find((c) => c.manifest.id === id)!.manifest;
      expect(kitRunOptions(manifest).files).toBe(files.size > 0);
      for (const d of doctypes) {
        const stored = await held(d, id);
        if (KIT_DOCTYPES[d]!.series) expect(stored).toHaveLength(records[d]!.length);
        else expect(stored.sort()).toEqual(records[d]!.map((r) => importedDocumentId(d, r.key)).sort());
      }

      // A rerun: nothing new at the holder, nothing fetched (since), nothing written.
      const second = await rig.run(id);
      expect(second.error).toBe(null);
      expect(second.counts).toEqual({});

      // The next simulated day: only that day's records.
      const before = Object.fromEntries(await Promise.all(doctypes.map(async (d) => [d, (await held(d, id)).length])));
      rig.clock.advance(DAY);
      const day = household.window(rig.clock.now()).to;
      const fresh = expected({ from: day, to: day }, true);
      const third = await rig.run(id);
      expect(third.error).toBe(null);
      expect(created(third)).toEqual(
        withFiles(
          Object.fromEntries(doctypes.filter((d) => fresh[d]!.length > 0).map((d) => [d, fresh[d]!.length])),
          filesOf(fresh),
        ),
      );
      expect(Object.values(third.counts).every((c) => c.updated === 0 && c.unchanged === 0)).toBe(true);
      for (const d of doctypes) expect(await held(d, id)).toHaveLength(before[d]! + fresh[d]!.length);
    },
    120_000,
  );

  it('a backfill reads every file again and stores no new file or blob', async () => {
    // After the water utility's test above: connected, synced up to the next day.
    const blobs = (await rig.f.foyer.fileStore.list(DEFAULT_SPACE)).sort();
    const run = await rig.run('water-kit', { backfill: true });
    expect(run.error).toBe(null);
    const files = await rig.f.foyer.documentStore.findDocuments(DEFAULT_SPACE, FILE_DOCTYPE, {
      selector: null,
      sort: [],
      limit: 10_000,
    });
    const water = files.filter(
      (f) => (JSON.parse(f.meta) as { createdBy: { id: string } }).createdBy.id === 'water-kit',
    );
    expect(water.length).toBeGreaterThan(0);
    expect(run.counts[FILE_DOCTYPE]).toEqual({ created: 0, updated: 0, unchanged: water.length, kept: 0 });
    expect(run.counts.bill).toMatchObject({ created: 0, updated: 0 });
    expect((await rig.f.foyer.fileStore.list(DEFAULT_SPACE)).sort()).toEqual(blobs);
  });
});
