import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../platform/clock.js';
import { encodeMasterKey, generateMasterKey } from '../keys/master-keyring.js';
import { makeTestPostgresStore, type TestPostgresStore } from '../../testing/postgres.js';
import { startTestFoyer, type TestFoyer } from '../../testing/test-foyer.js';
import { createDocumentService } from '../documents/document-service.js';
import { FILE_DOCTYPE } from '../files/file-doctype.js';
import { createFileService } from '../files/file-service.js';
import { createGate } from '../gate.js';
import { createLedger } from '../ledger/ledger-service.js';
import { createSeriesService } from '../series/series-service.js';
import { DEFAULT_SPACE } from '../spaces/space-service.js';
import { createRetentionSettings, SETTINGS_DOCTYPE } from './retention-settings.js';
import { createRetentionJob } from './run-retention.js';

const NOW = Date.parse('2026-06-15T10:00:00.000Z');

const tx = (date: string) => ({ date, label: 'CB', amount: -1, currency: 'EUR', accountId: 'acc-1' });
const bill = (issueDate: string) => ({
  vendor: 'EDF',
  vendorCategory: 'energy',
  issueDate,
  totalAmount: 1,
  currency: 'EUR',
});

describe('the retention job', () => {
  const open: (TestFoyer | TestPostgresStore)[] = [];
  afterEach(async () => {
    for (const o of open.splice(0).reverse()) {
      if ('foyer' in o) await o.close();
      else await o.cleanup();
    }
  });

  it('reports a doctype whose deletion fails, with its error, and still sweeps the others', async () => {
    const clock = manualClock(NOW);
    const f = await startTestFoyer({ overrides: { clock } });
    open.push(f);
    await f.ownerToken();
    for (const [doctype, doc] of [
      ['bank.transaction', tx('2010-01-01T00:00:00Z')],
      ['bill', bill('2010-01-01')],
    ] as const) {
      expect((await f.request(`/api/data/${doctype}`, { method: 'POST', json: doc })).status).toBe(201);
    }
    // The same parts as the composition root's, but a gate that no longer governs bills: their
    // deletion fails as it would for any refused request.
    const { documentStore: store, catalog, spaces } = f.foyer;
    const { record } = createLedger({ store, clock, timeZoneOf: spaces.timeZoneOf });
    const governed = new Set([FILE_DOCTYPE, SETTINGS_DOCTYPE]);
    const gate = createGate({
      isGoverned: (d) => d !== 'bill' && (catalog.get(d) !== undefined || governed.has(d)),
      record,
    });
    const job = createRetentionJob({
      store,
      catalog,
      clock,
      timeZoneOf: spaces.timeZoneOf,
      settings: createRetentionSettings({ store, catalog, gate, clock }),
      documents: createDocumentService({ store, catalog, gate, clock }),
      series: createSeriesService({ store, catalog, gate, timeZoneOf: spaces.timeZoneOf }),
      files: createFileService({ store, fileStore: f.foyer.fileStore, gate, clock, maxFileBytes: 1024 }),
      record,
      log: () => {},
    });
    const report = await job.run(DEFAULT_SPACE);
    const bills = report.doctypes.find((d) => d.doctype === 'bill')!;
    expect(bills).toMatchObject({ deleted: 0, error: { code: 'unknown_doctype' } });
    expect(report.doctypes.find((d) => d.doctype === 'bank.transaction')).toMatchObject({ deleted: 1 });
    expect(report.doctypes.filter((d) => d.error)).toHaveLength(1);
    expect(report.deleted).toBe(1);
    const entries = await store.readLedger(DEFAULT_SPACE, { actorKind: 'system' }, 10);
    expect(entries.map((e) => [e.doctype, e.verb, e.count, e.outcome])).toEqual([
      ['bank.transaction', 'delete', 1, 'allowed'],
    ]);
  });

  it('claims a day’s run within one process: of two callers at once, one runs', async () => {
    const clock = manualClock(NOW);
    const f = await startTestFoyer({ overrides: { clock } });
    open.push(f);
    const results = await Promise.all([
      f.foyer.retention.runIfDue(DEFAULT_SPACE),
      f.foyer.retention.runIfDue(DEFAULT_SPACE),
    ]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(await f.foyer.retention.runIfDue(DEFAULT_SPACE)).toBeNull();
  });

  it('claims a day’s run across processes sharing one PostgreSQL: one runs, the other skips', async () => {
    const clock = manualClock(NOW);
    const first = await makeTestPostgresStore();
    open.push(first);
    const second = await makeTestPostgresStore({ schema: first.schema });
    // Closed by its Foyer; the schema is dropped with the first store.
    // Processes sharing a database share its master key (their data keys are wrapped under it).
    const env = { FOYER_MASTER_KEY: encodeMasterKey(generateMasterKey()) };
    const a = await startTestFoyer({ env, overrides: { clock, documentStore: first.store } });
    const b = await startTestFoyer({ env, overrides: { clock, documentStore: second.store } });
    open.push(a, b);
    for (let day = 0; day < 3; day++) {
      const results = await Promise.all([
        a.foyer.retention.runIfDue(DEFAULT_SPACE),
        b.foyer.retention.runIfDue(DEFAULT_SPACE),
      ]);
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      clock.advance(86_400_000);
    }
  });
});
