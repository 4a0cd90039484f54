/**
 * The acceptance, end to end: one real Foyer (SQLite, worker threads) and every simulated
 * holder `startHolders` serves, on one simulated clock. The family (customer at all seven holders)
 * connects every built-in connector over the HTTP API as a person would, and the space then holds
 * exactly the household's records of every doctype, files linked; a second run creates nothing;
 * the next simulated day adds only that day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILE_DOCTYPE } from '../core/files/file-doctype.js';
import { DEFAULT_SPACE } from '../core/spaces/space-service.js';
import { addDays } from '../holders/household/days.js';
import { KIT_DOCTYPES } from './holder-kit/kit-doctypes.js';
import { countsOf, startHouseholdRig, type HouseholdRig } from './testing/household-rig.js';

const NOW = Date.UTC(2026, 2, 10, 12);
const DAY = 86_400_000;

let h: HouseholdRig;
beforeAll(async () => {
  h = await startHouseholdRig({ now: NOW, seed: 'connect-household-test', customerId: 'family' });
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const nonZero = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));

/** The ids every document of the doctypes that link files names, and the space's file ids. */
async function fileLinks(): Promise<{ linked: string[]; files: string[] }> {
  const store = h.rig.f.foyer.documentStore;
  const linked: string[] = [];
  for (const [doctype, known] of Object.entries(KIT_DOCTYPES)) {
    if (!known.files || doctype === 'contact') continue;
    const docs = await store.findDocuments(DEFAULT_SPACE, doctype, { selector: null, sort: [], limit: 1_000_000 });
    for (const d of docs.filter((x) => !x.deleted)) {
      const value = (JSON.parse(d.data!) as Record<string, unknown>)[known.files.field];
      if (value !== undefined) linked.push(...(Array.isArray(value) ? (value as string[]) : [value as string]));
    }
  }
  return { linked: linked.sort(), files: (await h.rig.documentIds(FILE_DOCTYPE)).sort() };
}

describe('a household connected at every simulated holder', () => {
  it('the family connects all seven holders as a person would, at each holder’s own pages', async () => {
    expect(h.customer.holders).toHaveLength(7);
    expect(h.connectors).toHaveLength(7);
    await h.connectAll();
    const listed = (await (await h.rig.f.request('/api/connectors')).json()) as {
      connectors: { manifest: { id: string }; installed: { grant: { status: string } } | null }[];
    };
    const installed = listed.connectors.filter((c) => c.installed).map((c) => c.manifest.id);
    expect(installed.sort()).toEqual([...h.connectors].sort());
  }, 60_000);

  it('a first sync brings exactly the household’s records of every doctype, each bill’s PDF linked', async () => {
    const expected = h.expected(h.household.window(h.rig.clock.now()));
    // Every kind of record the holders serve the family: documents, series, files.
    expect(Object.keys(expected).sort()).toEqual([
      'bank.account',
      'bank.transaction',
      'bill',
      'energy.contract',
      'energy.electricity.daily',
      'energy.electricity.load-curve',
      'energy.electricity.max-power',
      'energy.gas.daily',
      FILE_DOCTYPE,
      'insurance.claim',
      'insurance.contract',
      'location.point',
      'retail.receipt',
      'telecom.call',
      'telecom.data-usage',
      'telecom.line',
      'telecom.vod-view',
      'water.daily',
    ]);
    const { runs } = await h.syncAll();
    for (const r of runs) expect(r.error, r.connector).toBe(null);
    expect(nonZero(countsOf(runs, 'created'))).toEqual(expected);
    expect(nonZero(countsOf(runs, 'updated'))).toEqual({});
    expect(await h.held(Object.keys(expected))).toEqual(expected);

    const { linked, files } = await fileLinks();
    expect(files).toHaveLength(expected[FILE_DOCTYPE]!);
    expect(linked).toEqual(files);
  }, 180_000);

  it('a second run of all seven creates and updates nothing', async () => {
    const { runs } = await h.syncAll();
    for (const r of runs) {
      expect(r.error, r.connector).toBe(null);
      for (const [doctype, c] of Object.entries(r.counts))
        expect(c, `${r.connector} ${doctype}`).toMatchObject({ created: 0, updated: 0 });
    }
  }, 60_000);

  it('the next simulated day adds only that day’s records; the bank books yesterday’s pending payments in place', async () => {
    const last = h.household.window(h.rig.clock.now()).to;
    const before = await h.held(Object.keys(h.expected(h.household.window(h.rig.clock.now()))));
    h.rig.clock.advance(DAY);
    const day = h.household.window(h.rig.clock.now()).to;
    expect(day).toBe(addDays(last, 1));
    const fresh = h.expected({ from: day, to: day }, true);
    expect(Object.keys(fresh).length).toBeGreaterThan(5);

    const { runs } = await h.syncAll();
    for (const r of runs) expect(r.error, r.connector).toBe(null);
    expect(nonZero(countsOf(runs, 'created'))).toEqual(fresh);
    // Card payments are pending for two days (docs/simulated-holders.md): those of the day before
    // yesterday are now booked, the same documents updated. Balances move with the day.
    const booked = h.household
      .records(h.customer.id, 'bank', 'bank.transaction', { from: addDays(last, -1), to: addDays(last, -1) })
      .filter((r) => r.data.type === 'card').length;
    const updated = nonZero(countsOf(runs, 'updated'));
    expect(Object.keys(updated).filter((d) => d !== 'bank.account')).toEqual(booked > 0 ? ['bank.transaction'] : []);
    expect(updated['bank.transaction'] ?? 0).toBe(booked);
    expect(updated['bank.account'] ?? 0).toBeLessThanOrEqual(
      h.household.records(h.customer.id, 'bank', 'bank.account', { from: day, to: day }).length,
    );

    const after = await h.held(Object.keys(before));
    expect(after).toEqual(Object.fromEntries(Object.entries(before).map(([d, n]) => [d, n + (fresh[d] ?? 0)])));
  }, 60_000);
});
