/**
 * A real Foyer (SQLite, or the store given) on a loopback port with the test connectors, and the
 * test holder beside it; helpers that act as the owner does, over HTTP.
 */
import type { FoyerConfig } from '../../app/config.js';
import type { FoyerOverrides } from '../../app/create-foyer.js';
import type { Log } from '../../platform/logger.js';
import type { DocumentStore } from '../../storage/document-store.js';
import { acceptGrant } from '../../testing/grants.js';
import { jsonBody, type JsonBody } from '../../testing/json-body.js';
import { startTestFoyer, type TestFoyer } from '../../testing/test-foyer.js';
import { makeTestPostgresStore } from '../../testing/postgres.js';
import type { RunRecord } from '../connector-records.js';
import { testConnectors } from './test-connectors.js';
import { HOLDER_LOGIN, startTestHolder, type TestHolder } from './test-holder.js';

export interface ConnectorHarness {
  f: TestFoyer;
  holder: TestHolder;
  /** Every line Foyer logged. */
  logged: string[];
  /** Installs (origin: the test holder), accepts the grant unless told not to, and stores `credentials` if given. */
  install(id: string, options?: { accept?: boolean; credentials?: Record<string, string> | null }): Promise<JsonBody>;
  run(id: string, body?: { backfill?: boolean }): Promise<RunRecord>;
  /** The space's documents of a doctype, with their metadata. */
  documents(doctype: string): Promise<JsonBody[]>;
  points(doctype: string): Promise<JsonBody[]>;
  ledger(query?: string): Promise<JsonBody[]>;
  close(): Promise<void>;
}

export async function startConnectorHarness(
  options: { store?: DocumentStore; overrides?: FoyerOverrides; config?: Partial<FoyerConfig> } = {},
): Promise<ConnectorHarness> {
  const holder = await startTestHolder();
  const logged: string[] = [];
  const log: Log = (level, message, extra) =>
    logged.push(
      `${level} ${message} ${extra instanceof Error ? `${extra.message} ${extra.stack}` : JSON.stringify(extra)}`,
    );
  const f = await startTestFoyer({
    ...(options.config ? { config: options.config } : {}),
    overrides: {
      connectors: testConnectors(),
      log,
      ...(options.store ? { documentStore: options.store } : {}),
      ...options.overrides,
    },
  });
  await f.ownerToken();
  const ok = async (res: Response, what: string) => {
    const body = await jsonBody(res);
    if (!res.ok) throw new Error(`${what}: ${res.status} ${JSON.stringify(body)}`);
    return body;
  };
  return {
    f,
    holder,
    logged,
    async install(id, { accept = true, credentials = HOLDER_LOGIN } = {}) {
      const installed = await ok(
        await f.request(`/api/connectors/${id}/install`, { method: 'POST', json: { origin: holder.url } }),
        'install',
      );
      if (accept) await acceptGrant(f, installed.grant);
      if (credentials) {
        await ok(
          await f.request(`/api/connectors/${id}/credentials`, { method: 'POST', json: { values: credentials } }),
          'credentials',
        );
      }
      return installed;
    },
    async run(id, body = {}) {
      return (await ok(await f.request(`/api/connectors/${id}/run`, { method: 'POST', json: body }), 'run'))
        .run as RunRecord;
    },
    async documents(doctype) {
      const res = await f.request(`/api/data/${doctype}/_find`, {
        method: 'POST',
        json: { selector: {}, limit: 1000, sort: [{ _id: 'asc' }] },
      });
      return (await ok(res, 'find')).docs as JsonBody[];
    },
    async points(doctype) {
      return (await ok(await f.request(`/api/series/${doctype}`), 'points')).points as JsonBody[];
    },
    async ledger(query = '') {
      return (await ok(await f.request(`/api/ledger?limit=1000${query}`), 'ledger')).entries as JsonBody[];
    },
    async close() {
      await f.close();
      await holder.close();
    },
  };
}

/** The stores a runtime test runs on: SQLite (the harness's own), and a PostgreSQL made for it. */
export const STORE_SETUPS: { name: string; open(): Promise<{ store?: DocumentStore; cleanup(): Promise<void> }> }[] = [
  { name: 'SQLite', open: async () => ({ cleanup: async () => undefined }) },
  {
    name: 'PostgreSQL',
    async open() {
      const pg = await makeTestPostgresStore();
      return { store: pg.store, cleanup: pg.cleanup };
    },
  },
];

/** A harness on one of `STORE_SETUPS`; its `close` also drops the store it opened. */
export async function startConnectorHarnessOn(setup: (typeof STORE_SETUPS)[number]): Promise<ConnectorHarness> {
  const opened = await setup.open();
  const h = await startConnectorHarness(opened.store ? { store: opened.store } : {});
  return {
    ...h,
    async close() {
      await h.close();
      await opened.cleanup();
    },
  };
}

/** A run's counts as `[created, updated, unchanged, kept]` per doctype. */
export const counted = (run: RunRecord) =>
  Object.fromEntries(Object.entries(run.counts).map(([d, c]) => [d, [c.created, c.updated, c.unchanged, c.kept]]));
