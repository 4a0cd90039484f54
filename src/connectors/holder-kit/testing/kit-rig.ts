/**
 * A real Foyer (SQLite, worker threads) on a manual clock, with the Holder Kit connectors, and the
 * person's side of connecting one: install, accept the consent, log in and allow at the holder's
 * own pages (a small browser), and come back to Foyer's OAuth callback. Helpers read what the
 * space holds straight from its store, to compare with the household's records.
 */
import type { ConnectorDefinition } from '../../connector-registry.js';
import type { RunRecord } from '../../connector-records.js';
import { manualClock } from '../../../platform/clock.js';
import { DEFAULT_SPACE } from '../../../core/spaces/space-service.js';
import { acceptGrant } from '../../../testing/grants.js';
import { jsonBody, type JsonBody } from '../../../testing/json-body.js';
import { startTestFoyer, type TestFoyer } from '../../../testing/test-foyer.js';
import { authorizeAtHolder, type HolderLogin } from './holder-browser.js';

export type { HolderLogin };

export interface KitRig {
  f: TestFoyer;
  clock: ReturnType<typeof manualClock>;
  /** Installs at `holderUrl`, accepts the grant, connects by OAuth at the holder as the person would. */
  connect(id: string, holderUrl: string, login: HolderLogin): Promise<void>;
  run(id: string, body?: { backfill?: boolean }): Promise<RunRecord>;
  /** Ids of the space's documents of a doctype. */
  documentIds(doctype: string): Promise<string[]>;
  /** `stream|t` of every point of a series doctype. */
  pointKeys(doctype: string): Promise<string[]>;
  /** What the vault holds for the connector's OAuth connection. */
  tokens(id: string): Promise<Record<string, string>>;
  close(): Promise<void>;
}

async function ok(res: Response, what: string): Promise<JsonBody> {
  const body = await jsonBody(res);
  if (!res.ok) throw new Error(`${what}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

export async function startKitRig(options: { now: number; connectors: ConnectorDefinition[] }): Promise<KitRig> {
  const clock = manualClock(options.now);
  const f = await startTestFoyer({ overrides: { clock, connectors: options.connectors } });
  await f.ownerToken();
  const store = f.foyer.documentStore;

  return {
    f,
    clock,
    async connect(id, holderUrl, login) {
      const installed = await ok(
        await f.request(`/api/connectors/${id}/install`, { method: 'POST', json: { origin: holderUrl } }),
        'install',
      );
      await acceptGrant(f, installed.grant);
      const { authorizationUrl } = await ok(
        await f.request(`/api/connectors/${id}/oauth/start`, { method: 'POST' }),
        'oauth start',
      );
      const back = await authorizeAtHolder(authorizationUrl as string, login);
      const done = await fetch(`${f.url}${back.pathname}${back.search}`);
      if (done.status !== 200) throw new Error(`OAuth callback: ${done.status} ${await done.text()}`);
    },
    async run(id, body = {}) {
      return (await ok(await f.request(`/api/connectors/${id}/run`, { method: 'POST', json: body }), 'run'))
        .run as RunRecord;
    },
    async documentIds(doctype) {
      const docs = await store.findDocuments(DEFAULT_SPACE, doctype, { selector: null, sort: [], limit: 1_000_000 });
      return docs.filter((d) => !d.deleted).map((d) => d.id);
    },
    async pointKeys(doctype) {
      const keys: string[] = [];
      let after: { t: number; stream: string } | undefined;
      for (;;) {
        const page = await store.readPoints(DEFAULT_SPACE, doctype, { from: 0, to: 8.64e15 }, 10_000, after);
        keys.push(...page.map((p) => `${p.stream}|${p.t}`));
        if (page.length < 10_000) return keys;
        const last = page[page.length - 1]!;
        after = { t: last.t, stream: last.stream };
      }
    },
    async tokens(id) {
      return (await f.foyer.vault.get(DEFAULT_SPACE, `connector-${id}`)).values;
    },
    close: () => f.close(),
  };
}
