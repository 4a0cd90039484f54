import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeGrant, testGrantee, testTerms, type TestGrant } from '../../testing/grants.js';
import { jsonBody } from '../../testing/json-body.js';
import { startTestFoyer, type TestFoyer } from '../../testing/test-foyer.js';
import { DEFAULT_SPACE } from '../../core/spaces/space-service.js';
import { makeTestPostgresStore } from '../../testing/postgres.js';
import type { DocumentStore } from '../../storage/document-store.js';
import { transaction, TRANSACTIONS } from '../../testing/transactions.js';

const T = TRANSACTIONS;
const tx = transaction;

type OpenStore = () => Promise<{ store?: DocumentStore; cleanup(): Promise<void> }>;

function grantSuite(backend: string, openStore: OpenStore) {
  describe(`what a grant lets its holder see and write (${backend})`, () => {
    let f: TestFoyer;
    let cleanup: () => Promise<void>;
    let g: TestGrant;
    const ids: Record<string, string> = {};
    const asGrant = (path: string, init: RequestInit & { json?: unknown } = {}) =>
      f.request(path, { ...init, token: g.accessToken });
    const find = async (selector: unknown, extra: Record<string, unknown> = {}) =>
      asGrant(`${T}/_find`, { method: 'POST', json: { selector, ...extra } });

    beforeAll(async () => {
      const opened = await openStore();
      cleanup = opened.cleanup;
      f = await startTestFoyer({ overrides: opened.store ? { documentStore: opened.store } : {} });
      await f.ownerToken();
      for (const [name, over] of Object.entries({
        mine1: { accountId: 'acc-1', amount: -10, note: 'secret note 1' },
        mine2: { accountId: 'acc-1', amount: 25, note: 'secret note 2' },
        other: { accountId: 'acc-2', amount: -99, note: 'other account' },
      })) {
        ids[name] = (await jsonBody(await f.request(T, { method: 'POST', json: tx(over) }))).id;
      }
      g = await activeGrant(
        f,
        testTerms({
          scopes: [
            {
              doctype: 'bank.transaction',
              verbs: ['read', 'create', 'update', 'delete'],
              filter: { accountId: 'acc-1' },
              fields: ['date', 'amount', 'accountId', 'label', 'currency', 'type'],
            },
          ],
        }),
      );
    });
    afterAll(async () => {
      await f.close();
      await cleanup();
    });

    it('finds only documents inside the filter, with only the listed fields', async () => {
      const body = await jsonBody(await find({}));
      expect(body.docs.map((d: { _id: string }) => d._id).sort()).toEqual([ids.mine1, ids.mine2].sort());
      for (const doc of body.docs)
        expect(Object.keys(doc).sort()).toEqual([
          '_id',
          '_rev',
          'accountId',
          'amount',
          'currency',
          'date',
          'label',
          'type',
        ]);
    });

    it('cannot escape the filter with $or, $ne or $exists', async () => {
      for (const selector of [
        { $or: [{ accountId: 'acc-2' }, { accountId: { $ne: 'x' } }] },
        { accountId: { $ne: 'acc-1' } },
        { accountId: { $exists: true } },
        { $or: [{ amount: { $lt: 0 } }, { amount: { $gte: 0 } }] },
      ]) {
        const body = await jsonBody(await find(selector));
        expect(
          body.docs.every((d: { accountId: string }) => d.accountId === 'acc-1'),
          JSON.stringify(selector),
        ).toBe(true);
        expect(body.docs.some((d: { _id: string }) => d._id === ids.other)).toBe(false);
      }
    });

    it('refuses a selector, sort or field list naming a field outside the list', async () => {
      for (const [selector, extra] of [
        [{ note: { $exists: true } }, {}],
        [{ $or: [{ note: 'secret note 1' }, { amount: 1 }] }, {}],
        [{}, { sort: [{ note: 'asc' }] }],
        [{}, { fields: ['note'] }],
      ] as const) {
        const res = await find(selector, extra);
        expect(res.status).toBe(403);
        expect((await jsonBody(res)).error.code).toBe('field_not_granted');
      }
    });

    it('reads a document by id without its other fields; one outside the filter does not exist', async () => {
      const mine = await jsonBody(await asGrant(`${T}/${ids.mine1}`));
      expect(mine.note).toBeUndefined();
      expect(mine.amount).toBe(-10);
      const other = await asGrant(`${T}/${ids.other}`);
      expect(other.status).toBe(404);
      const missing = await asGrant(`${T}/does-not-exist`);
      expect(await other.text()).toBe((await missing.text()).replaceAll('does-not-exist', ids.other!));
    });

    it('the changes feed shows only documents inside the filter, projected', async () => {
      const body = await jsonBody(await asGrant(`${T}/_changes?since=0&include_docs=true`));
      const seen = body.results.map((r: { id: string }) => r.id);
      expect(seen).toContain(ids.mine1);
      expect(seen).not.toContain(ids.other);
      for (const r of body.results) expect(r.doc.note).toBeUndefined();
    });

    it('writes only inside the filter and only listed fields; updates keep the fields it cannot see', async () => {
      const outside = await asGrant(T, { method: 'POST', json: tx({ accountId: 'acc-2' }) });
      expect(outside.status).toBe(403);
      expect((await jsonBody(outside)).error.code).toBe('filter_denied');
      const extra = await asGrant(T, { method: 'POST', json: tx({ note: 'sneaky' }) });
      expect(extra.status).toBe(403);
      expect((await jsonBody(extra)).error.code).toBe('field_not_granted');
      const current = await jsonBody(await asGrant(`${T}/${ids.mine2}`));
      const { _id, _rev, ...visibleFields } = current;
      const updated = await asGrant(`${T}/${ids.mine2}`, {
        method: 'PUT',
        json: { ...visibleFields, amount: 26, _rev },
      });
      expect(updated.status).toBe(200);
      const whole = await jsonBody(await f.request(`${T}/${ids.mine2}`));
      expect(whole).toMatchObject({ amount: 26, note: 'secret note 2' });
      const moveOut = await asGrant(`${T}/${ids.mine2}`, {
        method: 'PUT',
        json: { ...visibleFields, accountId: 'acc-2', _rev: whole._rev },
      });
      expect(moveOut.status).toBe(403);
      const otherDelete = await asGrant(`${T}/${ids.other}?rev=1-x`, { method: 'DELETE' });
      expect(otherDelete.status).toBe(404);
      expect((await f.request(`${T}/${ids.other}`)).status).toBe(200);
    });

    it('bulk writes obey the same rules, all or nothing', async () => {
      const count = async () =>
        (await jsonBody(await f.request(`${T}/_find`, { method: 'POST', json: { selector: {}, limit: 1000 } }))).docs
          .length as number;
      const before = await count();
      const res = await asGrant(`${T}/_bulk`, { method: 'POST', json: { docs: [tx(), tx({ accountId: 'acc-2' })] } });
      expect(res.status).toBe(403);
      expect((await jsonBody(res)).error.code).toBe('filter_denied');
      const fieldRes = await asGrant(`${T}/_bulk`, { method: 'POST', json: { docs: [tx(), tx({ note: 'x' })] } });
      expect((await jsonBody(fieldRes)).error.code).toBe('field_not_granted');
      // Creating over a document outside the filter is refused as over any existing one, telling nothing of it.
      const hidden = await asGrant(`${T}/_bulk`, {
        method: 'POST',
        json: { docs: [tx(), { ...tx(), _id: ids.other }] },
      });
      expect(hidden.status).toBe(409);
      const { details } = (await jsonBody(hidden)).error;
      expect(details).toMatchObject({ index: 1, id: ids.other });
      expect(details.currentRev).toBeUndefined();
      expect(await count()).toBe(before);
      const fine = await asGrant(`${T}/_bulk`, { method: 'POST', json: { docs: [tx(), tx({ amount: 1 })] } });
      expect(fine.status).toBe(201);
      expect(await count()).toBe(before + 2);
    });
  });

  describe(`series, files and withdrawal under a grant (${backend})`, () => {
    let f: TestFoyer;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      const opened = await openStore();
      cleanup = opened.cleanup;
      f = await startTestFoyer({ overrides: opened.store ? { documentStore: opened.store } : {} });
      await f.ownerToken();
    });
    afterAll(async () => {
      await f.close();
      await cleanup();
    });

    it('appends and reads series only with the verbs granted', async () => {
      const g = await activeGrant(f, testTerms({ scopes: [{ doctype: 'water.daily', verbs: ['read'] }] }));
      const points = [{ meterId: 'M1234', date: '2024-03-10', volumeLitres: 300, indexM3: 1, leak: false }];
      expect((await f.request('/api/series/water.daily', { method: 'POST', json: { points } })).status).toBe(200);
      const read = await f.request('/api/series/water.daily?from=2024-03-01&to=2024-04-01', { token: g.accessToken });
      expect(read.status).toBe(200);
      expect((await jsonBody(read)).points).toHaveLength(1);
      const append = await f.request('/api/series/water.daily', {
        method: 'POST',
        json: { points },
        token: g.accessToken,
      });
      expect(append.status).toBe(403);
      const del = await f.request('/api/series/water.daily?from=2024-03-01&to=2024-04-01', {
        method: 'DELETE',
        token: g.accessToken,
      });
      expect(del.status).toBe(403);
      const gas = await f.request('/api/series/energy.gas.daily?from=2024-03-01&to=2024-04-01', {
        token: g.accessToken,
      });
      expect(gas.status).toBe(403);
    });

    it('files need a foyer.file scope', async () => {
      const g = await activeGrant(f, testTerms());
      const up = await f.request('/api/files?name=a.pdf', {
        method: 'POST',
        body: new Uint8Array([1, 2, 3]),
        headers: { 'content-type': 'application/pdf' },
      });
      const file = await jsonBody(up);
      expect((await f.request(`/api/files/${file.id}/content`, { token: g.accessToken })).status).toBe(403);
      const reader = await activeGrant(f, testTerms({ scopes: [{ doctype: 'foyer.file', verbs: ['read'] }] }));
      const content = await f.request(`/api/files/${file.id}/content`, { token: reader.accessToken });
      expect(content.status).toBe(200);
      expect(new Uint8Array(await content.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    });

    const writer = () =>
      activeGrant(
        f,
        testTerms({
          scopes: [
            { doctype: 'bank.transaction', verbs: ['read', 'create'] },
            { doctype: 'water.daily', verbs: ['create', 'read'] },
            { doctype: 'foyer.file', verbs: ['create', 'read'] },
          ],
        }),
        { ...testGrantee, id: `writer-${Math.random().toString(36).slice(2, 8)}` },
      );

    async function createAs(g: TestGrant) {
      const a = await jsonBody(await f.request(T, { method: 'POST', json: tx(), token: g.accessToken }));
      const b = await jsonBody(await f.request(T, { method: 'POST', json: tx({ amount: 3 }), token: g.accessToken }));
      const points = [
        { meterId: 'W1234', date: '2024-05-01', volumeLitres: 100, indexM3: 1, leak: false },
        { meterId: 'W1234', date: '2024-05-02', volumeLitres: 120, indexM3: 1.1, leak: false },
      ];
      expect(
        (await f.request('/api/series/water.daily', { method: 'POST', json: { points }, token: g.accessToken })).status,
      ).toBe(200);
      const file = await jsonBody(
        await f.request('/api/files?name=receipt.pdf', {
          method: 'POST',
          body: new Uint8Array([9, 9]),
          headers: { 'content-type': 'application/pdf', authorization: `Bearer ${g.accessToken}` },
        }),
      );
      return { docs: [a.id as string, b.id as string], file: file.id as string };
    }

    it('kills the tokens at once, deletes what the grantee created and keeps the owner’s data, with a receipt', async () => {
      const own = await jsonBody(await f.request(T, { method: 'POST', json: tx({ label: 'owner' }) }));
      const g = await writer();
      const made = await createAs(g);
      const res = await f.request(`/api/grants/${g.id}/withdraw`, { method: 'POST', json: {} });
      expect(res.status).toBe(200);
      const { grant, receipt } = await jsonBody(res);
      expect(grant.status).toBe('withdrawn');
      expect(receipt.choice).toBe('delete');
      expect(receipt.deleted).toEqual([
        { doctype: 'bank.transaction', kind: 'documents', count: 2 },
        { doctype: 'foyer.file', kind: 'files', count: 1 },
        { doctype: 'water.daily', kind: 'points', count: 2 },
      ]);
      const next = await f.request(`${T}/_find`, { method: 'POST', json: {}, token: g.accessToken });
      expect(next.status).toBe(403);
      expect((await jsonBody(next)).error).toMatchObject({ code: 'grant_inactive', details: { status: 'withdrawn' } });
      const refresh = await f.request('/api/grant-tokens/refresh', {
        method: 'POST',
        json: { refreshToken: g.refreshToken },
        token: null,
      });
      expect(refresh.status).toBe(401);
      for (const id of made.docs) expect((await f.request(`${T}/${id}`)).status).toBe(404);
      expect((await f.request(`${T}/${own.id}`)).status).toBe(200);
      expect((await f.request(`/api/files/${made.file}`)).status).toBe(404);
      expect((await f.foyer.fileStore.list(DEFAULT_SPACE)).filter((k) => k.includes(made.file))).toEqual([]);
      const points = await jsonBody(await f.request('/api/series/water.daily?from=2024-05-01&to=2024-06-01'));
      expect(points.points).toEqual([]);
      const listed = await jsonBody(await f.request(`/api/grants/${g.id}`));
      expect(listed.receipts).toEqual([receipt]);
    });

    it('finishes a withdrawal interrupted after the grant was marked, with the choice made then', async () => {
      const g = await writer();
      const made = await createAs(g);
      // The state a crash leaves after the first write of a withdrawal: withdrawn, nothing deleted, no receipt.
      const store = f.foyer.documentStore;
      const doc = (await store.getDocument(DEFAULT_SPACE, 'foyer.grant', g.id))!;
      const data = JSON.parse(doc.data!) as Record<string, unknown>;
      const state = (await store.getDocument(DEFAULT_SPACE, 'foyer.grant-state', g.id))!;
      const at = new Date().toISOString();
      const rev = `${Number(doc.rev.split('-')[0]) + 1}-c0ffee`;
      await store.writeDocuments(DEFAULT_SPACE, [
        {
          ...doc,
          expectedRev: doc.rev,
          rev,
          data: JSON.stringify({ ...data, withdrawnAt: at, withdrawChoice: 'delete', tokenEpoch: 99 }),
        },
        {
          ...state,
          expectedRev: state.rev,
          rev: `${Number(state.rev.split('-')[0]) + 1}-c0ffee`,
          data: JSON.stringify({ grantRev: rev }),
        },
      ]);
      expect((await f.request(`${T}/_find`, { method: 'POST', json: {}, token: g.accessToken })).status).toBe(403);
      const { receipt } = await jsonBody(
        await f.request(`/api/grants/${g.id}/withdraw`, { method: 'POST', json: { choice: 'keep' } }),
      );
      expect(receipt).toMatchObject({ at, choice: 'delete' });
      for (const id of made.docs) expect((await f.request(`${T}/${id}`)).status).toBe(404);
      const again = await jsonBody(await f.request(`/api/grants/${g.id}/withdraw`, { method: 'POST', json: {} }));
      expect(again.receipt).toEqual(receipt);
    });

    it('keeps what the grantee created when the owner chooses keep', async () => {
      const g = await writer();
      const made = await createAs(g);
      const { receipt } = await jsonBody(
        await f.request(`/api/grants/${g.id}/withdraw`, { method: 'POST', json: { choice: 'keep' } }),
      );
      expect(receipt).toMatchObject({ choice: 'keep', deleted: [] });
      for (const id of made.docs) expect((await f.request(`${T}/${id}`)).status).toBe(200);
      expect((await f.request(`${T}/_find`, { method: 'POST', json: {}, token: g.accessToken })).status).toBe(403);
    });

    it('tracks a deletion request for a recipient outside the space', async () => {
      const g = await activeGrant(
        f,
        testTerms({ storage: { kind: 'recipient', name: 'Budget Cloud SAS', country: 'FR' } }),
        {
          kind: 'client',
          id: 'budget-cloud',
          name: 'Budget Cloud',
          deletionEndpoint: 'https://budget.example/deletions',
        },
      );
      const { receipt } = await jsonBody(await f.request(`/api/grants/${g.id}/withdraw`, { method: 'POST', json: {} }));
      expect(receipt.remote).toMatchObject({ endpoint: 'https://budget.example/deletions', status: 'pending' });
      expect(Date.parse(receipt.remote.dueBy) - Date.parse(receipt.at)).toBe(30 * 24 * 3600 * 1000);
    });
  });
}

grantSuite('SQLite', async () => ({ cleanup: async () => {} }));
grantSuite('PostgreSQL', async () => {
  const pg = await makeTestPostgresStore();
  return { store: pg.store, cleanup: pg.cleanup };
});
