import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFoyer, type TestFoyer } from '../testing/test-foyer.js';
import { jsonBody, type JsonBody } from '../testing/json-body.js';
import { createFoyerClient, FoyerApiError } from '../sdk/client.js';
import { copyTutorialApp, type TutorialCopy } from './testing/app-fixtures.js';
import { makeTestPostgresStore, type TestPostgresStore } from '../testing/postgres.js';

const APP = 'big-spends';
const ALERT = 'app.big-spends.alert';
const tx = (amount: number, label: string) => ({
  date: '2025-03-11T10:00:00Z',
  label,
  amount,
  currency: 'EUR',
  accountId: 'acc-1',
});

for (const kind of ['sqlite', 'postgres'] as const)
  describe(`apps: install with consent, update, uninstall (HTTP API, ${kind})`, () => {
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
        expect((await f.request('/api/data/bank.transaction', { method: 'POST', json: t })).status).toBe(201);
      }
    });
    afterAll(async () => {
      await f?.close();
      await pg?.cleanup().catch(() => undefined);
    });

    const app = async (): Promise<JsonBody> => jsonBody(await f.request(`/api/apps/${APP}`));
    const post = (path: string, json: unknown = {}) => f.request(path, { method: 'POST', json });
    /** Accepts every pending grant of the app, with the texts' hashes, as the Apps screen does. */
    async function acceptAll(): Promise<JsonBody> {
      const view = await app();
      const grants = (view.installed.grants as JsonBody[])
        .filter((g) => g.pending)
        .map((g) => ({ id: g.id, version: g.pending.version, consentHash: g.pending.consentHash }));
      const res = await post(`/api/apps/${APP}/accept`, { language: 'fr', grants });
      expect(res.status).toBe(200);
      return jsonBody(res);
    }
    async function appClient() {
      const session = await jsonBody(await post(`/api/apps/${APP}/session`));
      const tokenOf = (doctype: string) =>
        (session.grants as JsonBody[]).find((g) => (g.doctypes as string[]).includes(doctype))?.accessToken ??
        session.grants[0].accessToken;
      return { session, client: createFoyerClient({ baseUrl: f.url, token: tokenOf }) };
    }
    const denial = (p: Promise<unknown>) =>
      p.then(
        () => {
          throw new Error('allowed');
        },
        (e: unknown) => {
          expect(e).toBeInstanceOf(FoyerApiError);
          return (e as FoyerApiError).code;
        },
      );

    it('lists the registry apps, not installed', async () => {
      const body = await jsonBody(await f.request('/api/apps'));
      const found = (body.apps as JsonBody[]).find((a) => a.id === APP)!;
      expect(found).toMatchObject({ name: 'Big spends', version: '1.0.0', web: true, installed: null });
      expect(found.services[0].triggers).toHaveLength(2);
    });

    it('installs as pending: the grant shows data, purpose, storage, retention and validity; nothing works yet', async () => {
      const res = await post(`/api/apps/${APP}/install`);
      expect(res.status).toBe(201);
      const view = await jsonBody(res);
      expect(view.installed.status).toBe('pending');
      expect(view.installed.services).toEqual([]);
      const grant = view.installed.grants[0];
      expect(grant.status).toBe('pending');
      expect(grant.grantee).toMatchObject({ kind: 'app', id: APP, name: 'Big spends', publisher: 'Foyer tutorial' });
      const terms = grant.pending.terms;
      expect(terms.scopes.map((s: JsonBody) => s.doctype)).toEqual(['bank.transaction', ALERT]);
      expect(terms).toMatchObject({
        purpose: { code: 'personal-insight' },
        storage: { kind: 'space' },
        retention: 'P1Y',
      });
      expect(Date.parse(terms.validUntil)).toBeGreaterThan(Date.now() + 360 * 24 * 3600 * 1000);
      expect(grant.pending.consentText.fr).toContain('Gros débit');
      const session = await post(`/api/apps/${APP}/session`);
      expect(session.status).toBe(403);
      expect((await jsonBody(session)).error.code).toBe('grant_inactive');
    });

    it('refuses a second install, an unknown app and a bad accept', async () => {
      expect((await post(`/api/apps/${APP}/install`)).status).toBe(409);
      const unknown = await post('/api/apps/no-such-app/install');
      expect(unknown.status).toBe(404);
      expect((await post('/api/apps/NOT_AN_ID/install')).status).toBe(400);
      const view = await app();
      const g = view.installed.grants[0];
      const stale = await post(`/api/apps/${APP}/accept`, {
        language: 'en',
        grants: [{ id: g.id, version: g.pending.version, consentHash: '0'.repeat(64) }],
      });
      expect(stale.status).toBe(409);
      expect((await jsonBody(stale)).error.code).toBe('consent_changed');
      const other = await post(`/api/apps/${APP}/accept`, {
        language: 'en',
        grants: [{ id: 'someone-else', version: 1, consentHash: g.pending.consentHash }],
      });
      expect(other.status).toBe(400);
      const malformed = await post(`/api/apps/${APP}/accept`, { language: 'de', grants: [] });
      expect(malformed.status).toBe(400);
    });

    it('once accepted, the app reads and writes within its grant only, and its denials are ledgered', async () => {
      const view = await acceptAll();
      expect(view.installed.status).toBe('active');
      expect(view.installed.services.map((s: JsonBody) => s.name)).toEqual(['flag']);
      const { session, client } = await appClient();
      expect(session.grants).toHaveLength(1);
      expect(session.grants[0].doctypes).toEqual(['bank.transaction', ALERT]);
      expect(JSON.stringify(session)).not.toContain('foyer_rt_');
      const debits = await client.documents('bank.transaction').all({ selector: { amount: { $lt: -100 } } });
      expect(debits.map((d) => d.label).sort()).toEqual(['EDF', 'LOYER']);
      const created = await client.documents(ALERT).create({
        transactionId: debits[0]!._id,
        date: '2025-03-11T10:00:00Z',
        label: 'LOYER',
        amount: -250,
      });
      expect(created.ok).toBe(true);
      expect(await denial(client.documents('energy.contract').find())).toBe('scope_denied');
      expect(await denial(client.documents('bank.transaction').create(tx(-1, 'X')))).toBe('scope_denied');
      expect(await denial(client.documents(ALERT).create({ transactionId: 'x' }))).toBe('validation_failed');
      const appToken = session.grants[0].accessToken as string;
      const owner = await f.request(`/api/apps`, { token: appToken });
      expect((await jsonBody(owner)).error.code).toBe('owner_only');
      const ledger = await jsonBody(await f.request(`/api/ledger?grantee=app:${APP}`));
      const entries = ledger.entries as JsonBody[];
      expect(
        entries.some((e) => e.outcome === 'denied' && e.doctype === 'energy.contract' && e.code === 'scope_denied'),
      ).toBe(true);
      expect(entries.some((e) => e.outcome === 'allowed' && e.doctype === ALERT && e.verb === 'create')).toBe(true);
    });

    it('applies a narrower update at once and asks again for a wider one, the old terms working meanwhile', async () => {
      await copy.edit((m) => {
        m.version = '1.1.0';
        m.scopes[1]!.verbs = ['read', 'create', 'delete'];
      });
      const narrowed = await jsonBody(await post(`/api/apps/${APP}/update`));
      expect(narrowed.installed).toMatchObject({ status: 'active', version: '1.1.0', pending: null });
      expect(narrowed.installed.grants[0].scopes[1].verbs).toEqual(['read', 'create', 'delete']);

      await copy.edit((m) => {
        m.version = '1.2.0';
        m.scopes.push({
          doctype: 'energy.contract',
          verbs: ['read'],
          purpose: 'personal-insight',
          retention: 'P1Y',
          reason: { en: 'to flag large energy bills', fr: 'pour repérer les grosses factures' },
        });
      });
      const widened = await jsonBody(await post(`/api/apps/${APP}/update`));
      expect(widened.installed.status).toBe('update-pending');
      expect(widened.installed.version).toBe('1.1.0');
      expect(widened.installed.pending.version).toBe('1.2.0');
      const { client } = await appClient();
      expect(await denial(client.documents('energy.contract').find())).toBe('scope_denied');
      expect((await client.documents(ALERT).find()).docs).toHaveLength(1);
      const accepted = await acceptAll();
      expect(accepted.installed).toMatchObject({ status: 'active', version: '1.2.0', pending: null });
      const after = await appClient();
      expect((await after.client.documents('energy.contract').find()).docs).toEqual([]);
    });

    it('asks again for a new verb, and for a new purpose (its own grant), the app working meanwhile', async () => {
      await copy.edit((m) => {
        m.version = '1.2.1';
        m.scopes[1]!.verbs = ['read', 'create', 'update', 'delete'];
      });
      const verb = await jsonBody(await post(`/api/apps/${APP}/update`));
      expect(verb.installed.status).toBe('update-pending');
      expect(verb.installed.grants[0].pending.terms.scopes[1].verbs).toContain('update');
      await acceptAll();

      await copy.edit((m) => {
        m.version = '1.2.2';
        m.scopes[0]!.purpose = 'service-provision';
        m.purposes['service-provision'] = { en: 'to list your debits', fr: 'pour lister vos débits' };
      });
      const purpose = await jsonBody(await post(`/api/apps/${APP}/update`));
      expect(purpose.installed.status).toBe('update-pending');
      const grants = purpose.installed.grants as JsonBody[];
      expect(grants).toHaveLength(2);
      const asked = grants.find((g) => g.status === 'pending')!;
      expect(asked.pending.terms.purpose.code).toBe('service-provision');
      expect(asked.pending.terms.scopes.map((x: JsonBody) => x.doctype)).toEqual(['bank.transaction']);
      // Until then the old grant still reads the transactions under its old purpose.
      const { client } = await appClient();
      expect((await client.documents('bank.transaction').find()).docs.length).toBe(3);
      const accepted = await acceptAll();
      expect(accepted.installed).toMatchObject({ status: 'active', version: '1.2.2' });
      const inForce = (accepted.installed.grants as JsonBody[]).map((g) => [
        g.active.terms.purpose.code,
        g.scopes.map((x: JsonBody) => x.doctype),
      ]);
      expect(inForce).toEqual([
        ['service-provision', ['bank.transaction']],
        ['personal-insight', [ALERT, 'energy.contract']],
      ]);
    });

    it('asks again for a new service trigger, and for a longer retention', async () => {
      await copy.edit((m) => {
        m.version = '1.3.0';
        m.services[0]!.triggers.push({ kind: 'schedule', cron: '0 19 * * *' });
      });
      const asked = await jsonBody(await post(`/api/apps/${APP}/update`));
      expect(asked.installed.status).toBe('update-pending');
      expect(asked.installed.services[0].triggers).toHaveLength(2);
      const accepted = await acceptAll();
      expect(accepted.installed.services[0].triggers).toHaveLength(3);

      await copy.edit((m) => {
        m.version = '1.4.0';
        for (const s of m.scopes) s.retention = 'P2Y';
      });
      const longer = await jsonBody(await post(`/api/apps/${APP}/update`));
      expect(longer.installed.status).toBe('update-pending');
      const [grant] = longer.installed.grants as JsonBody[];
      // The same grant, asked again; the shorter terms stay in force until the owner accepts.
      expect(grant).toMatchObject({ status: 'active', active: { terms: { retention: 'P1Y' } } });
      expect(grant!.pending.terms.retention).toBe('P2Y');
      await acceptAll();
    });

    it('uninstalls as a withdrawal: what the app created is deleted, with the receipt, and its tokens die', async () => {
      const { client } = await appClient();
      await client
        .documents(ALERT)
        .create({ transactionId: 't2', date: '2025-03-12T10:00:00Z', label: 'EDF', amount: -180 });
      const owned = await jsonBody(await post(`/api/data/${ALERT}/_find`, {}));
      expect(owned.docs.length).toBeGreaterThanOrEqual(1);
      const res = await post(`/api/apps/${APP}/uninstall`, { choice: 'delete' });
      expect(res.status).toBe(200);
      const body = await jsonBody(res);
      const deleted = (body.receipts as JsonBody[]).flatMap((r) => r.deleted as JsonBody[]);
      expect(deleted.filter((d) => d.doctype === ALERT).reduce((n, d) => n + d.count, 0)).toBe(owned.docs.length);
      expect((await jsonBody(await post(`/api/data/${ALERT}/_find`, {}))).docs).toEqual([]);
      expect(await denial(client.documents(ALERT).find())).toMatch(/invalid_token|grant_inactive/);
      expect((await app()).installed).toBeNull();
      expect((await post(`/api/apps/${APP}/uninstall`, {})).status).toBe(404);
    });

    it('keeps what the app created when the owner chooses keep', async () => {
      expect((await post(`/api/apps/${APP}/install`)).status).toBe(201);
      await acceptAll();
      const { client } = await appClient();
      await client
        .documents(ALERT)
        .create({ transactionId: 't3', date: '2025-03-13T10:00:00Z', label: 'LOYER', amount: -250 });
      const body = await jsonBody(await post(`/api/apps/${APP}/uninstall`, { choice: 'keep' }));
      expect(body.receipts[0].choice).toBe('keep');
      expect((await jsonBody(await post(`/api/data/${ALERT}/_find`, {}))).docs).toHaveLength(1);
    });
  });
