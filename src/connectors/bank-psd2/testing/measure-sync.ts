/**
 * One-off timing of the bank and electricity connectors (not a benchmark of the suite yet): one
 * customer of the synthetic household connected at the simulated PSD2 bank and Enedis-style
 * distributor, on a real Foyer (SQLite in a temporary folder, worker threads, holders on loopback,
 * all in one process: the holders' own work counts in the wall time). Prints the wall time of a
 * first full sync (three years; the two connectors one after the other) and of the next day's
 * incremental sync, with each run's own duration.
 *
 *   npx tsx src/connectors/bank-psd2/testing/measure-sync.ts [--seed TEXT] [--customer ID]
 */
import { createBankHolder } from '../../../holders/bank/bank-holder.js';
import { createElectricityHolder } from '../../../holders/electricity/electricity-holder.js';
import { createHousehold } from '../../../holders/household/household.js';
import { serveHolder } from '../../../holders/serve-holder.js';
import { defaultElectricityClient } from '../../../holders/start-holders.js';
import { acceptGrant } from '../../../testing/grants.js';
import { jsonBody } from '../../../testing/json-body.js';
import type { RunRecord } from '../../connector-records.js';
import { electricityEnedisConnector } from '../../electricity-enedis/definition.js';
import { startKitRig } from '../../holder-kit/testing/kit-rig.js';
import { bankPsd2Connector } from '../definition.js';
import { connectAtHolder } from '../../redirect-testing/person-at-holder.js';

const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? (process.argv[at + 1] ?? fallback) : fallback;
};
const NOW = Date.UTC(2026, 2, 10, 12);

const rig = await startKitRig({ now: NOW, connectors: [bankPsd2Connector(), electricityEnedisConnector()] });
const household = createHousehold({ seed: arg('--seed', 'measure') });
const customer = household.customer(arg('--customer', 'family'));
const bank = await serveHolder(createBankHolder({ household, clock: rig.clock }));
const distributor = await serveHolder(
  createElectricityHolder({ household, clock: rig.clock, clients: [defaultElectricityClient] }),
);
const connectors = [
  { id: 'bank-psd2', url: bank.url, login: customer.logins.bank! },
  { id: 'electricity-enedis', url: distributor.url, login: customer.logins.electricity! },
];
try {
  for (const c of connectors) {
    const body = await jsonBody(
      await rig.f.request(`/api/connectors/${c.id}/install`, { method: 'POST', json: { origin: c.url } }),
    );
    await acceptGrant(rig.f, body.grant);
    await connectAtHolder(rig.f, c.id, c.login);
  }

  const written = (r: RunRecord) => Object.values(r.counts).reduce((m, c) => m + c.created + c.updated, 0);
  async function syncAll(label: string): Promise<void> {
    const t0 = performance.now();
    const runs: RunRecord[] = [];
    for (const c of connectors) runs.push(await rig.run(c.id));
    const wall = performance.now() - t0;
    console.log(`${label}: ${Math.round(wall)} ms wall, ${runs.reduce((n, r) => n + written(r), 0)} records written`);
    for (const r of runs) {
      console.log(
        `  ${r.connector.padEnd(19)} ${String(r.durationMs).padStart(6)} ms  ${written(r)} records  ${r.outcome}`,
      );
    }
  }

  await syncAll(`first full sync of ${customer.id}, bank and electricity`);
  rig.clock.advance(86_400_000);
  await syncAll('next day, incremental');
} finally {
  await bank.close();
  await distributor.close();
  await rig.close();
}
