/**
 * One customer of the synthetic household connected at every simulated holder: a real Foyer (the
 * Kit rig: SQLite, worker threads, a manual clock) and the seven holders `startHolders` serves on
 * ephemeral ports, sharing that clock. Connecting is what the person does over the HTTP API:
 * install each built-in connector at its holder, accept the grant, consent at the holder's own
 * pages (OAuth for the Kit holders, the redirect pages of the bank and the distributor), and come
 * back to Foyer's callback. Used by the acceptance test and the `sync` benchmark.
 */
import { FILE_DOCTYPE } from '../../core/files/file-doctype.js';
import { noFaults } from '../../holders/faults/fault-config.js';
import {
  createHousehold,
  type Customer,
  type DayRange,
  type HolderId,
  type Household,
} from '../../holders/household/household.js';
import { startHolders, type RunningHolders, type StartedHolder } from '../../holders/start-holders.js';
import { acceptGrant } from '../../testing/grants.js';
import { jsonBody } from '../../testing/json-body.js';
import { builtinConnectors } from '../builtin-connectors.js';
import type { RunRecord } from '../connector-records.js';
import { KIT_DOCTYPES } from '../holder-kit/kit-doctypes.js';
import { startKitRig, type KitRig } from '../holder-kit/testing/kit-rig.js';
import { connectAtHolder } from '../redirect-testing/person-at-holder.js';

/** The built-in connector of each simulated holder. */
export const connectorOfHolder: Readonly<Record<HolderId, string>> = {
  insurer: 'insurer-kit',
  telecom: 'telecom-kit',
  gas: 'gas-kit',
  water: 'water-kit',
  retailer: 'retailer-kit',
  bank: 'bank-psd2',
  electricity: 'electricity-enedis',
};

export interface HouseholdSync {
  runs: RunRecord[];
  /** Wall time of the whole sync, ms. */
  wallMs: number;
}

export interface HouseholdRig {
  rig: KitRig;
  household: Household;
  customer: Customer;
  holders: RunningHolders;
  /** The connectors of the customer's holders, in the order `startHolders` lists the holders. */
  connectors: string[];
  /** Installs, accepts and connects every connector as the person would. */
  connectAll(): Promise<void>;
  /** Runs every connector, `concurrency` at once (1: one after the other). */
  syncAll(concurrency?: number): Promise<HouseholdSync>;
  /**
   * What the space should hold after collecting `range` from every holder: records per doctype
   * (summed over holders), and `foyer.file` for the files of doctypes whose catalog links files.
   * `daily` leaves out reference records (contracts, accounts, lines), which every range carries.
   */
  expected(range: DayRange, daily?: boolean): Record<string, number>;
  /** What the space holds per doctype of `doctypes`: documents, or points of a series. */
  held(doctypes: string[]): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** Documents or points of each doctype a set of runs wrote, by kind of count. */
export function countsOf(runs: RunRecord[], kind: 'created' | 'updated' | 'unchanged'): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of runs) for (const [d, c] of Object.entries(r.counts)) out[d] = (out[d] ?? 0) + c[kind];
  return out;
}

export const writtenBy = (runs: RunRecord[]): number =>
  Object.values(countsOf(runs, 'created')).reduce((a, b) => a + b, 0) +
  Object.values(countsOf(runs, 'updated')).reduce((a, b) => a + b, 0);

/** Runs `tasks` with at most `limit` in flight, answers in the tasks' order. */
async function pooled<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return out;
}

export async function startHouseholdRig(options: {
  now: number;
  seed: string;
  customerId: string;
}): Promise<HouseholdRig> {
  const rig = await startKitRig({ now: options.now, connectors: builtinConnectors() });
  // As `foyer holders` makes it: each holder clamps to what it has published by the clock.
  const household = createHousehold({ seed: options.seed });
  const customer = household.customer(options.customerId);
  let holders: RunningHolders;
  try {
    holders = await startHolders({ household, clock: rig.clock, faults: noFaults(), basePort: 0 });
  } catch (e) {
    await rig.close();
    throw e;
  }
  const served = holders.holders.filter((h) => customer.holders.includes(h.id));
  const connectors = served.map((h) => connectorOfHolder[h.id]);

  const connect = async (h: StartedHolder): Promise<void> => {
    const id = connectorOfHolder[h.id];
    const login = customer.logins[h.id]!;
    if (h.api === 'holder-kit') return rig.connect(id, h.url, login);
    const installed = await jsonBody(
      await rig.f.request(`/api/connectors/${id}/install`, { method: 'POST', json: { origin: h.url } }),
    );
    await acceptGrant(rig.f, installed.grant);
    const done = await connectAtHolder(rig.f, id, login);
    if (done.status !== 200) throw new Error(`${id}: the callback answered ${done.status}: ${done.page.slice(0, 200)}`);
  };

  return {
    rig,
    household,
    customer,
    holders,
    connectors,
    async connectAll() {
      for (const h of served) await connect(h);
    },
    async syncAll(concurrency = 1) {
      const t0 = performance.now();
      const runs = await pooled(
        connectors.map((id) => () => rig.run(id)),
        concurrency,
      );
      return { runs, wallMs: performance.now() - t0 };
    },
    expected(range, daily = false) {
      const out: Record<string, number> = {};
      const files = new Set<string>();
      for (const h of served) {
        for (const doctype of household.doctypes(customer.id, h.id)) {
          const records = household.records(customer.id, h.id, doctype, range).filter((r) => !daily || !r.reference);
          if (records.length > 0) out[doctype] = (out[doctype] ?? 0) + records.length;
          if (!KIT_DOCTYPES[doctype]?.files) continue;
          for (const r of records) for (const f of r.files ?? []) files.add(`${h.id}/${f.id}`);
        }
      }
      if (files.size > 0) out[FILE_DOCTYPE] = files.size;
      return out;
    },
    async held(doctypes) {
      return Object.fromEntries(
        await Promise.all(
          doctypes.map(async (d) => [
            d,
            (KIT_DOCTYPES[d]?.series ? await rig.pointKeys(d) : await rig.documentIds(d)).length,
          ]),
        ),
      );
    },
    async close() {
      await holders.close();
      await rig.close();
    },
  };
}
