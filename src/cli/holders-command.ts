/**
 * `foyer holders`: starts every simulated data holder of one synthetic household on 127.0.0.1,
 * prints their addresses and the customers' logins, and runs until stopped. `--export DIR` writes
 * the household as JSON Lines instead (docs/synthetic-household.md, docs/simulated-holders.md).
 */
import { FoyerError } from '../core/errors.js';
import { systemClock } from '../platform/clock.js';
import { exportHousehold } from '../holders/export-household.js';
import { faultConfigFromEnv, mergeFaultConfigs, parseFaultSpecs } from '../holders/faults/fault-config.js';
import { atParis, isDay } from '../holders/household/days.js';
import { createHousehold, holderIds } from '../holders/household/household.js';
import { simulatedClock } from '../holders/simulated-clock.js';
import { defaultElectricityClient, startHolders } from '../holders/start-holders.js';
import type { CliIo } from './cli-io.js';

export interface HoldersOptions {
  seed?: string;
  basePort?: string;
  date?: string;
  speed?: string;
  faults?: string[];
  faultSeed?: string;
  export?: string;
}

const DEFAULT_BASE_PORT = 7100;

function parseOptions(o: HoldersOptions) {
  const seed = o.seed ?? 'foyer';
  const basePort = o.basePort === undefined ? DEFAULT_BASE_PORT : Number(o.basePort);
  if (!Number.isInteger(basePort) || basePort < 0 || basePort > 65_528)
    throw new FoyerError(
      'bad_request',
      `--base-port must be 0 (any free ports) or a port up to 65528, got ${o.basePort}`,
    );
  if (o.date !== undefined && !isDay(o.date))
    throw new FoyerError('bad_request', `--date must be a day YYYY-MM-DD, got ${o.date}`);
  const speed = o.speed === undefined ? 1 : Number(o.speed);
  if (!Number.isFinite(speed) || speed < 0)
    throw new FoyerError('bad_request', `--speed must be a number ≥ 0, got ${o.speed}`);
  return { seed, basePort, speed };
}

export async function runHolders(io: CliIo, options: HoldersOptions): Promise<number> {
  const { seed, basePort, speed } = parseOptions(options);
  // The simulated day starts at noon: yesterday's data is already published.
  const start = options.date ? atParis(options.date, 12) : systemClock.now();
  const clock = simulatedClock(start, speed, systemClock);
  const household = createHousehold({ seed });

  if (options.export) {
    const range = household.window(clock.now());
    const summary = await exportHousehold(household, range, options.export);
    io.out(
      `Wrote ${summary.records} records in ${summary.files} files to ${options.export} (${range.from} to ${range.to}).`,
    );
    for (const [id, ms] of Object.entries(summary.generationMs)) io.out(`  ${id}: generated in ${ms} ms`);
    return 0;
  }

  const cli = parseFaultSpecs(options.faults ?? [], options.faultSeed ?? 'faults');
  const faults = mergeFaultConfigs(faultConfigFromEnv(io.env), cli);
  const stopSignal = io.stopSignal();
  const running = await startHolders({ household, clock, faults, basePort });
  io.out(
    `Simulated data holders, household "${seed}", today ${new Date(clock.now()).toISOString().slice(0, 10)} (speed ×${speed})`,
  );
  for (const h of running.holders) io.out(`  ${h.id.padEnd(12)} ${h.url.padEnd(24)} ${h.name} (${h.api})`);
  io.out(
    `  clock        ${running.controlUrl}/clock   (POST ${running.controlUrl}/clock/advance?days=1 for the next day)`,
  );
  io.out(
    `  electricity client: client_id=${defaultElectricityClient.clientId} client_secret=${defaultElectricityClient.clientSecret}`,
  );
  const kinds = Object.keys(faults.rules);
  io.out(kinds.length > 0 ? `  faults: ${kinds.join(', ')} (seed ${faults.seed})` : '  faults: none');
  io.out('\nCustomers (username / password / SMS code):');
  for (const c of household.customers) {
    io.out(
      `  ${c.id}: ${c.displayName}, ${c.address.street}, ${c.address.postalCode} ${c.address.city} — ${c.description}`,
    );
    for (const holder of holderIds) {
      const login = c.logins[holder];
      if (login) io.out(`    ${holder.padEnd(12)} ${login.username} / ${login.password} / ${login.otp}`);
    }
  }
  io.out('\nCtrl-C stops them.');
  const signal = await stopSignal;
  io.out(`${signal}: stopping`);
  await running.close();
  return 0;
}
