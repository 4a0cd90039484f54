/**
 * `foyer connect` and `foyer sync` with the bank and electricity connectors, as a person uses them
 * against `foyer holders`: the command prints the holder's address, the person consents there in
 * their browser (here: a small one), the holder sends them back to the command's loopback address,
 * the first run collects, and a sync the next day adds only that day. No password is asked.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import type { CliIo } from '../../cli/cli-io.js';
import { createBankHolder } from '../../holders/bank/bank-holder.js';
import { createElectricityHolder } from '../../holders/electricity/electricity-holder.js';
import { createHousehold } from '../../holders/household/household.js';
import { serveHolder, type RunningHolder } from '../../holders/serve-holder.js';
import { defaultElectricityClient } from '../../holders/start-holders.js';
import { manualClock } from '../../platform/clock.js';
import { bankPsd2Connector } from '../bank-psd2/definition.js';
import { electricityEnedisConnector } from '../electricity-enedis/definition.js';
import { consentAtHolder, type HolderLogin } from './person-at-holder.js';

const clock = manualClock(Date.UTC(2026, 2, 10, 12));
const household = createHousehold({ seed: 'foyer-connect-test' });
const customer = household.customer('student');
let dataDir: string;
let bank: RunningHolder;
let distributor: RunningHolder;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'foyer-connect-redirect-'));
  bank = await serveHolder(createBankHolder({ household, clock }));
  distributor = await serveHolder(createElectricityHolder({ household, clock, clients: [defaultElectricityClient] }));
});
afterAll(async () => {
  await bank?.close();
  await distributor?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** The command, with the person's browser consenting at `holder` when it prints the holder's address. */
async function cli(argv: string[], consent?: { holder: RunningHolder; login: HolderLogin }) {
  const out: string[] = [];
  const asked: string[] = [];
  const io: CliIo = {
    out(line) {
      out.push(line);
      if (!consent || !line.startsWith(consent.holder.url)) return;
      void consentAtHolder(line, consent.login, 'allow').then((back) => fetch(back));
    },
    err: () => {},
    progress: () => {},
    tty: false,
    env: { FOYER_DATA_DIR: dataDir, FOYER_LOG_LEVEL: 'silent' },
    ask(prompt) {
      asked.push(prompt);
      return Promise.reject(new Error(`unexpected prompt: ${prompt}`));
    },
    readStdin: async () => '',
    stopSignal: () => new Promise(() => {}),
  };
  const code = await main(argv, io, { clock, connectors: [bankPsd2Connector(), electricityEnedisConnector()] });
  return { code, out: out.join('\n'), asked };
}

describe('foyer connect and foyer sync, bank and electricity', () => {
  it('connect at the holder’s own pages, never asking a password, then collect', async () => {
    const connectBank = await cli(['connect', 'bank-psd2', '--origin', bank.url, '--yes'], {
      holder: bank,
      login: customer.logins.bank!,
    });
    expect(connectBank.asked).toEqual([]);
    expect(connectBank.out).toContain('Connected to Banque Horizon.');
    expect(connectBank.out).toMatch(/bank-psd2: done in [\d.]+ s: bank\.account \d+ new/);
    expect(connectBank.code).toBe(0);

    const connectPower = await cli(['connect', 'electricity-enedis', '--origin', distributor.url, '--yes'], {
      holder: distributor,
      login: customer.logins.electricity!,
    });
    expect(connectPower.asked).toEqual([]);
    expect(connectPower.out).toMatch(/energy\.electricity\.load-curve \d{5} new/);
    expect(connectPower.code).toBe(0);
    expect(connectBank.out + connectPower.out).not.toContain(customer.logins.bank!.password);
  }, 60_000);

  it('a sync the same day creates nothing; the next day only that day', async () => {
    const same = await cli(['sync']);
    expect(same.code).toBe(0);
    // What is read again (accounts, the last days' operations, the contract) is the same.
    expect(same.out).toMatch(
      /bank-psd2: done in [\d.]+ s: bank\.account 0 new, 0 updated, \d+ same; bank\.transaction 0 new, 0 updated, \d+ same\./,
    );
    expect(same.out).toMatch(/electricity-enedis: done in [\d.]+ s: energy\.contract 0 new, 0 updated, 1 same\./);

    clock.advance(86_400_000);
    const next = await cli(['sync', 'electricity-enedis']);
    expect(next.code).toBe(0);
    expect(next.out).toMatch(/energy\.electricity\.load-curve 48 new/);
  }, 60_000);
});
