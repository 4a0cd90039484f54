/**
 * Every simulated holder of one household, started together: the bank and the electricity
 * distributor (their own API shapes) and the Holder Kit holders (insurer, telecom, gas, water,
 * retailer), each its own server on 127.0.0.1, sharing one clock and one fault configuration.
 */
import { Hono } from 'hono';
import type { Clock } from '../platform/clock.js';
import { createBankHolder } from './bank/bank-holder.js';
import { createElectricityHolder, type ElectricityClient } from './electricity/electricity-holder.js';
import type { FaultConfig } from './faults/fault-config.js';
import { lastAvailableDay } from './household/days.js';
import type { HolderId, Household } from './household/household.js';
import { electricityDistributor, vendors } from './household/vendors.js';
import { kitHolderIds, kitHolderProfiles } from './kit-holders/kit-holder-profiles.js';
import { startKitHolder } from './kit-holders/start-kit-holder.js';
import { serveHolder } from './serve-holder.js';
import type { SimulatedClock } from './simulated-clock.js';

export interface StartedHolder {
  id: HolderId;
  name: string;
  /** The API's style: PSD2 (bank), Enedis Data Connect (electricity) or the Holder Kit. */
  api: 'psd2' | 'enedis' | 'holder-kit';
  url: string;
}

export interface RunningHolders {
  holders: StartedHolder[];
  /** Reads and moves the simulated clock: GET /clock, POST /clock/advance?days=N. */
  controlUrl: string;
  close(): Promise<void>;
}

export interface StartHoldersOptions {
  household: Household;
  clock: SimulatedClock;
  faults: FaultConfig;
  /** The bank listens on basePort, the distributor on +1, the Kit holders on +2…+6, the control on +7; 0: ephemeral ports. */
  basePort: number;
  /** The application registered at the electricity distributor (client credentials). */
  electricityClient?: ElectricityClient;
}

/** The client every Foyer knows, so that the built-in electricity connector works out of the box. */
export const defaultElectricityClient: ElectricityClient = {
  clientId: 'foyer',
  clientSecret: 'foyer-simulated-secret',
  name: 'Foyer',
};

const port = (base: number, offset: number): number => (base === 0 ? 0 : base + offset);

function clockControl(clock: SimulatedClock): Hono {
  const app = new Hono();
  const state = (c: Clock) => {
    const now = c.now();
    return { now: new Date(now).toISOString(), lastAvailableDay: lastAvailableDay(now) };
  };
  app.get('/clock', (c) => c.json(state(clock)));
  app.post('/clock/advance', (c) => {
    const days = Number(c.req.query('days') ?? '1');
    if (!Number.isInteger(days) || days < 1 || days > 366)
      return c.json({ error: 'days must be an integer from 1 to 366' }, 400);
    clock.advance(days * 86_400_000);
    return c.json(state(clock));
  });
  return app;
}

export async function startHolders(options: StartHoldersOptions): Promise<RunningHolders> {
  const { household, clock, faults, basePort } = options;
  const closers: (() => Promise<void>)[] = [];
  const holders: StartedHolder[] = [];
  const closeAll = async () => {
    await Promise.all(closers.map((close) => close()));
  };
  try {
    const bank = await serveHolder(createBankHolder({ household, clock, faults }), port(basePort, 0));
    closers.push(bank.close);
    holders.push({ id: 'bank', name: vendors.bank.name, api: 'psd2', url: bank.url });
    const electricity = await serveHolder(
      createElectricityHolder({
        household,
        clock,
        faults,
        clients: [options.electricityClient ?? defaultElectricityClient],
      }),
      port(basePort, 1),
    );
    closers.push(electricity.close);
    holders.push({ id: 'electricity', name: electricityDistributor, api: 'enedis', url: electricity.url });
    for (const [i, id] of kitHolderIds.entries()) {
      const kit = await startKitHolder(id, { household, clock, faults, port: port(basePort, 2 + i) });
      closers.push(kit.close);
      holders.push({ id, name: kitHolderProfiles[id].name, api: 'holder-kit', url: kit.url });
    }
    const control = await serveHolder(clockControl(clock), port(basePort, 2 + kitHolderIds.length));
    closers.push(control.close);
    return { holders, controlUrl: control.url, close: closeAll };
  } catch (e) {
    await closeAll();
    throw e;
  }
}
