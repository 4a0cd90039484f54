import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestIds } from '../../core/ledger/ledger-entry.js';
import { manualClock } from '../../platform/clock.js';
import type { DocumentStore } from '../../storage/document-store.js';
import { activeGrant, testTerms, type TestGrant } from '../../testing/grants.js';
import { jsonBody, type JsonBody } from '../../testing/json-body.js';
import { makeTestPostgresStore } from '../../testing/postgres.js';
import { openSpaceFile } from '../../testing/space-file.js';
import { startTestFoyer, type TestFoyer } from '../../testing/test-foyer.js';

const TX = {
  date: '2026-03-09T08:00:00Z',
  label: 'CB BOULANGERIE',
  amount: -4.2,
  currency: 'EUR',
  accountId: 'acc-1',
  type: 'card',
};
const DAY = 86_400_000;
const APP = 'app:mon-budget';

interface Entry {
  seq: number;
  at: string;
  day: string;
  actorKind: string;
  actorId: string;
  grant: string | null;
  verb: string;
  doctype: string;
  count: number;
  idsDigest: string | null;
  outcome: string;
  code: string | null;
}

const setups: { name: string; open(): Promise<{ store?: DocumentStore; cleanup(): Promise<void> }> }[] = [
  { name: 'SQLite', open: async () => ({ cleanup: async () => undefined }) },
  {
    name: 'PostgreSQL',
    async open() {
      const made = await makeTestPostgresStore();
      return { store: made.store, cleanup: made.cleanup };
    },
  },
];

/** Starts a Foyer at 2026-03-10 10:00 in Paris whose owner made a transaction and read it back. */
async function foyerWithHistory(store?: DocumentStore) {
  const clock = manualClock(Date.UTC(2026, 2, 10, 9));
  const f = await startTestFoyer({ overrides: { clock, ...(store ? { documentStore: store } : {}) } });
  await f.ownerToken();
  expect((await f.request('/api/data/bank.transaction/t1', { method: 'PUT', json: TX })).status).toBe(201);
  expect((await f.request('/api/data/bank.transaction/t1')).status).toBe(200);
  return { f, clock };
}

