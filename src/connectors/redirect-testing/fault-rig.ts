/**
 * The fault tests' rig for a `redirect` connector (the bank, the electricity distributor): a real
 * Foyer on a manual clock with the connector installed (grant accepted) at a simulated holder
 * served on loopback under the given faults, the person's side of connecting, and the checks every
 * fault test makes: a failed run wrote nothing and left the cursor unset; once the fault is over,
 * the next run brings exactly the household's records, once.
 */
import type { Hono } from 'hono';
import { expect } from 'vitest';
import { parseFaultSpec, type FaultConfig } from '../../holders/faults/fault-config.js';
import { serveHolder, type RunningHolder } from '../../holders/serve-holder.js';
import type { Clock } from '../../platform/clock.js';
import { acceptGrant } from '../../testing/grants.js';
import { jsonBody } from '../../testing/json-body.js';
import type { RunRecord } from '../connector-records.js';
import type { ConnectorDefinition } from '../connector-registry.js';
import { startKitRig, type KitRig } from '../holder-kit/testing/kit-rig.js';
import { connectAtHolder, type HolderLogin } from './person-at-holder.js';

export interface FaultRigOptions {
  now: number;
  definition: ConnectorDefinition;
  /** The holder's app under `faults`, on the rig's clock. */
  holder: (clock: Clock, faults: FaultConfig) => Hono;
  login: HolderLogin;
  /** The doctypes the connector writes, `true` for a series. */
  doctypes: Record<string, boolean>;
  /** Records of each doctype a first sync brings. */
  expected: Record<string, number>;
}

export interface FaultRig {
  rig: KitRig;
  faults: FaultConfig;
  holder: RunningHolder;
  id: string;
  /** The person connects at the holder (allows, unless told); Foyer's callback answer. */
  connect(login?: HolderLogin, decision?: 'allow' | 'deny'): Promise<{ status: number; page: string }>;
  run(): Promise<RunRecord>;
  /** Records held per doctype. */
  held(): Promise<Record<string, number>>;
  installation(): Promise<{ cursor: unknown; attention: { code: string } | null }>;
  /** The run failed with `code`, wrote nothing, and the cursor is still unset. */
  failedCleanly(run: RunRecord, code: string): Promise<void>;
  /** The fault is over: the next run brings exactly `expected`, once. */
  recovers(): Promise<void>;
  /** The holder starts again at the same address, forgetting what it kept in memory (its consents). */
  restartHolder(): Promise<void>;
  close(): Promise<void>;
}

export const createdOf = (run: RunRecord): Record<string, number> =>
  Object.fromEntries(Object.entries(run.counts).map(([d, c]) => [d, c.created]));

export async function startFaultRig(options: FaultRigOptions, specs: string[]): Promise<FaultRig> {
  const id = options.definition.manifest.id;
  const rig = await startKitRig({ now: options.now, connectors: [options.definition] });
  const faults: FaultConfig = { seed: `${id}-faults`, rules: Object.fromEntries(specs.map(parseFaultSpec)) };
  let holder = await serveHolder(options.holder(rig.clock, faults));
  const body = await jsonBody(
    await rig.f.request(`/api/connectors/${id}/install`, { method: 'POST', json: { origin: holder.url } }),
  );
  await acceptGrant(rig.f, body.grant);

  const held = async () =>
    Object.fromEntries(
      await Promise.all(
        Object.entries(options.doctypes).map(async ([d, series]) => [
          d,
          (series ? await rig.pointKeys(d) : await rig.documentIds(d)).length,
        ]),
      ),
    );
  const installation = async () =>
    (
      (await (await rig.f.request('/api/connectors')).json()) as {
        connectors: { manifest: { id: string }; installed: { cursor: unknown; attention: { code: string } | null } }[];
      }
    ).connectors.find((c) => c.manifest.id === id)!.installed;
  const run = () => rig.run(id);

  return {
    rig,
    faults,
    get holder() {
      return holder;
    },
    id,
    connect: (login = options.login, decision = 'allow') => connectAtHolder(rig.f, id, login, decision),
    run,
    held,
    installation,
    async failedCleanly(r, code) {
      expect(r.outcome).toBe('failed');
      expect(r.error?.code).toBe(code);
      expect(r.counts).toEqual({});
      expect(Object.values(await held()).every((n) => n === 0)).toBe(true);
      expect((await installation()).cursor).toBe(null);
    },
    async recovers() {
      faults.rules = {};
      const r = await run();
      expect(r.error).toBe(null);
      expect(createdOf(r)).toEqual(options.expected);
      expect(await held()).toEqual(options.expected);
    },
    async restartHolder() {
      const port = holder.port;
      await holder.close();
      holder = await serveHolder(options.holder(rig.clock, faults), port);
    },
    async close() {
      await holder.close();
      await rig.close();
    },
  };
}

/** Rigs for a test file, one at a time: a new one closes the one before; `close` after each test. */
export function faultRigs(options: FaultRigOptions) {
  let current: FaultRig | undefined;
  const close = async () => {
    await current?.close();
    current = undefined;
  };
  const installed = async (specs: string[], holder = options.holder): Promise<FaultRig> => {
    await close();
    current = await startFaultRig({ ...options, holder }, specs);
    return current;
  };
  return {
    /** Installed (grant accepted) at a holder whose faults are `specs`; not connected yet. */
    installed,
    /** …and connected: the person allowed at the holder. */
    async connected(...specs: string[]): Promise<FaultRig> {
      const r = await installed(specs);
      expect((await r.connect()).status).toBe(200);
      return r;
    },
    close,
  };
}

/** A fault that ends a first sync: the code, something the detail says, the Retry-After if any. */
export interface CleanFailure {
  title: string;
  fault: string;
  code: string;
  detail: string;
  retryAfterSeconds?: number;
}

/** The first sync fails as `c` says, writing nothing; once the fault is over, the next run brings everything once. */
export async function failsCleanlyThenRecovers(r: FaultRig, c: CleanFailure): Promise<void> {
  const run = await r.run();
  await r.failedCleanly(run, c.code);
  expect(run.error!.detail).toContain(c.detail);
  if (c.retryAfterSeconds !== undefined) expect(run.error!.retryAfterSeconds).toBe(c.retryAfterSeconds);
  await r.recovers();
}
