/**
 * The security matrix of the consent issue: every way a grantee (or a stranger) may try to reach
 * data it was not given. Each case expects its documented error, a `denied` entry in the ledger,
 * and no leak: the answer carries nothing of the data it was refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../platform/clock.js';
import { browserSession } from '../testing/browser-session.js';
import { activeGrant, requestGrant, testGrantee, testTerms, type TestGrant } from '../testing/grants.js';
import { jsonBody } from '../testing/json-body.js';
import { startTestFoyer, TEST_PASSPHRASE, type TestFoyer } from '../testing/test-foyer.js';
import { DEFAULT_SPACE } from '../core/spaces/space-service.js';
import type { LedgerEntry } from '../core/ledger/ledger-entry.js';
import { transaction, TRANSACTIONS } from '../testing/transactions.js';

const T = TRANSACTIONS;
const SECRET = 'SECRET-NOTE-7731';
const tx = transaction;

describe('security matrix', () => {
  const clock = manualClock(Date.UTC(2026, 10, 24, 12));
  let f: TestFoyer;
  let g: TestGrant;
  let hidden: string;

  /** The ledger entries written since `mark` (a seq). */
  const entriesSince = async (mark: number): Promise<LedgerEntry[]> =>
    await f.foyer.documentStore.scanLedger(DEFAULT_SPACE, mark, 1000);
  const head = async () => (await f.foyer.documentStore.ledgerHead(DEFAULT_SPACE)).seq;

  /** Runs a request; expects its status and code, one denied entry with that code, and no secret in the answer. */
  async function refused(
    what: string,
    send: () => Promise<Response>,
    status: number,
    code: string,
    ledgerCode: string = code,
  ): Promise<LedgerEntry> {
    const mark = await head();
    const res = await send();
    const text = await res.text();
    expect(res.status, what).toBe(status);
    expect((JSON.parse(text) as { error: { code: string } }).error.code, what).toBe(code);
    expect(text, what).not.toContain(SECRET);
    expect(text, what).not.toContain('acc-2');
    const denied = (await entriesSince(mark)).filter((e) => e.outcome === 'denied');
    expect(
      denied.map((e) => e.code),
      what,
    ).toEqual([ledgerCode]);
    return denied[0]!;
  }

  const asGrant = (path: string, init: RequestInit & { json?: unknown } = {}, token = g.accessToken) =>
    f.request(path, { ...init, token });

  beforeAll(async () => {
    f = await startTestFoyer({ overrides: { clock } });
    await f.ownerToken();
    await f.request(T, { method: 'POST', json: tx({ note: SECRET }) });
    hidden = (await jsonBody(await f.request(T, { method: 'POST', json: tx({ accountId: 'acc-2', note: SECRET }) })))
      .id;
    g = await activeGrant(
      f,
      testTerms(
        {
          scopes: [
            {
              doctype: 'bank.transaction',
              verbs: ['read', 'create'],
              filter: { accountId: 'acc-1' },
              fields: ['date', 'amount', 'accountId', 'label', 'currency', 'type'],
            },
          ],
        },
        clock.now(),
      ),
    );
  });
  afterAll(() => f.close());

  it('another space’s token', async () => {
    await f.foyer.spaces.create('elsewhere');
    const system = { space: 'elsewhere', principal: { kind: 'system' as const, reason: 'test' } };
    const asked = await f.foyer.grants.request(system, { grantee: testGrantee, terms: testTerms({}, clock.now()) });
    const p = asked.pending!;
    await f.foyer.grants.accept(system, asked.id, { version: p.version, consentHash: p.consentHash, language: 'en' });
    const foreign = await f.foyer.grants.issueTokens(system, asked.id);
    const entry = await refused(
      'other space',
      () => asGrant(`${T}/_find`, { method: 'POST', json: {} }, foreign.accessToken),
      401,
      'invalid_token',
    );
    expect(entry.actorKind).toBe('anonymous');
  });

  it('an undeclared doctype, and a verb not granted', async () => {
    const e1 = await refused(
      'doctype',
      () => asGrant('/api/data/bill/_find', { method: 'POST', json: {} }),
      403,
      'scope_denied',
    );
    expect(e1).toMatchObject({
      actorKind: 'app',
      actorId: testGrantee.id,
      grant: g.id,
      grantVersion: 1,
      doctype: 'bill',
      verb: 'read',
    });
    const e2 = await refused(
      'verb',
      () => asGrant(`${T}/${hidden}?rev=1-x`, { method: 'DELETE' }),
      403,
      'scope_denied',
    );
    expect(e2.verb).toBe('delete');
    await refused(
      'series',
      () => asGrant('/api/series/water.daily?from=2024-01-01&to=2024-02-01'),
      403,
      'scope_denied',
    );
    await refused('files', () => asGrant('/api/files?folder=/'), 403, 'scope_denied');
  });

  it('a document outside the filter looks missing, and the ledger says denied', async () => {
    const entry = await refused('outside filter', () => asGrant(`${T}/${hidden}`), 404, 'not_found', 'outside_scope');
    expect(entry.grant).toBe(g.id);
    // Creating over it is refused without its revision, and leaves it as it was.
    const before = await (await f.request(`${T}/${hidden}`)).text();
    for (const send of [
      () => asGrant(`${T}/${hidden}`, { method: 'PUT', json: tx() }),
      () => asGrant(T, { method: 'POST', json: { ...tx(), _id: hidden } }),
    ]) {
      const res = await send();
      const text = await res.text();
      expect(res.status).toBe(409);
      expect(text).not.toContain('currentRev');
      expect(text).not.toContain(SECRET);
    }
    expect(await (await f.request(`${T}/${hidden}`)).text()).toBe(before);
  });

  it('filter escapes through $or, $ne and $exists return nothing outside the filter', async () => {
    for (const selector of [
      { $or: [{ accountId: 'acc-2' }, { amount: { $lt: 0 } }] },
      { accountId: { $ne: 'acc-1' } },
      { accountId: { $exists: false } },
    ]) {
      const res = await asGrant(`${T}/_find`, { method: 'POST', json: { selector } });
      const text = await res.text();
      expect(res.status).toBe(200);
      expect(text).not.toContain(hidden);
      expect(text).not.toContain('acc-2');
    }
  });

  it('fields outside the list, through _find, _changes and bulk', async () => {
    await refused(
      'find selector',
      () => asGrant(`${T}/_find`, { method: 'POST', json: { selector: { note: SECRET } } }),
      403,
      'field_not_granted',
    );
    await refused(
      'find fields',
      () => asGrant(`${T}/_find`, { method: 'POST', json: { fields: ['note'] } }),
      403,
      'field_not_granted',
    );
    await refused(
      'bulk',
      () => asGrant(`${T}/_bulk`, { method: 'POST', json: { docs: [tx({ note: 'x' })] } }),
      403,
      'field_not_granted',
    );
    const changes = await (await asGrant(`${T}/_changes?since=0&include_docs=true`)).text();
    expect(changes).not.toContain(SECRET);
    expect(changes).not.toContain(hidden);
  });

  it('pending, expired and withdrawn grants', async () => {
    const pending = await requestGrant(f, testTerms({}, clock.now()));
    await refused(
      'tokens for pending',
      () => f.request(`/api/grants/${pending.id}/tokens`, { method: 'POST' }),
      403,
      'grant_inactive',
    );
    const short = await activeGrant(
      f,
      testTerms({ validUntil: new Date(clock.now() + 60_000).toISOString() }, clock.now()),
    );
    clock.advance(60_000);
    await refused(
      'expired',
      () => asGrant(`${T}/_find`, { method: 'POST', json: {} }, short.accessToken),
      401,
      'invalid_token',
    );
    const pair = await f.request('/api/grant-tokens/refresh', {
      method: 'POST',
      json: { refreshToken: short.refreshToken },
      token: null,
    });
    expect((await jsonBody(pair)).error.code).toBe('grant_inactive');
    const gone = await activeGrant(f, testTerms({}, clock.now()));
    await f.request(`/api/grants/${gone.id}/withdraw`, { method: 'POST', json: {} });
    await refused(
      'withdrawn',
      () => asGrant(`${T}/_find`, { method: 'POST', json: {} }, gone.accessToken),
      403,
      'grant_inactive',
    );
  });

  it('forged, tampered and expired tokens', async () => {
    const [payload, mac] = g.accessToken.slice('foyer_at_'.length).split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const widened = Buffer.from(JSON.stringify({ ...claims, e: (claims.e as number) + 86_400 })).toString('base64url');
    const cases = {
      forged: `foyer_at_${payload}.${'A'.repeat(43)}`,
      tampered: `foyer_at_${widened}.${mac}`,
      junk: 'foyer_at_???',
      pat: 'foyer_pat_' + 'x'.repeat(43),
    };
    for (const [what, token] of Object.entries(cases)) {
      await refused(what, () => asGrant(`${T}/_find`, { method: 'POST', json: {} }, token), 401, 'invalid_token');
    }
  });

  it('CSRF on the cookie session, and login brute force', async () => {
    const login = await f.request('/api/auth/login', {
      method: 'POST',
      json: { passphrase: TEST_PASSPHRASE },
      token: null,
    });
    const session = browserSession(login.headers.getSetCookie());
    await refused(
      'csrf',
      () => f.request(T, { method: 'POST', json: tx(), token: null, headers: { cookie: session.cookie } }),
      403,
      'csrf_failed',
    );
    for (let i = 0; i < 5; i++) {
      await refused(
        `wrong passphrase ${i}`,
        () => f.request('/api/auth/login', { method: 'POST', json: { passphrase: `guess ${i}` }, token: null }),
        401,
        'invalid_credentials',
      );
    }
    await refused(
      'throttled',
      () => f.request('/api/auth/login', { method: 'POST', json: { passphrase: 'guess 6' }, token: null }),
      429,
      'too_many_requests',
    );
  });

  it('a grantee creating or accepting its own grant', async () => {
    await refused(
      'create',
      () =>
        asGrant('/api/grants', { method: 'POST', json: { grantee: testGrantee, terms: testTerms({}, clock.now()) } }),
      403,
      'owner_only',
    );
    const wider = testTerms(
      { scopes: [{ doctype: 'bank.transaction', verbs: ['read', 'create', 'delete'] }] },
      clock.now(),
    );
    const asked = await jsonBody(
      await asGrant(`/api/grants/${g.id}/versions`, { method: 'POST', json: { terms: wider } }),
    );
    expect(asked.active.version).toBe(1);
    await refused(
      'accept',
      () =>
        asGrant(`/api/grants/${g.id}/accept`, {
          method: 'POST',
          json: { version: asked.pending.version, consentHash: asked.pending.consentHash, language: 'en' },
        }),
      403,
      'owner_only',
    );
    await refused('still narrow', () => asGrant(`${T}/${hidden}?rev=1-x`, { method: 'DELETE' }), 403, 'scope_denied');
  });
});