for (const setup of setups) {
  describe(`the access ledger over HTTP (${setup.name})`, () => {
    let f: TestFoyer;
    let cleanup: () => Promise<void>;
    let grant: TestGrant;

    const get = async (path: string, token?: string | null) => {
      const res = await f.request(path, token === undefined ? {} : { token });
      return { status: res.status, body: await jsonBody(res) };
    };
    const entries = async (query: string) => {
      const { status, body } = await get(`/api/ledger?${query}`);
      expect(status, JSON.stringify(body)).toBe(200);
      return body.entries as Entry[];
    };
    let appToken: string;
    const asApp = (path: string) => f.request(path, { token: appToken });
    /** Grant tokens are short-lived: the owner issues fresh ones after the clock moved on. */
    const freshToken = async () => {
      const res = await f.request(`/api/grants/${grant.id}/tokens`, { method: 'POST' });
      appToken = (await jsonBody(res)).accessToken as string;
    };

    beforeAll(async () => {
      const opened = await setup.open();
      cleanup = opened.cleanup;
      const started = await foyerWithHistory(opened.store);
      f = started.f;
      grant = await activeGrant(f, testTerms({}, started.clock.now()));
      // The next day the app reads the transaction, then asks for what it was not granted.
      started.clock.advance(DAY);
      await freshToken();
      expect((await asApp('/api/data/bank.transaction/t1')).status).toBe(200);
      expect((await asApp('/api/data/energy.contract/c1')).status).toBe(403);
      // And reads it once more the day after.
      started.clock.advance(DAY);
      await freshToken();
      expect((await asApp('/api/data/bank.transaction/t1')).status).toBe(200);
    });
    afterAll(async () => {
      await f.close();
      await cleanup();
    });

    it("lists a grantee's accesses newest first: allowed and denied, with its grant and what it touched", async () => {
      const list = await entries(`grantee=${APP}`);
      expect(list.map((e) => [e.day, e.verb, e.doctype, e.outcome, e.code])).toEqual([
        ['2026-03-12', 'read', 'bank.transaction', 'allowed', null],
        ['2026-03-11', 'read', 'energy.contract', 'denied', 'scope_denied'],
        ['2026-03-11', 'read', 'bank.transaction', 'allowed', null],
      ]);
      expect(list.every((e) => e.actorKind === 'app' && e.actorId === 'mon-budget' && e.grant === grant.id)).toBe(true);
      expect(list[0]).toMatchObject({ count: 1, idsDigest: digestIds(['t1']), at: '2026-03-12T09:00:00.000Z' });
      expect(list[1]).toMatchObject({ count: 0, idsDigest: null });
      expect(list[0]!.seq).toBeGreaterThan(list[1]!.seq);
    });

    it("records the owner's own accesses", async () => {
      const list = await entries('grantee=owner&doctype=bank.transaction');
      expect(list.map((e) => [e.verb, e.outcome, e.day])).toEqual([
        ['read', 'allowed', '2026-03-10'],
        ['create', 'allowed', '2026-03-10'],
      ]);
      expect(list[0]!.idsDigest).toBe(digestIds(['t1']));
    });

    it('filters by kind of grantee, grant, doctype, outcome and period (local days or instants)', async () => {
      const seqs = async (query: string) => (await entries(query)).map((e) => e.seq);
      const app = await seqs(`grantee=${APP}`);
      expect(await seqs('grantee=app')).toEqual(app);
      expect(await seqs(`grant=${grant.id}`)).toEqual(app);
      expect(await seqs('grantee=app&outcome=denied')).toEqual([app[1]]);
      expect(await seqs('grantee=app&doctype=energy.contract')).toEqual([app[1]]);
      expect(await seqs('grantee=app&from=2026-03-12')).toEqual([app[0]]);
      expect(await seqs('grantee=app&to=2026-03-12')).toEqual([app[1], app[2]]);
      expect(await seqs(`grantee=app&from=${encodeURIComponent('2026-03-11T10:00:00+01:00')}&to=2026-03-12`)).toEqual([
        app[1],
        app[2],
      ]);
      expect(
        await seqs(`grantee=app&from=${encodeURIComponent('2026-03-11T10:00:00.001+01:00')}&to=2026-03-12`),
      ).toEqual([]);
      expect(await seqs('grantee=connector')).toEqual([]);
    });

    it('pages through the ledger with an opaque cursor', async () => {
      const all = await entries('limit=1000');
      const seen: number[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 100; page++) {
        const { body } = await get(`/api/ledger?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        const got = body.entries as Entry[];
        seen.push(...got.map((e) => e.seq));
        cursor = body.cursor as string | undefined;
        if (!cursor) break;
        expect(got).toHaveLength(2);
      }
      // The reads of this very test were recorded meanwhile, after `all` was read: newer than it.
      expect(seen.slice(-all.length)).toEqual(all.map((e) => e.seq));
      expect(seen).toEqual([...seen].sort((a, b) => b - a));
    });

    it('counts per grantee, doctype and day, by outcome, with the items allowed requests touched', async () => {
      const by = async (key: string, query = '') => {
        const { status, body } = await get(`/api/ledger/aggregate?by=${key}${query}`);
        expect(status).toBe(200);
        return body as { by: string; timeZone: string; rows: JsonBody[] };
      };
      const days = await by('day', '&grantee=app');
      expect(days.timeZone).toBe('Europe/Paris');
      expect(days.rows).toEqual([
        { key: '2026-03-11', allowed: 1, denied: 1, failed: 0, items: 1 },
        { key: '2026-03-12', allowed: 1, denied: 0, failed: 0, items: 1 },
      ]);
      expect((await by('doctype', '&grantee=app')).rows).toEqual([
        { key: 'bank.transaction', allowed: 2, denied: 0, failed: 0, items: 2 },
        { key: 'energy.contract', allowed: 0, denied: 1, failed: 0, items: 0 },
      ]);
      const actors = (await by('actor')).rows;
      expect(actors.find((r) => r.key === APP)).toEqual({ key: APP, allowed: 2, denied: 1, failed: 0, items: 2 });
      expect(actors.some((r) => r.key.toString().startsWith('owner:'))).toBe(true);
      expect(actors.map((r) => r.key)).toEqual([...actors.map((r) => r.key)].sort());
    });

    it('verifies the chain of every entry recorded so far', async () => {
      const { status, body } = await get('/api/ledger/verify');
      expect(status).toBe(200);
      expect(body).toMatchObject({ ok: true, problems: [], omitted: 0 });
      expect(body.checked).toBe((body.head as { seq: number }).seq);
      expect(body.checked).toBeGreaterThanOrEqual(5);
    });

    it('lets only the owner read the ledger', async () => {
      for (const path of ['/api/ledger', '/api/ledger/aggregate?by=day', '/api/ledger/verify']) {
        const asGrantee = await asApp(path);
        expect(asGrantee.status).toBe(403);
        expect(((await jsonBody(asGrantee)).error as JsonBody).code).toBe('owner_only');
        expect((await get(path, null)).status).toBe(401);
      }
    });

    it('refuses bad filters, groupings, limits and cursors, naming them', async () => {
      const bad: [string, number, string][] = [
        ['/api/ledger?grantee=robot', 400, 'validation_failed'],
        ['/api/ledger?grantee=', 400, 'validation_failed'],
        ['/api/ledger?from=yesterday', 400, 'validation_failed'],
        ['/api/ledger?to=2026-02-30', 400, 'validation_failed'],
        ['/api/ledger?from=2026-03-11T10:00:00', 400, 'validation_failed'],
        ['/api/ledger?from=2026-03-12&to=2026-03-11', 400, 'bad_request'],
        ['/api/ledger?outcome=maybe', 400, 'validation_failed'],
        ['/api/ledger?limit=0', 400, 'validation_failed'],
        ['/api/ledger?limit=1001', 400, 'validation_failed'],
        ['/api/ledger?cursor=not-a-cursor', 400, 'bad_request'],
        [`/api/ledger?cursor=${Buffer.from('s-1').toString('base64url')}`, 400, 'bad_request'],
        ['/api/ledger/aggregate', 400, 'validation_failed'],
        ['/api/ledger/aggregate?by=week', 400, 'validation_failed'],
        ['/api/ledger/aggregate?by=day&grantee=robot:x', 400, 'validation_failed'],
      ];
      for (const [path, status, code] of bad) {
        const res = await get(path);
        expect({ path, status: res.status, code: (res.body.error as JsonBody | undefined)?.code }).toEqual({
          path,
          status,
          code,
        });
      }
    });
  });
}

describe('ledger verification over HTTP after tampering with the SQLite file', () => {
  let f: TestFoyer;
  beforeAll(async () => {
    ({ f } = await foyerWithHistory());
  });
  afterAll(() => f.close());

  it('names the entry edited behind Foyer’s back', async () => {
    const [created] = (await jsonBody(await f.request('/api/ledger?grantee=owner&doctype=bank.transaction&limit=1')))
      .entries as Entry[];
    const db = await openSpaceFile(f.dataDir, 'default');
    try {
      db.prepare('UPDATE ledger SET count = 0 WHERE seq = ?').run(created!.seq);
    } finally {
      db.close();
    }
    const body = await jsonBody(await f.request('/api/ledger/verify'));
    expect(body.ok).toBe(false);
    expect(body.problems).toEqual([{ seq: created!.seq, kind: 'edited', message: expect.any(String) }]);
  });
});
