/**
 * Hosted mode serves many spaces from one process, told apart by the Host header. Whatever a
 * request carries (another space's token or cookie, the same document ids, a forwarded host),
 * it reaches only the space its host names. Run against SQLite and PostgreSQL.
 */
import { request, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSession, type BrowserSession } from '../testing/browser-session.js';
import type { JsonBody } from '../testing/json-body.js';
import { makeTestPostgresStore } from '../testing/postgres.js';
import { startTestFoyer, TEST_PASSPHRASE, type TestFoyer } from '../testing/test-foyer.js';
import type { DocumentStore } from '../storage/document-store.js';

interface HostResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: JsonBody;
}

interface HostRequest {
  method?: string;
  headers?: Record<string, string>;
  json?: unknown;
  body?: Buffer;
  /** Request target as sent on the wire (an absolute URL is allowed), when not `path`. */
  target?: string;
}

/** One request with the given Host header (fetch cannot set it), to the test server's port. */
function hostRequest(url: string, host: string, path: string, init: HostRequest = {}): Promise<HostResponse> {
  const { port } = new URL(url);
  const headers: Record<string, string> = { host, ...init.headers };
  let body = init.body;
  if (init.json !== undefined) {
    body = Buffer.from(JSON.stringify(init.json));
    headers['content-type'] = 'application/json';
  }
  if (body) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: init.method ?? 'GET', path: init.target ?? path, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const isJson = /json/.test(res.headers['content-type'] ?? '');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: isJson && text ? (JSON.parse(text) as JsonBody) : { text },
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A client bound to one host, sending `token` (if any) as a bearer token. */
function client(f: TestFoyer, host: string, token?: string) {
  const call = (method: string, path: string, init: HostRequest = {}) =>
    hostRequest(f.url, host, path, {
      ...init,
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...init.headers },
    });
  return {
    get: (path: string, init?: HostRequest) => call('GET', path, init),
    put: (path: string, json: unknown) => call('PUT', path, { json }),
    post: (path: string, json: unknown, init?: HostRequest) => call('POST', path, { ...init, json }),
    delete: (path: string) => call('DELETE', path),
    upload: (path: string, bytes: Buffer) =>
      call('POST', path, { body: bytes, headers: { 'content-type': 'text/plain' } }),
  };
}

const TX = '/api/data/bank.transaction';
const tx = (label: string, amount: number) => ({
  date: '2024-03-11T23:00:00Z',
  label,
  amount,
  currency: 'EUR',
  accountId: 'acc-1',
  type: 'card',
});
const CURVE = '/api/series/energy.electricity.load-curve';
const point = (t: string, powerW: number) => ({ usagePointId: '09123456789012', t, powerW });
const BOB_PASSPHRASE = 'bob has his own passphrase';

