import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFoyer, type TestFoyer } from '../../testing/test-foyer.js';
import { jsonBody, type JsonBody } from '../../testing/json-body.js';
import { copyTutorialApp, type TutorialCopy } from '../testing/app-fixtures.js';
import { createServiceScheduler } from './service-scheduler.js';
import { makeTestPostgresStore, type TestPostgresStore } from '../../testing/postgres.js';

const APP = 'big-spends';
const ALERT = 'app.big-spends.alert';
const tx = (amount: number, label: string, day = 11) => ({
  date: `2025-03-${day}T10:00:00Z`,
  label,
  amount,
  currency: 'EUR',
  accountId: 'acc-1',
});

for (const kind of ['sqlite', 'postgres'] as const)
  describe(`app services over the real server (${kind}): capability API through the gate, triggers, escapes`, () => {
    let f: TestFoyer;
    let copy: TutorialCopy;
    let pg: TestPostgresStore | undefined;

    beforeAll(async () => {
      copy = await copyTutorialApp();
      pg = kind === 'postgres' ? await makeTestPostgresStore() : undefined;
      f = await startTestFoyer({
        overrides: { appRegistryFile: copy.registryFile, ...(pg ? { documentStore: pg.store } : {}) },
      });
      await f.ownerToken();
      for (const t of [tx(-250, 'LOYER'), tx(-12, 'BOULANGERIE'), tx(-180, 'EDF')]) {
        await f.request('/api/data/bank.transaction', { method: 'POST', json: t });
      }
    });
    afterAll(async () => {
      await f?.close();
      await pg?.cleanup().catch(() => undefined);
    });

    const post = (path: string, json: unknown = {}) => f.request(path, { method: 'POST', json });
    const runService = async () => jsonBody(await post(`/api/apps/${APP}/services/flag/run`));
    async function installAndAccept(): Promise<void> {
      const view = await jsonBody(await post(`/api/apps/${APP}/install`));
      const grants = (view.installed.grants as JsonBody[]).map((g) => ({
        id: g.id,
        version: g.pending.version,
        consentHash: g.pending.consentHash,
      }));
      expect((await post(`/api/apps/${APP}/accept`, { language: 'en', grants })).status).toBe(200);
    }
    async function serviceEntries(): Promise<JsonBody[]> {
      return (await jsonBody(await f.request(`/api/ledger?grantee=service:${APP}/flag`))).entries as JsonBody[];
    }
    /** Replaces the service's code (a new build of the app on disk). */
    const serviceCode = (code: string) => writeFile(join(copy.dir, 'services', 'flag.ts'), code);
    /** A scheduler of this Foyer's apps whose clock reads `at` (default: now). */
    const scheduler = (at?: number) =>
      createServiceScheduler({
        listSpaces: () => f.foyer.spaces.list(),
        store: f.foyer.documentStore,
        clock: { now: () => at ?? Date.now() },
        apps: f.foyer.apps,
        runner: f.foyer.appServices,
        log: () => undefined,
      });

    it('does not run before the owner accepted', async () => {
      await post(`/api/apps/${APP}/install`);
      const res = await post(`/api/apps/${APP}/services/flag/run`);
      expect(res.status).toBe(403);
      expect((await jsonBody(res)).error.code).toBe('grant_inactive');
      await post(`/api/apps/${APP}/uninstall`, {});
    });

    it('runs the tutorial service: reads debits, writes alerts once, notifies; every access ledgered as the service', async () => {
      await installAndAccept();
      const run = await runService();
      expect(run).toMatchObject({ ok: true, trigger: { kind: 'manual' } });
      const alerts = await jsonBody(await post(`/api/data/${ALERT}/_find`, {}));
      expect((alerts.docs as JsonBody[]).map((d) => d.label).sort()).toEqual(['EDF', 'LOYER']);
      expect(alerts.docs[0]._meta).toBeUndefined();
      expect((await runService()).ok).toBe(true);
      expect((await jsonBody(await post(`/api/data/${ALERT}/_find`, {}))).docs).toHaveLength(2);
      const notices = await jsonBody(await f.request('/api/apps/notices'));
      expect(notices.notices[0]).toMatchObject({ app: APP, service: 'flag', message: { en: '2 new large debits' } });
      const entries = await serviceEntries();
      expect(entries.every((e) => e.actorKind === 'service' && e.actorId === `${APP}/flag`)).toBe(true);
      expect(
        entries.some((e) => e.doctype === 'bank.transaction' && e.verb === 'read' && e.outcome === 'allowed'),
      ).toBe(true);
      expect(entries.some((e) => e.doctype === ALERT && e.verb === 'create' && e.count === 1)).toBe(true);
      expect(entries.every((e) => e.purpose === 'personal-insight')).toBe(true);
    });

    it('runs on a change of a watched doctype, and not again without one', async () => {
      const passes = scheduler();
      await passes.pass();
      const before = (await f.foyer.appServices.state('default', APP, 'flag'))!.lastRun!.at;
      expect(await passes.pass()).toBe(0);
      await f.request('/api/data/bank.transaction', { method: 'POST', json: tx(-500, 'GARAGE', 12) });
      expect(await passes.pass()).toBe(1);
      const state = (await f.foyer.appServices.state('default', APP, 'flag'))!;
      expect(state.lastRun!.trigger).toEqual({ kind: 'change', doctype: 'bank.transaction' });
      expect(state.lastRun!.at >= before).toBe(true);
      expect((await jsonBody(await post(`/api/data/${ALERT}/_find`, {}))).docs).toHaveLength(3);
    });

    it('runs on its cron schedule once the minute has come, and at the time it asked for', async () => {
      const tomorrow = scheduler(Date.now() + 26 * 3600 * 1000);
      expect(await tomorrow.pass()).toBe(1);
      const state = (await f.foyer.appServices.state('default', APP, 'flag'))!;
      expect(state.lastRun!.trigger).toEqual({ kind: 'schedule', cron: '0 7 * * *' });
      await serviceCode(`
      declare const foyer: { schedule(at: string): Promise<void>; trigger: { kind: string } };
      export default async function run() {
        if (foyer.trigger.kind !== 'at') await foyer.schedule(new Date(Date.now() + 1500).toISOString());
      }
    `);
      expect((await runService()).ok).toBe(true);
      const now = scheduler();
      expect(await now.pass()).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 1600));
      expect(await now.pass()).toBe(1);
      const after = (await f.foyer.appServices.state('default', APP, 'flag'))!;
      expect(after.lastRun!.trigger).toEqual({ kind: 'at' });
      expect(after.nextAt).toBeNull();
      expect(await now.pass()).toBe(0);
    });

    it('denies and ledgers writes outside the grant; the run fails with the gate’s code', async () => {
      await serviceCode(`
      declare const foyer: { create(d: string, doc: object): Promise<unknown> };
      export default async function run() { await foyer.create('bank.transaction', { label: 'forged' }); }
    `);
      const run = await runService();
      expect(run).toMatchObject({ ok: false, error: expect.stringMatching(/^scope_denied: /) });
      const entries = await serviceEntries();
      expect(
        entries.some(
          (e) =>
            e.doctype === 'bank.transaction' &&
            e.verb === 'create' &&
            e.outcome === 'denied' &&
            e.code === 'scope_denied',
        ),
      ).toBe(true);
    });

    it('denies reading data outside the grant (another doctype), ledgered', async () => {
      await serviceCode(`
      declare const foyer: { query(d: string, q: object): Promise<unknown[]> };
      export default async function run() { await foyer.query('health.claim', {}); }
    `);
      expect((await runService()).error).toMatch(/^scope_denied: /);
      expect((await serviceEntries()).some((e) => e.doctype === 'health.claim' && e.outcome === 'denied')).toBe(true);
    });

    it('gives a service no network and no Node: fetch, require and process are not there', async () => {
      await serviceCode(`
      declare const foyer: { log(...v: unknown[]): void };
      export default async function run() {
        const g = globalThis as Record<string, unknown>;
        foyer.log([typeof g.fetch, typeof g.require, typeof g.process, typeof g.XMLHttpRequest].join(','));
        await (g.fetch as (u: string) => Promise<unknown>)('http://127.0.0.1:1/');
      }
    `);
      const run = await runService();
      expect(run.logs).toEqual(['undefined,undefined,undefined,undefined']);
      expect(run.ok).toBe(false);
    });

    it('refuses a service that imports a Node module, before running it', async () => {
      await serviceCode(
        `import { readFileSync } from 'node:fs'; export default async function run() { readFileSync('/etc/passwd'); }`,
      );
      const res = await post(`/api/apps/${APP}/services/flag/run`);
      expect(res.status).toBe(400);
      expect((await jsonBody(res)).error.message).toContain('imports node:fs');
    });

    it('stops an infinite loop at its time limit and a memory bomb at its memory limit', async () => {
      await serviceCode(`export default async function run() { for (;;) {} }`);
      const loop = await runService();
      expect(loop).toMatchObject({ ok: false, error: 'timeout' });
      expect(loop.durationMs).toBeLessThan(15_000);
      await serviceCode(
        `export default async function run() { const a: number[] = []; let i = 0; for (;;) a.push(i++); }`,
      );
      expect(await runService()).toMatchObject({ ok: false, error: 'memory' });
    });

    it('deletes what the service wrote when the app is uninstalled', async () => {
      const body = await jsonBody(await post(`/api/apps/${APP}/uninstall`, { choice: 'delete' }));
      const deleted = (body.receipts as JsonBody[]).flatMap((r) => r.deleted as JsonBody[]);
      expect(deleted.find((d) => d.doctype === ALERT)?.count).toBe(3);
      expect((await jsonBody(await post(`/api/data/${ALERT}/_find`, {}))).docs).toEqual([]);
    });
  });
