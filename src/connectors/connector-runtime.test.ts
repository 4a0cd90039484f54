/**
 * The connector runtime end to end: real Foyer over HTTP (SQLite and PostgreSQL), real worker
 * threads, the test holder on loopback. Install, consent, credentials, runs, history, errors.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { acceptGrant, activeGrant, testTerms } from '../testing/grants.js';
import { jsonBody } from '../testing/json-body.js';
import { overwriteRecord } from '../testing/key-stores.js';
import { INSTALLATION_DOCTYPE, type RunRecord } from './connector-records.js';
import {
  counted,
  startConnectorHarness,
  startConnectorHarnessOn,
  STORE_SETUPS,
  type ConnectorHarness,
} from './testing/connector-harness.js';
import { HOLDER_LOGIN, HOLDER_OTP } from './testing/test-holder.js';

for (const setup of STORE_SETUPS) {
  describe(`connector runs (${setup.name})`, () => {
    let h: ConnectorHarness;
    beforeEach(async () => {
      h = await startConnectorHarnessOn(setup);
    });
    afterEach(() => h.close());

    it('installs with a pending grant whose consent text names the holder, doctypes, purpose and retention', async () => {
      const { installation, grant } = await h.install('test-login', { accept: false, credentials: null });
      expect(installation).toMatchObject({ connector: 'test-login', origin: h.holder.url, cursor: null });
      expect(grant).toMatchObject({
        status: 'pending',
        grantee: { kind: 'connector', id: 'test-login', name: 'Test test-login', publisher: 'Test Holder' },
      });
      expect(grant.pending.consentText.en).toContain('The connector “Test test-login” (Test Holder)');
      expect(grant.pending.consentText.en).toContain('(bill): add, change');
      expect(grant.pending.consentText.en).toContain('Collect your bills and consumption.');
      expect(grant.pending.consentText.en).toContain('Kept by the grantee: 1 day');
      const listed = await jsonBody(await h.f.request('/api/connectors'));
      const mine = listed.connectors.find((c: { manifest: { id: string } }) => c.manifest.id === 'test-login');
      expect(mine.installed).toMatchObject({ grantStatus: 'pending', credentials: null, question: null });
      expect(mine.manifest.api).toBe(h.holder.url);
      expect(
        listed.connectors.find((c: { manifest: { id: string } }) => c.manifest.id === 'test-oauth').installed,
      ).toBe(null);
      const again = await h.f.request('/api/connectors/test-login/install', { method: 'POST', json: {} });
      expect(again.status).toBe(409);
    });

    it('collects through the gate under its grant, and a rerun creates nothing', async () => {
      const { grant } = await h.install('test-login');
      const first = await h.run('test-login');
      expect(first).toMatchObject({ outcome: 'succeeded', error: null, trigger: 'manual', backfill: false });
      expect(counted(first)).toEqual({ bill: [3, 0, 0, 0], 'energy.electricity.daily': [2, 0, 0, 0] });
      expect(first.calls).toEqual({ [new URL(h.holder.url).host]: { allowed: 4, denied: 0 } });
      expect(first.logs).toEqual(['3 bills, 2 days']);
      const bills = await h.documents('bill');
      expect(bills.map((b) => b.number)).toEqual(expect.arrayContaining(['F-001', 'F-002', 'F-003']));
      const one = await jsonBody(await h.f.request(`/api/data/bill/${bills[0]!._id}`));
      expect(one._meta).toMatchObject({
        createdBy: { kind: 'connector', id: 'test-login', grant: grant.id },
        source: { kind: 'connector', holder: 'Test Holder' },
        collectedAt: expect.any(String),
      });
      expect(await h.points('energy.electricity.daily')).toHaveLength(2);

      // Incremental: the cursor says where the last run stopped.
      const second = await h.run('test-login');
      expect(second.outcome).toBe('succeeded');
      expect(counted(second)).toEqual({});
      expect(h.holder.requests.filter((r) => r.path.startsWith('/api/bills')).map((r) => r.path)).toEqual([
        '/api/bills?since=0',
        '/api/bills?since=2',
        '/api/bills?since=3',
      ]);
      // A backfill reads everything again and still creates nothing.
      const backfill = await h.run('test-login', { backfill: true });
      expect(counted(backfill)).toEqual({ bill: [0, 0, 3, 0], 'energy.electricity.daily': [0, 0, 2, 0] });
      expect(await h.documents('bill')).toHaveLength(3);

      // The ledger: the writes as the connector under its grant, the calls per host.
      const entries = await h.ledger('&grantee=connector:test-login');
      const creates = entries.filter((e) => e.verb === 'create' && e.outcome === 'allowed');
      expect(creates.map((e) => [e.doctype, e.count, e.grant])).toEqual(
        expect.arrayContaining([
          ['bill', 3, grant.id],
          ['energy.electricity.daily', 2, grant.id],
        ]),
      );
      const calls = entries.filter((e) => e.doctype === `net:${new URL(h.holder.url).host}`);
      expect(calls.map((e) => [e.verb, e.count, e.outcome])).toEqual([
        ['read', 4, 'allowed'],
        ['read', 3, 'allowed'],
        ['read', 4, 'allowed'],
      ]);
      expect(calls.every((e) => e.purpose === 'data-collection' && /^[0-9a-f]{64}$/.test(e.idsDigest))).toBe(true);

      const runs = (await jsonBody(await h.f.request('/api/connectors/test-login/runs'))).runs as RunRecord[];
      expect(runs.map((r) => r.id)).toEqual([backfill.id, second.id, first.id]);
      expect(runs[0]).toEqual(backfill);
      expect(runs[2]!.durationMs).toBeGreaterThan(0);
    });

    it('adds only what is new the next day, leaves what the person changed or deleted, updates what the holder changed', async () => {
      await h.install('test-login');
      await h.run('test-login');
      h.holder.bills.push({ seq: 4, number: 'F-004', issued: '2024-04-05', amount: 52.1 });
      h.holder.days.push({ date: '2024-03-03', kwh: 9.75 });
      const next = await h.run('test-login');
      expect(counted(next)).toEqual({ bill: [1, 0, 0, 0], 'energy.electricity.daily': [1, 0, 0, 0] });

      const bills = await h.documents('bill');
      const [edited, removed] = [bills.find((b) => b.number === 'F-001')!, bills.find((b) => b.number === 'F-002')!];
      const put = await h.f.request(`/api/data/bill/${edited._id}`, {
        method: 'PUT',
        json: {
          ...Object.fromEntries(Object.entries(edited).filter(([k]) => !k.startsWith('_'))),
          label: 'mine',
          _rev: edited._rev,
        },
      });
      expect(put.status).toBe(200);
      const del = await h.f.request(`/api/data/bill/${removed._id}?rev=${removed._rev}`, { method: 'DELETE' });
      expect(del.status).toBe(200);
      h.holder.bills[2]!.amount = 50; // F-003 corrected by the holder
      h.holder.days[0]!.kwh = 11.75;
      const backfill = await h.run('test-login', { backfill: true });
      expect(counted(backfill)).toEqual({ bill: [0, 1, 1, 2], 'energy.electricity.daily': [0, 1, 2, 0] });
      const after = await h.documents('bill');
      expect(after.map((b) => b.number).sort()).toEqual(['F-001', 'F-003', 'F-004']);
      expect(after.find((b) => b.number === 'F-001')!.label).toBe('mine');
      expect(after.find((b) => b.number === 'F-003')!.totalAmount).toBe(50);
    });

    it('keeps the cursor and writes nothing when a run fails, then resumes from the same place', async () => {
      await h.install('test-login');
      await h.run('test-login');
      h.holder.bills.push({ seq: 4, number: 'F-004', issued: '2024-04-05', amount: 52.1 });
      h.holder.mode = 'format';
      const failed = await h.run('test-login');
      expect(failed).toMatchObject({
        outcome: 'failed',
        counts: {},
        error: { code: 'holder_format_changed', retry: 'next' },
      });
      expect(failed.error!.message).toContain('Test Holder changed the format of its data');
      expect(failed.error!.detail).toContain('totalAmount');
      expect(await h.documents('bill')).toHaveLength(3);
      const listed = await jsonBody(await h.f.request('/api/connectors'));
      const inst = listed.connectors.find(
        (c: { manifest: { id: string } }) => c.manifest.id === 'test-login',
      ).installed;
      expect(inst).toMatchObject({ cursor: { seq: 3, day: '2024-03-02' }, running: null, attention: null });
      expect(inst.lastRun).toMatchObject({ id: failed.id, outcome: 'failed', code: 'holder_format_changed' });
      h.holder.mode = 'ok';
      const resumed = await h.run('test-login');
      expect(counted(resumed)).toEqual({ bill: [1, 0, 0, 0] });
    });

    it('ends each failure in its documented state with an actionable message', async () => {
      await h.install('test-login');
      const cases: [typeof h.holder.mode, string, string][] = [
        ['down', 'holder_unavailable', 'backoff'],
        ['quota', 'quota', 'backoff'],
        ['terms', 'user_action_needed', 'person'],
        ['garbage', 'internal', 'backoff'],
      ];
      for (const [mode, code, retry] of cases) {
        h.holder.mode = mode;
        const run = await h.run('test-login');
        expect(run, mode).toMatchObject({ outcome: 'failed', error: { code, retry } });
        expect(run.error!.message.length).toBeGreaterThan(40);
        if (code === 'quota') expect(run.error!.retryAfterSeconds).toBe(120);
      }
      h.holder.mode = 'ok';
      expect(await h.documents('bill')).toEqual([]);

      // A wrong password: login_failed, and the installation waits for the person.
      await h.f.request('/api/connectors/test-login/credentials', {
        method: 'POST',
        json: { values: { ...HOLDER_LOGIN, password: 'wrong-password' } },
      });
      const refused = await h.run('test-login');
      expect(refused.error).toMatchObject({ code: 'login_failed', retry: 'person' });
      expect(refused.error!.message).toContain('Check your username and password');
      let inst = (await h.f.foyer.connectors.installations('default'))[0]!;
      expect(inst.attention).toMatchObject({ code: 'login_failed', run: refused.id });
      await h.f.request('/api/connectors/test-login/credentials', { method: 'POST', json: { values: HOLDER_LOGIN } });
      inst = (await h.f.foyer.connectors.installations('default'))[0]!;
      expect(inst.attention).toBe(null);
      expect(inst.actedAt).toEqual(expect.any(String));
      expect((await h.run('test-login')).outcome).toBe('succeeded');
    });

    it('asks for consent and credentials before anything: user_action_needed', async () => {
      await h.install('test-login', { accept: false, credentials: null });
      const pending = await h.run('test-login');
      expect(pending.error).toMatchObject({ code: 'user_action_needed' });
      expect(pending.error!.detail).toContain('consent');
      const grant = (await jsonBody(await h.f.request('/api/grants'))).grants[0];
      await acceptGrant(h.f, grant);
      const noLogin = await h.run('test-login');
      expect(noLogin.error).toMatchObject({ code: 'user_action_needed' });
      expect(noLogin.error!.detail).toContain('Enter your login');
      expect(h.holder.requests).toEqual([]);
    });

    it('asks the person for a second factor through the API, and fails at the deadline without an answer', async () => {
      await h.install('test-login');
      h.holder.mode = 'second-factor';
      const unanswered = await h.run('test-login');
      expect(unanswered.error).toMatchObject({ code: 'second_factor_needed', retry: 'person' });

      const running = h.run('test-login');
      let question: { prompt: string; deadline: string } | null = null;
      for (let i = 0; i < 100 && !question; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const listed = await jsonBody(await h.f.request('/api/connectors'));
        question = listed.connectors.find((c: { manifest: { id: string } }) => c.manifest.id === 'test-login').installed
          .question;
      }
      expect(question).toMatchObject({ prompt: 'Enter the code the holder sent you by SMS.' });
      const answered = await h.f.request('/api/connectors/test-login/second-factor', {
        method: 'POST',
        json: { answer: HOLDER_OTP },
      });
      expect(answered.status).toBe(204);
      expect(await running).toMatchObject({ outcome: 'succeeded' });
      const late = await h.f.request('/api/connectors/test-login/second-factor', {
        method: 'POST',
        json: { answer: '1' },
      });
      expect(late.status).toBe(409);
    });

    it('connects by OAuth at the holder (no password reaches Foyer), refreshes before each run, asks again when revoked', async () => {
      await h.install('test-oauth', { credentials: null });
      const refused = await h.f.request('/api/connectors/test-oauth/credentials', {
        method: 'POST',
        json: { values: HOLDER_LOGIN },
      });
      expect(refused.status).toBe(400);
      const { authorizationUrl } = await jsonBody(
        await h.f.request('/api/connectors/test-oauth/oauth/start', { method: 'POST' }),
      );
      const url = new URL(authorizationUrl);
      expect(url.origin).toBe(h.holder.url);
      expect(url.searchParams.get('code_challenge_method')).toBe('S256');
      // The person's browser: the holder sends it back to Foyer's callback.
      const back = await fetch(authorizationUrl, { redirect: 'manual' });
      const callback = new URL(back.headers.get('location')!);
      expect(callback.pathname).toBe('/api/connectors/test-oauth/oauth/callback');
      const forged = await fetch(`${h.f.url}${callback.pathname}?state=forged&code=x`);
      expect(forged.status).toBe(400);
      const done = await fetch(`${h.f.url}${callback.pathname}${callback.search}`);
      expect(done.status).toBe(200);
      expect(await done.text()).toContain('The connection is made');
      const replay = await fetch(`${h.f.url}${callback.pathname}${callback.search}`);
      expect(replay.status).toBe(400);

      const run = await h.run('test-oauth');
      expect(run).toMatchObject({ outcome: 'succeeded' });
      expect(h.holder.requests.some((r) => r.path === '/api/login')).toBe(false);
      expect(h.holder.requests.filter((r) => r.path === '/oauth/token')).toHaveLength(2);
      h.holder.refreshTokens.clear();
      const revoked = await h.run('test-oauth');
      expect(revoked.error).toMatchObject({ code: 'user_action_needed', retry: 'person' });
    });

    it('refuses an undeclared host, records the refusal in the ledger, writes nothing', async () => {
      await h.install('bad-undeclared-host');
      const run = await h.run('bad-undeclared-host');
      const port = new URL(h.holder.url).port;
      expect(run.error).toMatchObject({ code: 'not_allowed' });
      expect(run.error!.detail).toContain(`127.0.0.2:${port}`);
      expect(run.calls).toEqual({ [`127.0.0.2:${port}`]: { allowed: 0, denied: 1 } });
      const denied = await h.ledger('&outcome=denied');
      expect(denied).toMatchObject([
        {
          actorKind: 'connector',
          actorId: 'bad-undeclared-host',
          doctype: `net:127.0.0.2:${port}`,
          code: 'host_not_allowed',
        },
      ]);
      expect(await h.documents('bill')).toEqual([]);
      expect(h.holder.requests).toEqual([]);
    });

    it('refuses a write outside the grant (scope_denied in the ledger) and writes nothing at all', async () => {
      await h.install('bad-outside-grant');
      const run = await h.run('bad-outside-grant');
      expect(run.error).toMatchObject({ code: 'not_allowed' });
      expect(run.error!.detail).toContain('bank.transaction');
      expect(run.error!.detail).toContain('scope_denied');
      expect(await h.ledger('&outcome=denied&doctype=bank.transaction')).toMatchObject([
        { actorKind: 'connector', verb: 'create', code: 'scope_denied' },
      ]);
      expect(await h.documents('bill')).toEqual([]);
      expect(await h.documents('bank.transaction')).toEqual([]);
    });

    it('keeps credentials out of the run history, the ledger, the logs and every answer', async () => {
      await h.install('bad-leaky');
      const run = await h.run('bad-leaky');
      expect(run.error).toMatchObject({ code: 'internal' });
      expect(run.error!.detail).toContain('[masked]');
      expect(run.logs.join('\n')).toContain('[masked]');
      const everything = [
        JSON.stringify(run),
        JSON.stringify(await jsonBody(await h.f.request('/api/connectors/bad-leaky/runs'))),
        JSON.stringify(await jsonBody(await h.f.request('/api/connectors'))),
        JSON.stringify(await h.ledger()),
        h.logged.join('\n'),
      ].join('\n');
      const basic = Buffer.from(`${HOLDER_LOGIN.username}:${HOLDER_LOGIN.password}`).toString('base64');
      for (const secret of [HOLDER_LOGIN.password, basic, encodeURIComponent(HOLDER_LOGIN.password)]) {
        expect(everything).not.toContain(secret);
      }
    });

    it('streams progress as server-sent events, ending with the run', async () => {
      await h.install('test-login');
      const res = await h.f.request('/api/connectors/test-login/run', {
        method: 'POST',
        json: {},
        headers: { accept: 'text/event-stream' },
      });
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      const events = (await res.text())
        .trim()
        .split('\n\n')
        .map((block) => {
          const [event, data] = block.split('\n');
          return { event: event!.slice('event: '.length), data: JSON.parse(data!.slice('data: '.length)) };
        });
      expect(events.map((e) => e.event)).toEqual(['started', 'progress', 'progress', 'done']);
      expect(events[1]!.data).toEqual({ type: 'progress', done: 2, total: 3, message: 'bills' });
      expect(events[2]!.data).toMatchObject({ done: 3, total: 3 });
      expect(events[3]!.data.run).toMatchObject({ outcome: 'succeeded', id: events[0]!.data.run });
    });

    it('runs one at a time per connector, and only for the owner', async () => {
      await h.install('test-login');
      h.holder.mode = 'second-factor';
      const first = h.run('test-login');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const second = await h.f.request('/api/connectors/test-login/run', { method: 'POST', json: {} });
      expect(second.status).toBe(409);
      expect(await first).toMatchObject({ error: { code: 'second_factor_needed' } });

      const app = await activeGrant(h.f, testTerms());
      for (const [path, method] of [
        ['/api/connectors', 'GET'],
        ['/api/connectors/test-login/run', 'POST'],
        ['/api/connectors/test-login/runs', 'GET'],
      ] as const) {
        const res = await h.f.request(path, {
          method,
          token: app.accessToken,
          ...(method === 'POST' ? { json: {} } : {}),
        });
        expect(res.status, path).toBe(403);
      }
      expect((await h.f.request('/api/connectors', { token: null })).status).toBe(401);
    });

    it('asks consent again when a new version of the connector wants more, and goes on once accepted', async () => {
      const { grant } = await h.install('test-login');
      const system = { space: 'default', principal: { kind: 'system' as const, reason: 'test' } };
      // As if installed by version 0.9.0, which wrote bills only.
      const active = (await h.f.foyer.grants.get(system, grant.id)).active!;
      await h.f.foyer.grants.propose(system, grant.id, { ...active.terms, scopes: [active.terms.scopes[0]!] });
      const [inst] = await h.f.foyer.connectors.installations('default');
      await overwriteRecord(h.f.foyer.documentStore, 'default', INSTALLATION_DOCTYPE, 'test-login', {
        ...inst,
        version: '0.9.0',
      });
      for (let i = 0; i < 2; i++) {
        const run = await h.run('test-login');
        expect(run.error).toMatchObject({ code: 'user_action_needed', retry: 'person' });
        expect(run.error!.detail).toContain('Test test-login 1.0.0 asks for new terms');
      }
      const asked = await h.f.foyer.grants.get(system, grant.id);
      expect(asked.pending).toMatchObject({ version: 3 });
      expect(await h.documents('bill')).toEqual([]);
      await acceptGrant(h.f, asked);
      expect(await h.run('test-login')).toMatchObject({ outcome: 'succeeded', version: '1.0.0' });
      expect((await h.f.foyer.connectors.installations('default'))[0]!.version).toBe('1.0.0');
    });

    it('uninstalls: the grant is withdrawn, the login forgotten, the collected data kept unless asked', async () => {
      const { grant } = await h.install('test-login');
      await h.run('test-login');
      const res = await h.f.request('/api/connectors/test-login?choice=delete', { method: 'DELETE' });
      expect(res.status).toBe(200);
      const { receipt } = await jsonBody(res);
      expect(receipt.deleted).toEqual(
        expect.arrayContaining([
          { doctype: 'bill', kind: 'documents', count: 3 },
          { doctype: 'energy.electricity.daily', kind: 'points', count: 2 },
        ]),
      );
      expect(await h.documents('bill')).toEqual([]);
      expect(await h.f.foyer.vault.list('default')).toEqual([]);
      expect((await jsonBody(await h.f.request(`/api/grants/${grant.id}`))).status).toBe('withdrawn');
      expect((await h.f.request('/api/connectors/test-login/run', { method: 'POST', json: {} })).status).toBe(404);
      // Installed again: a new grant to accept.
      const again = await h.install('test-login', { accept: false, credentials: null });
      expect(again.grant.id).not.toBe(grant.id);
    });
  });
}

describe('connector run validation', () => {
  let h: ConnectorHarness;
  beforeAll(async () => {
    h = await startConnectorHarness();
    await h.install('test-login', { accept: false, credentials: null });
    await h.install('test-oauth', { accept: false, credentials: null });
  });
  afterAll(() => h.close());

  it('answers bad requests with their error', async () => {
    const cases: [string, RequestInit & { json?: unknown }, number, string][] = [
      ['/api/connectors/nope/install', { method: 'POST', json: {} }, 404, 'not_found'],
      ['/api/connectors/Bad_Id/install', { method: 'POST', json: {} }, 400, 'validation_failed'],
      ['/api/connectors/test-login/install', { method: 'POST', json: { extra: 1 } }, 400, 'validation_failed'],
      [
        '/api/connectors/test-login/credentials',
        { method: 'POST', json: { values: { username: 'a' } } },
        400,
        'validation_failed',
      ],
      [
        '/api/connectors/test-login/credentials',
        { method: 'POST', json: { values: { ...HOLDER_LOGIN, pin: '1234' } } },
        400,
        'validation_failed',
      ],
      ['/api/connectors/test-login/credentials', { method: 'POST', json: { values: 'x' } }, 400, 'validation_failed'],
      ['/api/connectors/test-login/oauth/start', { method: 'POST' }, 400, 'bad_request'],
      ['/api/connectors/test-login/run', { method: 'POST', json: { backfill: 'yes' } }, 400, 'validation_failed'],
      ['/api/connectors/test-login/runs?limit=0', {}, 400, 'validation_failed'],
      ['/api/connectors/test-login/second-factor', { method: 'POST', json: { answer: '1' } }, 409, 'conflict'],
      ['/api/connectors/bad-crash/run', { method: 'POST', json: {} }, 404, 'not_found'],
      ['/api/connectors/bad-crash/credentials', { method: 'POST', json: { values: HOLDER_LOGIN } }, 404, 'not_found'],
      ['/api/connectors/test-oauth/oauth/callback?code=x', {}, 400, 'validation_failed'],
    ];
    for (const [path, init, status, code] of cases) {
      const res = await h.f.request(path, init);
      expect(res.status, path).toBe(status);
      expect((await jsonBody(res)).error.code, path).toBe(code);
    }
    for (const origin of ['ftp://x', 'http://127.0.0.1:1/path', 'not a url']) {
      const res = await h.f.request('/api/connectors/bad-crash/install', { method: 'POST', json: { origin } });
      expect(res.status, origin).toBe(400);
    }
  });
});
