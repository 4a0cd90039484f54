/**
 * The five built-in Holder Kit connectors against the simulated holders (real HTTP on loopback,
 * real Foyer on SQLite, real worker threads): a first sync brings exactly the household's records,
 * a second run fetches nothing, the next simulated day brings only that day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../core/catalog/catalog.js';
import { defaultCatalogDir, loadCatalog } from '../../core/catalog/load-catalog.js';
import { discoveryDocumentSchema } from '../../holder-kit/discovery-document.js';
import { importedDocumentId } from '../../importers/import-service.js';
import { noFaults } from '../../holders/faults/fault-config.js';
import { createHousehold, type Household } from '../../holders/household/household.js';
import { kitHolderIds, type KitHolderId } from '../../holders/kit-holders/kit-holder-profiles.js';
import { startKitHolder, type KitHolder } from '../../holders/kit-holders/start-kit-holder.js';
import { parseManifest } from '../manifest.js';
import { builtinConnectors } from '../builtin-connectors.js';
import type { RunRecord } from '../connector-records.js';
import { KIT_DOCTYPES } from './kit-doctypes.js';
import { kitConnectors } from './kit-connectors.js';
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
        manifest.auth.kind === 'oauth' && [at(manifest.auth.authorizationUrl), at(manifest.auth.tokenUrl)],
      ).toEqual([at(discovery.endpoints.authorization), at(discovery.endpoints.token)]);
      expect(manifest.doctypes.map((d) => d.doctype).sort()).toEqual(discovery.doctypes.map((d) => d.name).sort());
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
      expect(created(first)).toEqual(
        Object.fromEntries(doctypes.filter((d) => records[d]!.length > 0).map((d) => [d, records[d]!.length])),
      );
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
        Object.fromEntries(doctypes.filter((d) => fresh[d]!.length > 0).map((d) => [d, fresh[d]!.length])),
      );
      expect(Object.values(third.counts).every((c) => c.updated === 0 && c.unchanged === 0)).toBe(true);
      for (const d of doctypes) expect(await held(d, id)).toHaveLength(before[d]! + fresh[d]!.length);
    },
    120_000,
  );
});