function isolationSuite(
  backend: string,
  openStore: () => Promise<{ store?: DocumentStore; cleanup(): Promise<void> }>,
) {
  describe(`hosted mode isolates spaces (${backend})`, () => {
    let f: TestFoyer;
    let cleanup: () => Promise<void>;
    let aliceToken: string;
    let bobToken: string;
    let alice: ReturnType<typeof client>;
    let bob: ReturnType<typeof client>;

    beforeAll(async () => {
      const opened = await openStore();
      cleanup = opened.cleanup;
      f = await startTestFoyer({
        env: { FOYER_MODE: 'hosted' },
        overrides: opened.store ? { documentStore: opened.store } : {},
      });
      await f.foyer.spaces.create('alice', ['alice.test']);
      await f.foyer.spaces.create('bob', ['bob.test']);
      aliceToken = await f.ownerToken('alice');
      await f.foyer.ownerAuth.init('bob', BOB_PASSPHRASE);
      bobToken = (await f.foyer.ownerAuth.createToken('bob', { label: 'tests' })).token;
      alice = client(f, 'alice.test', aliceToken);
      bob = client(f, 'bob.test', bobToken);
    });
    afterAll(async () => {
      await f.close();
      await cleanup();
    });

    it("refuses one space's token on another space's host", async () => {
      expect((await alice.get('/api/tokens')).status).toBe(200);
      const crossed = await client(f, 'bob.test', aliceToken).get('/api/tokens');
      expect(crossed.status).toBe(401);
      expect(crossed.body.error.code).toBe('invalid_token');
      expect((await client(f, 'alice.test', bobToken).put(`${TX}/intrusion`, tx('x', 1))).status).toBe(401);
      expect((await alice.get(`${TX}/intrusion`)).status).toBe(404);
    });

    it('keeps documents with the same id apart', async () => {
      const a = await alice.put(`${TX}/shared-id`, tx('alice', -10));
      const b = await bob.put(`${TX}/shared-id`, tx('bob', -20));
      // Both are creations: neither space sees the other's document.
      expect([a.status, b.status]).toEqual([201, 201]);
      expect((await alice.get(`${TX}/shared-id`)).body).toMatchObject({ label: 'alice', amount: -10 });
      expect((await bob.get(`${TX}/shared-id`)).body).toMatchObject({ label: 'bob', amount: -20 });

      // Alice's revision means nothing in Bob's space, and deleting hers leaves his.
      const stale = await bob.put(`${TX}/shared-id`, { ...tx('bob', -21), _rev: a.body.rev });
      expect(stale.status).toBe(409);
      expect((await alice.delete(`${TX}/shared-id?rev=${a.body.rev}`)).status).toBe(200);
      expect((await alice.get(`${TX}/shared-id`)).status).toBe(404);
      expect((await bob.get(`${TX}/shared-id`)).body).toMatchObject({ label: 'bob', amount: -20 });
    });

    it("never returns another space's documents from _find or _changes", async () => {
      const docs = (owner: string) =>
        Array.from({ length: 5 }, (_, i) => ({ ...tx(owner, -i - 1), _id: `${owner}-${i}` }));
      expect((await alice.post(`${TX}/_bulk`, { docs: docs('alice') })).status).toBe(201);
      expect((await bob.post(`${TX}/_bulk`, { docs: docs('bob') })).status).toBe(201);

      for (const [space, c, other] of [
        ['alice', alice, 'bob'],
        ['bob', bob, 'alice'],
      ] as const) {
        const found = await c.post(`${TX}/_find`, { selector: {}, limit: 1000 });
        expect(found.status).toBe(200);
        const labels = new Set(found.body.docs.map((d: { label: string }) => d.label));
        expect(labels).toEqual(new Set([space]));
        const targeted = await c.post(`${TX}/_find`, { selector: { label: other } });
        expect(targeted.body.docs).toEqual([]);

        const changes = await c.get(`${TX}/_changes?include_docs=true`);
        expect(changes.status).toBe(200);
        const ids = changes.body.results.map((r: { id: string }) => r.id) as string[];
        expect(ids.filter((id) => id.startsWith(`${other}-`))).toEqual([]);
        expect(ids.filter((id) => id.startsWith(`${space}-`)).sort()).toEqual(docs(space).map((d) => d._id));
        for (const r of changes.body.results) if (!r.deleted) expect(r.doc.label).toBe(space);
      }
    });

    it("keeps files apart: listing, metadata and content of another space's file are out of reach", async () => {
      const up = await alice.upload('/api/files?name=secret.txt&folder=/private', Buffer.from('alice only'));
      expect(up.status).toBe(201);
      const id = up.body.id as string;
      expect((await alice.get(`/api/files/${id}/content`)).body.text).toBe('alice only');

      expect((await bob.get('/api/files?folder=/private')).body.files).toEqual([]);
      expect((await bob.get('/api/files')).body.folders).not.toContain('/private');
      expect((await bob.get(`/api/files/${id}`)).status).toBe(404);
      expect((await bob.get(`/api/files/${id}/content`)).status).toBe(404);
      expect((await bob.delete(`/api/files/${id}`)).status).toBe(404);
      expect((await alice.get(`/api/files/${id}`)).status).toBe(200);
    });

    it('keeps time series apart, in reads, aggregates and deletes', async () => {
      const range = 'from=2024-01-15T00:00:00Z&to=2024-01-16T00:00:00Z';
      const alicePoints = [point('2024-01-15T17:00:00Z', 1000), point('2024-01-15T17:30:00Z', 3000)];
      expect((await alice.post(CURVE, { points: alicePoints })).status).toBe(200);
      expect((await bob.post(CURVE, { points: [point('2024-01-15T17:00:00Z', 7)] })).status).toBe(200);

      expect((await alice.get(`${CURVE}?${range}`)).body.points.map((p: { powerW: number }) => p.powerW)).toEqual([
        1000, 3000,
      ]);
      expect((await bob.get(`${CURVE}?${range}`)).body.points.map((p: { powerW: number }) => p.powerW)).toEqual([7]);
      const sum = await bob.get(`${CURVE}?${range}&every=day&agg=sum`);
      expect(sum.body.buckets.map((b: { value: number }) => b.value)).toEqual([7]);

      expect((await bob.delete(`${CURVE}?${range}`)).body.deleted).toBe(1);
      expect((await alice.get(`${CURVE}?${range}`)).body.points).toHaveLength(2);
    });

    it('never serves the owner-auth records through the data API', async () => {
      for (const doctype of ['foyer.token', 'foyer.session', 'foyer.owner']) {
        const res = await alice.post(`/api/data/${doctype}/_find`, { selector: {} });
        expect(res.status, doctype).toBe(404);
        expect(res.body.error.code).toBe('unknown_doctype');
      }
    });

    it('keeps token management apart: no listing or revoking across spaces', async () => {
      const aliceTokens = (await alice.get('/api/tokens')).body.tokens as { tokenId: string }[];
      const bobTokens = (await bob.get('/api/tokens')).body.tokens as { tokenId: string }[];
      const aliceIds = aliceTokens.map((t) => t.tokenId);
      expect(bobTokens.filter((t) => aliceIds.includes(t.tokenId))).toEqual([]);
      const res = await bob.delete(`/api/tokens/${aliceIds[0]}`);
      expect(res.status).toBe(404);
      expect((await alice.get('/api/tokens')).status).toBe(200);
    });

    it('answers 404 space_not_found to an unknown host, an IP address or an empty host', async () => {
      for (const host of ['carol.test', '127.0.0.1', 'alice.test.evil', '']) {
        const res = await client(f, host, aliceToken).get('/api/tokens');
        expect(res.status, host).toBe(404);
        expect(res.body.error.code).toBe('space_not_found');
      }
      const status = await hostRequest(f.url, 'carol.test', '/api/auth/status');
      expect(status.status).toBe(404);
      // Health needs no space.
      expect((await hostRequest(f.url, 'carol.test', '/api/health')).status).toBe(200);
    });

    it('matches host names whatever their case, port or trailing dot', async () => {
      for (const host of ['ALICE.test', 'alice.test:8443', 'alice.test.']) {
        expect((await client(f, host, aliceToken).get('/api/tokens')).status, host).toBe(200);
        expect((await client(f, host, bobToken).get('/api/tokens')).status, host).toBe(401);
      }
    });

    it("refuses a new space on a host another space uses, or another space's id", async () => {
      await expect(f.foyer.spaces.create('mallory', ['ALICE.test'])).rejects.toMatchObject({ code: 'conflict' });
      await expect(f.foyer.spaces.create('alice', ['mallory.test'])).rejects.toMatchObject({ code: 'conflict' });
      expect(await f.foyer.spaces.get('mallory')).toBeNull();
      expect((await alice.get('/api/tokens')).status).toBe(200);
      expect((await client(f, 'mallory.test', aliceToken).get('/api/tokens')).status).toBe(404);
    });

    it('takes the space from Host alone, not from X-Forwarded-Host or an absolute request target', async () => {
      const forwarded = await client(f, 'alice.test', bobToken).get('/api/tokens', {
        headers: { 'x-forwarded-host': 'bob.test' },
      });
      expect(forwarded.status).toBe(401);
      const absolute = await client(f, 'alice.test', bobToken).get('/api/tokens', {
        target: 'http://bob.test/api/tokens',
      });
      expect(absolute.status).toBe(401);
    });

    it("does not accept one space's session cookie on another space's host", async () => {
      const login = await hostRequest(f.url, 'alice.test', '/api/auth/login', {
        method: 'POST',
        json: { passphrase: TEST_PASSPHRASE },
      });
      expect(login.status).toBe(200);
      const s: BrowserSession = browserSession(login.headers['set-cookie'] ?? []);
      const withCookie = { headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken } };
      const onAlice = client(f, 'alice.test');
      const onBob = client(f, 'bob.test');

      expect((await onAlice.get('/api/tokens', withCookie)).status).toBe(200);
      expect((await onBob.get('/api/auth/status', withCookie)).body).toEqual({
        initialised: true,
        authenticated: false,
        via: null,
      });
      expect((await onBob.get('/api/tokens', withCookie)).status).toBe(401);
      const write = await onBob.post('/api/tokens', { label: 'planted' }, withCookie);
      expect(write.status).toBe(401);
      expect(((await bob.get('/api/tokens')).body.tokens as { label: string }[]).map((t) => t.label)).not.toContain(
        'planted',
      );
      // Alice's passphrase does not open Bob's space either.
      const wrongSpace = await hostRequest(f.url, 'bob.test', '/api/auth/login', {
        method: 'POST',
        json: { passphrase: TEST_PASSPHRASE },
      });
      expect(wrongSpace.status).toBe(401);
    });

    it("does not slow down one space's logins for failures on another", async () => {
      const attempt = (host: string, passphrase: string) =>
        hostRequest(f.url, host, '/api/auth/login', { method: 'POST', json: { passphrase } });
      let last = 0;
      for (let i = 0; i < 6; i++) last = (await attempt('alice.test', 'wrong wrong wrong')).status;
      expect(last).toBe(429);
      expect((await attempt('bob.test', BOB_PASSPHRASE)).status).toBe(200);
    });
  });
}

isolationSuite('SQLite', async () => ({ cleanup: async () => {} }));
isolationSuite('PostgreSQL', async () => {
  const pg = await makeTestPostgresStore();
  return { store: pg.store, cleanup: pg.cleanup };
});
