/**
 * `foyer connect` and `foyer sync` with a built-in Holder Kit connector: the consent in the
 * terminal, the OAuth connection through the command's loopback address (the person logs in at
 * the holder's page; no password is asked), the first sync with the whole household's records,
 * then a sync with nothing new. Real holder on loopback, Foyer on SQLite, one simulated clock.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/cli-io.js';
import { main } from '../../cli/main.js';
import { noFaults } from '../../holders/faults/fault-config.js';
import { createHousehold, type Household } from '../../holders/household/household.js';
import { startKitHolder, type KitHolder } from '../../holders/kit-holders/start-kit-holder.js';
import { manualClock } from '../../platform/clock.js';
import { authorizeAtHolder } from './testing/holder-browser.js';

const clock = manualClock(Date.UTC(2026, 2, 10, 12));
let dataDir: string;
let holder: KitHolder;
let household: Household;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'foyer-kit-cli-'));
  household = createHousehold({ seed: 'kit-cli-test', clock: clock });
  holder = await startKitHolder('gas', { household, clock: clock, faults: noFaults() });
});
afterAll(async () => {
  await holder.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function cli(argv: string[], onOut: (line: string) => void = () => undefined) {
  const out: string[] = [];
  const asked: string[] = [];
  const io: CliIo = {
    out: (t) => {
      out.push(t);
      onOut(t);
    },
    err: () => undefined,
    progress: () => undefined,
    tty: false,
    env: { FOYER_DATA_DIR: dataDir, FOYER_LOG_LEVEL: 'silent' },
    async ask(prompt) {
      asked.push(prompt);
      throw new Error(`unexpected prompt: ${prompt}`);
    },
    readStdin: async () => '',
    stopSignal: () => new Promise(() => {}),
  };
  return { code: await main(argv, io, { clock }), out: out.join('\n'), asked };
}

describe('foyer connect with a Holder Kit connector', () => {
  it('connects at the holder’s own login page, collects everything, and a sync then finds nothing new', async () => {
    const customer = household.customers.find((c) => c.holders.includes('gas'))!;
    const window = household.window(clock.now());
    const contracts = household.records(customer.id, 'gas', 'energy.contract', window).length;
    const days = household.records(customer.id, 'gas', 'energy.gas.daily', window).length;
    const bills = household.records(customer.id, 'gas', 'bill', window).length;
    let browser: Promise<unknown> = Promise.resolve();
    const connect = await cli(['connect', 'gas-kit', '--origin', holder.url, '--yes'], (line) => {
      if (!line.startsWith(`${holder.url}/oauth/authorize`)) return;
      // The person's browser: logs in and allows at the holder, which sends it back to the command.
      browser = authorizeAtHolder(line, customer.logins.gas!).then((back) => fetch(back));
    });
    await browser;
    expect(connect.asked).toEqual([]);
    expect(connect.out).toContain('Connected to Gaz Réseau Estuaire.');
    expect(connect.out).toContain(`energy.contract ${contracts} new`);
    expect(connect.out).toContain(`energy.gas.daily ${days} new`);
    expect(connect.out).toContain(`bill ${bills} new`);
    expect(connect.out).not.toContain(customer.logins.gas!.password);
    expect(connect.code).toBe(0);

    const sync = await cli(['sync', 'gas-kit']);
    expect(sync.code).toBe(0);
    expect(sync.out).toMatch(/gas-kit: done in [\d.]+ s, nothing new\./);
  });
});
