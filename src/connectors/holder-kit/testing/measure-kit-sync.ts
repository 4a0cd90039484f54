/**
 * One-off timing of the Holder Kit connectors (not a benchmark of the suite yet): one customer of
 * the synthetic household connected at the five simulated Kit holders, on a real Foyer (SQLite in
 * a temporary folder, worker threads, holders on loopback, one process). Prints the wall time of
 * a first full sync (the five connectors one after the other, as the scheduler's concurrency of 2
 * would at worst) and of the next day's incremental sync, with each run's own duration.
 *
 *   npx tsx src/connectors/holder-kit/testing/measure-kit-sync.ts [--seed TEXT]
 */
import { noFaults } from '../../../holders/faults/fault-config.js';
import { createHousehold } from '../../../holders/household/household.js';
import { kitHolderIds } from '../../../holders/kit-holders/kit-holder-profiles.js';
import { startKitHolder, type KitHolder } from '../../../holders/kit-holders/start-kit-holder.js';
import type { RunRecord } from '../../connector-records.js';
import { kitConnectors } from '../kit-connectors.js';
import { startKitRig } from './kit-rig.js';

const seedAt = process.argv.indexOf('--seed');
const seed = seedAt > 0 ? (process.argv[seedAt + 1] ?? 'measure') : 'measure';
const NOW = Date.UTC(2026, 2, 10, 12);

const rig = await startKitRig({ now: NOW, connectors: kitConnectors() });
const household = createHousehold({ seed, clock: rig.clock });
const holders: KitHolder[] = [];
try {
  for (const id of kitHolderIds) {
    const holder = await startKitHolder(id, { household, clock: rig.clock, faults: noFaults() });
    holders.push(holder);
    const customer = household.customers.find((c) => c.holders.includes(id))!;
    await rig.connect(`${id}-kit`, holder.url, customer.logins[id]!);
  }

  async function syncAll(label: string): Promise<void> {
    const t0 = performance.now();
    const runs: RunRecord[] = [];
    for (const id of kitHolderIds) runs.push(await rig.run(`${id}-kit`));
    const wall = performance.now() - t0;
    const items = runs.reduce((n, r) => n + Object.values(r.counts).reduce((m, c) => m + c.created + c.updated, 0), 0);
    console.log(`${label}: ${Math.round(wall)} ms wall, ${items} records written`);
    for (const r of runs) {
      const written = Object.values(r.counts).reduce((m, c) => m + c.created + c.updated, 0);
      console.log(
        `  ${r.connector.padEnd(13)} ${String(r.durationMs).padStart(6)} ms  ${written} records  ${r.outcome}`,
      );
    }
  }

  await syncAll('first full sync, 5 Kit holders');
  rig.clock.advance(86_400_000);
  await syncAll('next day, incremental');
} finally {
  await Promise.all(holders.map((h) => h.close()));
  await rig.close();
}
