import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SPACE } from '../../core/spaces/space-service.js';
import type { LedgerEntry } from '../../core/ledger/ledger-entry.js';
import { manualClock } from '../../platform/clock.js';
import type { DocumentStore } from '../../storage/document-store.js';
import { activeGrant, testGrantee, testTerms } from '../../testing/grants.js';
import { jsonBody, type JsonBody } from '../../testing/json-body.js';
import { makeTestPostgresStore } from '../../testing/postgres.js';
import { startTestFoyer, type TestFoyer } from '../../testing/test-foyer.js';

type OpenStore = () => Promise<{ store?: DocumentStore; cleanup(): Promise<void> }>;

const NOW = Date.parse('2026-06-15T10:00:00.000Z');
const DAY = 86_400_000;

const tx = (date: string, over: Record<string, unknown> = {}) => ({
  date,
  label: 'CB BOULANGERIE',
  amount: -4.2,
  currency: 'EUR',
  accountId: 'acc-1',
  ...over,
});
const bill = (issueDate: string) => ({
  vendor: 'EDF',
  vendorCategory: 'energy',
  issueDate,
  totalAmount: 80,
  currency: 'EUR',
});

function retentionSuite(backend: string, openStore: OpenStore) {
  describe(`retention (${backend})`, () => {
    let f: TestFoyer;
    let cleanup: () => Promise<void>;
    const clock = manualClock(NOW);

    beforeAll(async () => {
      const opened = await openStore();
      cleanup = opened.cleanup;
      f = await startTestFoyer({
        overrides: { clock, ...(opened.store ? { documentStore: opened.store } : {}) },
      });
      await f.ownerToken();
    });
    afterAll(async () => {
      await f.close();
      await cleanup();
    });

    const ok = async (res: Response, status = 200): Promise<JsonBody> => {
      const body = await jsonBody(res);
      expect({ status: res.status, body }).toMatchObject({ status });
      return body;
    };
    const create = async (doctype: string, doc: unknown, token?: string): Promise<string> =>
      (await ok(await f.request(`/api/data/${doctype}`, { method: 'POST', json: doc, token }), 201)).id;
    const exists = async (doctype: string, id: string) =>
      (await f.request(`/api/data/${doctype}/${id}`)).status === 200;
    const setRetention = (doctype: string, retention: unknown) =>
      f.request(`/api/retention/${doctype}`, { method: 'PUT', json: { retention } });
    const run = async (): Promise<JsonBody> => ok(await f.request('/api/retention/run', { method: 'POST' }));
    const sweep = (report: JsonBody, doctype: string) =>
      (report.doctypes as JsonBody[]).find((d) => d.doctype === doctype)!;
    const systemEntries = async (since: number): Promise<LedgerEntry[]> =>
      (await f.foyer.documentStore.readLedger(DEFAULT_SPACE, { actorKind: 'system' }, 1000)).filter(
        (e) => e.seq > since,
      );
    const lastSeq = async () => (await f.foyer.documentStore.ledgerHead(DEFAULT_SPACE)).seq;

    it('lists every doctype with its default, the owner’s override and the effective retention', async () => {
      clock.set(NOW);
      const body = await ok(await f.request('/api/retention'));
      const byName = new Map((body.doctypes as JsonBody[]).map((d) => [d.doctype, d]));
      expect(byName.size).toBe(f.foyer.catalog.list().length);
      expect(byName.get('bank.transaction')).toEqual({
        doctype: 'bank.transaction',
        kind: 'document',
        default: 'P10Y',
        override: null,
        effective: 'P10Y',
        countsFrom: 'date',
      });
      expect(byName.get('contact')).toMatchObject({ default: 'P10Y', countsFrom: '_meta.updatedAt' });
      expect(byName.get('energy.electricity.load-curve')).toMatchObject({ kind: 'series', countsFrom: 't' });
    });

    it('lets the owner override a doctype’s retention, and null restores the default', async () => {
      clock.set(NOW);
      const set = await ok(await setRetention('telecom.call', 'P6M'));
      expect(set).toMatchObject({ doctype: 'telecom.call', default: 'P1Y', override: 'P6M', effective: 'P6M' });
      const listed = await ok(await f.request('/api/retention'));
      expect((listed.doctypes as JsonBody[]).find((d) => d.doctype === 'telecom.call')).toEqual(set);
      const back = await ok(await setRetention('telecom.call', null));
      expect(back).toMatchObject({ override: null, effective: 'P1Y' });
      const again = await ok(await f.request('/api/retention'));
      expect((again.doctypes as JsonBody[]).find((d) => d.doctype === 'telecom.call')).toEqual(back);
      // The owner's reads and changes of the settings are in the ledger.
      const entries = await f.foyer.documentStore.readLedger(DEFAULT_SPACE, { doctype: 'foyer.settings' }, 10);
      expect(entries.map((e) => [e.actorKind, e.verb, e.outcome]).reverse()).toEqual([
        ['owner', 'read', 'allowed'],
        ['owner', 'update', 'allowed'],
        ['owner', 'read', 'allowed'],
        ['owner', 'update', 'allowed'],
        ['owner', 'read', 'allowed'],
      ]);
    });

    it('keeps every change when the owner changes several doctypes at once', async () => {
      const names = ['telecom.call', 'telecom.data-usage', 'telecom.vod-view', 'calendar.event'];
      const answers = await Promise.all(names.map((name) => setRetention(name, 'P3Y')));
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      const listed = await ok(await f.request('/api/retention'));
      const overridden = (listed.doctypes as JsonBody[]).filter((d) => d.override !== null).map((d) => d.doctype);
      expect(overridden.sort()).toEqual([...names].sort());
      for (const name of names) await ok(await setRetention(name, null));
    });

    it('refuses bad durations, unknown doctypes and malformed bodies', async () => {
      for (const bad of ['two years', 'P', 'P1.5Y', 'P0D', 'PT1H', 'P5000Y']) {
        const res = await setRetention('bank.transaction', bad);
        expect(res.status).toBe(400);
        const { error } = await jsonBody(res);
        expect(error.code).toBe('validation_failed');
        expect(error.details.issues[0].path).toBe('/retention');
      }
      for (const body of [{ retention: 12 }, {}, { retention: 'P'.padEnd(41, '1') }]) {
        const res = await f.request('/api/retention/bank.transaction', { method: 'PUT', json: body });
        expect(res.status).toBe(400);
        expect((await jsonBody(res)).error.code).toBe('validation_failed');
      }
      const unknown = await setRetention('no.such', 'P1Y');
      expect(unknown.status).toBe(404);
      expect((await jsonBody(unknown)).error.code).toBe('unknown_doctype');
      expect((await setRetention('Not A Doctype', 'P1Y')).status).toBe(400);
      const listed = await ok(await f.request('/api/retention'));
      expect((listed.doctypes as JsonBody[]).every((d) => d.override === null)).toBe(true);
    });

    it('is the owner’s alone: a grantee gets owner_only, nobody gets anything without credentials', async () => {
      clock.set(NOW);
      const g = await activeGrant(f, testTerms({}, NOW), { ...testGrantee, id: 'curious-app' });
      for (const [method, path, json] of [
        ['GET', '/api/retention', undefined],
        ['PUT', '/api/retention/bank.transaction', { retention: 'P100Y' }],
        ['POST', '/api/retention/run', undefined],
      ] as const) {
        const denied = await f.request(path, { method, json, token: g.accessToken });
        expect(denied.status).toBe(403);
        expect((await jsonBody(denied)).error.code).toBe('owner_only');
        expect((await f.request(path, { method, json, token: null })).status).toBe(401);
      }
      await f.request(`/api/grants/${g.id}/withdraw`, { method: 'POST', json: {} });
    });

    it('deletes expired documents and keeps fresh ones, counting from their own date or their last update', async () => {
      clock.set(Date.parse('2014-01-01T00:00:00.000Z'));
      const staleContact = await create('contact', { displayName: 'Never touched since 2014' });
      const refreshed = await create('contact', { displayName: 'Refreshed' });
      clock.set(Date.parse('2025-01-01T00:00:00.000Z'));
      const current = await f.request(`/api/data/contact/${refreshed}`);
      const rev = (await jsonBody(current))._rev as string;
      await ok(
        await f.request(`/api/data/contact/${refreshed}`, {
          method: 'PUT',
          json: { displayName: 'Refreshed in 2025', _rev: rev },
        }),
      );
      clock.set(NOW);
      // P10Y before 2026-06-15T10:00Z is 2016-06-15T10:00Z: bills count by day, transactions by instant.
      const oldTx = await create('bank.transaction', tx('2016-06-15T09:59:59Z'));
      const edgeTx = await create('bank.transaction', tx('2016-06-15T10:00:00Z'));
      const oldBill = await create('bill', bill('2016-06-14'));
      const edgeBill = await create('bill', bill('2016-06-15'));
      const since = await lastSeq();

      const report = await run();
      expect(report).toMatchObject({ space: DEFAULT_SPACE, startedAt: new Date(NOW).toISOString() });
      expect(sweep(report, 'bank.transaction')).toMatchObject({
        kind: 'documents',
        retention: 'P10Y',
        source: 'default',
        countsFrom: 'date',
        before: '2016-06-15T10:00:00.000Z',
        deleted: 1,
      });
      expect(sweep(report, 'bill')).toMatchObject({ countsFrom: 'issueDate', before: '2016-06-15', deleted: 1 });
      expect(sweep(report, 'contact')).toMatchObject({ countsFrom: '_meta.updatedAt', deleted: 1 });
      expect(sweep(report, 'telecom.call')).toMatchObject({ deleted: 0, before: '2025-06-15T10:00:00.000Z' });
      expect(report.deleted).toBe(3);

      expect(await exists('bank.transaction', oldTx)).toBe(false);
      expect(await exists('bank.transaction', edgeTx)).toBe(true);
      expect(await exists('bill', oldBill)).toBe(false);
      expect(await exists('bill', edgeBill)).toBe(true);
      expect(await exists('contact', staleContact)).toBe(false);
      expect(await exists('contact', refreshed)).toBe(true);

      // One system entry per deleting request, none for doctypes where nothing expired.
      const entries = await systemEntries(since);
      expect(entries.map((e) => [e.doctype, e.verb, e.count, e.actorId, e.outcome, e.purpose]).sort()).toEqual([
        ['bank.transaction', 'delete', 1, 'retention', 'allowed', 'system'],
        ['bill', 'delete', 1, 'retention', 'allowed', 'system'],
        ['contact', 'delete', 1, 'retention', 'allowed', 'system'],
      ]);
      // The deletions are tombstones: the changes feed tells sync clients.
      const changes = await jsonBody(await f.request('/api/data/bill/_changes?since=0'));
      expect(changes.results).toContainEqual(expect.objectContaining({ id: oldBill, deleted: true }));

      const listed = await ok(await f.request('/api/retention'));
      expect(listed.lastRun).toEqual(report);
      // Nothing left to delete: a second run deletes nothing and writes no entry.
      const seq = await lastSeq();
      expect((await run()).deleted).toBe(0);
      expect(await systemEntries(seq)).toEqual([]);
    });

    it('applies the owner’s override over the default, and the default again once it is removed', async () => {
      clock.set(NOW);
      const visit = (start: string) => ({ start, end: start.replace('T10', 'T11'), lat: 45.76, lon: 4.85 });
      // P2Y by default: both stay. P1Y: the first one goes.
      const older = await create('location.visit', visit('2024-09-01T10:00:00Z'));
      const recent = await create('location.visit', visit('2025-09-01T10:00:00Z'));
      expect(sweep(await run(), 'location.visit')).toMatchObject({ retention: 'P2Y', source: 'default', deleted: 0 });
      await ok(await setRetention('location.visit', 'P1Y'));
      expect(sweep(await run(), 'location.visit')).toMatchObject({
        retention: 'P1Y',
        source: 'owner',
        before: '2025-06-15T10:00:00.000Z',
        deleted: 1,
      });
      expect(await exists('location.visit', older)).toBe(false);
      expect(await exists('location.visit', recent)).toBe(true);
      await ok(await setRetention('location.visit', null));
      const again = await create('location.visit', visit('2024-09-02T10:00:00Z'));
      expect(sweep(await run(), 'location.visit')).toMatchObject({ retention: 'P2Y', source: 'default', deleted: 0 });
      expect(await exists('location.visit', again)).toBe(true);
    });

    it('deletes series points past retention, and the roll-ups follow', async () => {
      clock.set(NOW);
      const curve = [
        '2023-06-15T09:00:00Z',
        '2023-06-15T09:30:00Z',
        '2023-06-15T10:00:00Z',
        '2023-06-15T10:30:00Z',
      ].map((t, i) => ({ usagePointId: '09123456789012', t, powerW: 1000 * (i + 1) }));
      await ok(
        await f.request('/api/series/energy.electricity.load-curve', { method: 'POST', json: { points: curve } }),
      );
      const water = ['2016-06-13', '2016-06-14', '2016-06-15', '2016-06-16'].map((date, i) => ({
        meterId: 'W0001',
        date,
        volumeLitres: 100 * (i + 1),
      }));
      await ok(await f.request('/api/series/water.daily', { method: 'POST', json: { points: water } }));
      const since = await lastSeq();

      const report = await run();
      expect(sweep(report, 'energy.electricity.load-curve')).toMatchObject({
        kind: 'points',
        retention: 'P3Y',
        countsFrom: 't',
        before: '2023-06-15T10:00:00.000Z',
        deleted: 2,
      });
      expect(sweep(report, 'water.daily')).toMatchObject({ before: '2016-06-15', deleted: 2 });

      const left = await ok(await f.request('/api/series/energy.electricity.load-curve?from=2023-06-01&to=2023-07-01'));
      expect(left.points.map((p: JsonBody) => p.t)).toEqual(['2023-06-15T10:00:00Z', '2023-06-15T10:30:00Z']);
      const hourly = await ok(
        await f.request('/api/series/energy.electricity.load-curve?from=2023-06-15&to=2023-06-16&every=day&agg=sum'),
      );
      expect(hourly.buckets).toEqual([{ key: '2023-06-15', value: 7000, count: 2 }]);
      const monthly = await ok(
        await f.request('/api/series/water.daily?from=2016-06-01&to=2016-07-01&every=month&agg=sum'),
      );
      expect(monthly.buckets).toEqual([{ key: '2016-06', value: 700, count: 2 }]);

      const entries = await systemEntries(since);
      expect(entries.map((e) => [e.doctype, e.verb, e.count]).sort()).toEqual([
        ['energy.electricity.load-curve', 'delete', 2],
        ['water.daily', 'delete', 2],
      ]);
    });

    it('deletes what a grantee created past its grant’s retention and keeps the owner’s own data', async () => {
      const start = Date.parse('2026-01-01T08:00:00.000Z');
      clock.set(start);
      const g = await activeGrant(
        f,
        testTerms(
          {
            scopes: [
              { doctype: 'bank.transaction', verbs: ['read', 'create'] },
              { doctype: 'water.daily', verbs: ['create'] },
              { doctype: 'foyer.file', verbs: ['create'] },
            ],
            retention: 'P30D',
          },
          start,
        ),
        { ...testGrantee, id: 'budget-helper' },
      );
      const own = await create('bank.transaction', tx('2025-12-31T10:00:00Z', { label: 'owner' }));
      const derived = await create('bank.transaction', tx('2025-12-31T10:00:00Z', { label: 'derived' }), g.accessToken);
      const file = await ok(
        await f.request('/api/files?name=summary.pdf', {
          method: 'POST',
          body: new Uint8Array([1, 2, 3]),
          headers: { 'content-type': 'application/pdf', authorization: `Bearer ${g.accessToken}` },
        }),
        201,
      );
      const points = ['2025-11-20', '2025-12-31'].map((date) => ({ meterId: 'G0001', date, volumeLitres: 50 }));
      await ok(await f.request('/api/series/water.daily', { method: 'POST', json: { points }, token: g.accessToken }));
      const ownPoint = [{ meterId: 'G0001', date: '2025-11-21', volumeLitres: 70 }];
      await ok(await f.request('/api/series/water.daily', { method: 'POST', json: { points: ownPoint } }));
      const pointDates = async () =>
        (await ok(await f.request('/api/series/water.daily?from=2025-11-01&to=2026-02-01&stream=G0001'))).points.map(
          (p: JsonBody) => p.date,
        );

      // 20 days on: the grant's documents are younger than 30 days; its point of 20 November is not.
      clock.set(start + 20 * DAY);
      let report = await run();
      let mine = (report.grants as JsonBody[]).find((x) => x.grant === g.id)!;
      expect(mine).toMatchObject({
        grantee: { kind: 'app', id: 'budget-helper' },
        retention: 'P30D',
        before: new Date(start - 10 * DAY).toISOString(),
        deleted: [{ doctype: 'water.daily', kind: 'points', count: 1 }],
      });
      expect(await pointDates()).toEqual(['2025-11-21', '2025-12-31']);
      expect(await exists('bank.transaction', derived)).toBe(true);

      clock.set(start + 45 * DAY);
      const since = await lastSeq();
      report = await run();
      mine = (report.grants as JsonBody[]).find((x) => x.grant === g.id)!;
      expect(mine.deleted).toEqual([
        { doctype: 'bank.transaction', kind: 'documents', count: 1 },
        { doctype: 'water.daily', kind: 'points', count: 1 },
        { doctype: 'foyer.file', kind: 'files', count: 1 },
      ]);
      expect(await exists('bank.transaction', derived)).toBe(false);
      expect(await exists('bank.transaction', own)).toBe(true);
      expect(await pointDates()).toEqual(['2025-11-21']);
      expect((await f.request(`/api/files/${file.id}`)).status).toBe(404);
      expect((await f.foyer.fileStore.list(DEFAULT_SPACE)).filter((k) => k.includes(file.id))).toEqual([]);

      const entries = await systemEntries(since);
      expect(entries.map((e) => [e.doctype, e.verb, e.count, e.actorId, e.grant]).sort()).toEqual([
        ['bank.transaction', 'delete', 1, 'retention', null],
        ['foyer.file', 'delete', 1, 'retention', null],
        ['water.daily', 'delete', 1, 'retention', null],
      ]);
      clock.set(NOW);
    });

    it('leaves what a withdrawn grant’s grantee made once the owner chose to keep it', async () => {
      const start = Date.parse('2026-02-01T08:00:00.000Z');
      clock.set(start);
      const g = await activeGrant(
        f,
        testTerms({ scopes: [{ doctype: 'bank.transaction', verbs: ['create'] }], retention: 'P7D' }, start),
        { ...testGrantee, id: 'kept-app' },
      );
      const kept = await create('bank.transaction', tx('2026-01-31T10:00:00Z', { label: 'kept' }), g.accessToken);
      await ok(await f.request(`/api/grants/${g.id}/withdraw`, { method: 'POST', json: { choice: 'keep' } }));
      clock.set(start + 30 * DAY);
      const report = await run();
      expect((report.grants as JsonBody[]).some((x) => x.grant === g.id)).toBe(false);
      expect(await exists('bank.transaction', kept)).toBe(true);
      clock.set(NOW);
    });
  });
}

retentionSuite('SQLite', async () => ({ cleanup: async () => {} }));
retentionSuite('PostgreSQL', async () => {
  const pg = await makeTestPostgresStore();
  return { store: pg.store, cleanup: pg.cleanup };
});
