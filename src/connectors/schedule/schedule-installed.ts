/**
 * The scheduler wired to the runtime: what `foyer serve` starts. The installed connectors come from
 * each space's installations and their manifests' schedules; the facts from the run history; a run
 * is the runtime's own, made as Foyer's system process acting for the owner (the run itself acts
 * under the connector's grant, like a run the person starts).
 */
import os from 'node:os';
import type { ConnectorService } from '../connector-service.js';
import type { RequestContext } from '../../core/principal.js';
import type { Clock } from '../../platform/clock.js';
import type { Log } from '../../platform/logger.js';
import { randomHex } from '../../platform/random-hex.js';
import type { DocumentStore, SpaceRecord } from '../../storage/document-store.js';
import { createConnectorLeases } from './connector-leases.js';
import {
  startConnectorScheduler,
  type ConnectorScheduler,
  type ConnectorSchedulerDeps,
} from './connector-scheduler.js';
import { scheduleFacts, type InstalledConnector } from './schedule-facts.js';

/** Runs read to plan one connector: more than enough to reach back to its last success. */
const RECENT_RUNS = 12;

export interface InstalledSchedulerDeps {
  connectors: ConnectorService;
  spaces: { list(): Promise<SpaceRecord[]>; timeZoneOf(space: string): Promise<string> };
  store: DocumentStore;
  clock: Clock;
  log: Log;
  /** Timing and concurrency of the scheduler (tests, hosted tuning). */
  tuning?: Pick<
    ConnectorSchedulerDeps,
    'concurrency' | 'leaseMs' | 'refreshEveryMs' | 'checkEveryMs' | 'firstCheckAfterMs'
  >;
}

export function startInstalledConnectorScheduler(deps: InstalledSchedulerDeps): ConnectorScheduler {
  const { connectors, spaces, store, clock, log } = deps;
  const system = (space: string): RequestContext => ({
    space,
    principal: { kind: 'system', reason: 'connector schedule' },
  });

  async function listInstalled(space?: string): Promise<InstalledConnector[]> {
    const ids = space ? [space] : (await spaces.list()).map((s) => s.id);
    const out: InstalledConnector[] = [];
    for (const id of ids) {
      const installed = await connectors.installations(id);
      if (installed.length === 0) continue;
      const timeZone = await spaces.timeZoneOf(id);
      for (const inst of installed) {
        const found = connectors.registry.get(inst.connector);
        // A connector no longer offered by this Foyer stays installed, unscheduled.
        if (found) out.push({ space: id, connectorId: inst.connector, schedule: found.manifest.schedule, timeZone });
      }
    }
    return out;
  }

  return startConnectorScheduler({
    clock,
    log,
    // One holder name per process: a lease left by a process that died is taken over when it lapses.
    leases: createConnectorLeases({ store, clock, holder: `${os.hostname()}-${process.pid}-${randomHex(6)}` }),
    listInstalled,
    async facts(space, connectorId) {
      const inst = (await connectors.installations(space)).find((i) => i.connector === connectorId);
      const runs = await connectors.runs(system(space), connectorId, RECENT_RUNS);
      return scheduleFacts(inst ?? { attention: null, actedAt: null }, runs);
    },
    run: (space, connectorId) => connectors.runConnector(system(space), connectorId, { trigger: 'schedule' }),
    ...deps.tuning,
  });
}
