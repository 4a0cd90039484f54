import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../platform/clock.js';
import { activeGrant, acceptGrant, requestGrant, testGrantee, testTerms } from '../../testing/grants.js';
import { jsonBody } from '../../testing/json-body.js';
import { startTestFoyer, type TestFoyer } from '../../testing/test-foyer.js';
import { transaction, TRANSACTIONS } from '../../testing/transactions.js';

const T = TRANSACTIONS;
const tx = transaction;
const DAY = 24 * 3600 * 1000;

describe('consent over HTTP', () => {
  const clock = manualClock(Date.UTC(2026, 10, 24, 12));
  let f: TestFoyer;
  beforeAll(async () => {
    f = await startTestFoyer({ overrides: { clock } });
    await f.ownerToken();
  });
  afterAll(() => f.close());
  const terms = (over = {}) => testTerms(over, clock.now());

  it('asks for a grant: pending, with the consent text in English and French and its hash', async () => {
    const grant = await requestGrant(f, terms());
    expect(grant.status).toBe('pending');
    expect(grant.scopes).toEqual([]);
    const { consentText, consentHash, version } = grant.pending;
    expect(version).toBe(1);
    expect(consentText.en).toContain('The app “Mon budget” (Foyer tests) asks for access to your data.');
    expect(consentText.en).toContain('Bank transaction');
    expect(consentText.en).toContain('Kept by the grantee: 1 year');
    expect(consentText.en).toContain('it stays in your space');
    expect(consentText.fr).toContain('L’application “Mon budget” (Foyer tests) demande l’accès à vos données.');
    expect(consentText.fr).toContain('Conservation par le bénéficiaire : 1 an');
    expect(consentHash).toBe(
      createHash('sha256')
        .update(JSON.stringify([consentText.en, consentText.fr]))
        .digest('hex'),
    );
  });

  it('refuses terms that name an unknown doctype, purpose or a past end, naming the field', async () => {
    const bad = [
      terms({ scopes: [{ doctype: 'bank.nothing', verbs: ['read'] }] }),
      terms({ purpose: { code: 'world-domination', text: { en: 'x', fr: 'x' } } }),
      terms({ validUntil: new Date(clock.now() - DAY).toISOString() }),
      terms({ retention: 'forever' }),
      terms({ scopes: [{ doctype: 'energy.electricity.load-curve', verbs: ['read'], fields: ['value'] }] }),
    ];
    const paths = [];
    for (const t of bad) {
      const res = await f.request('/api/grants', { method: 'POST', json: { grantee: testGrantee, terms: t } });
      expect(res.status).toBe(400);
      const body = await jsonBody(res);
      expect(body.error.code).toBe('validation_failed');
      paths.push(body.error.details.issues[0].path);
    }
    expect(paths).toEqual(['/scopes/0/doctype', '/purpose/code', '/validUntil', '/retention', '/scopes/0']);
  });

  it('activates only with the hash of the text shown; a stale hash is refused with consent_changed', async () => {
    const grant = await requestGrant(f, terms());
    const stale = await f.request(`/api/grants/${grant.id}/accept`, {
      method: 'POST',
      json: { version: 1, consentHash: '0'.repeat(64), language: 'en' },
    });
    expect(stale.status).toBe(409);
    expect((await jsonBody(stale)).error.code).toBe('consent_changed');
    const accepted = await acceptGrant(f, grant);
    expect(accepted.status).toBe('active');
    expect(accepted.active.decision).toMatchObject({ outcome: 'accepted', language: 'fr', omitted: [] });
    expect(accepted.active.decision.at).toBe(new Date(clock.now()).toISOString());
    const list = await jsonBody(await f.request('/api/grants'));
    expect(list.grants.find((g: { id: string }) => g.id === grant.id)).toMatchObject({
      status: 'active',
      scopes: [{ doctype: 'bank.transaction', verbs: ['read'] }],
      grantee: testGrantee,
    });
  });

  it('lets the owner leave out optional scopes, and only those', async () => {
    const t = terms({
      scopes: [
        { doctype: 'bank.transaction', verbs: ['read'] },
        { doctype: 'bill', verbs: ['read'], optional: true },
      ],
    });
    const asked = await requestGrant(f, t);
    const refused = await f.request(`/api/grants/${asked.id}/accept`, {
      method: 'POST',
      json: { version: 1, consentHash: asked.pending.consentHash, language: 'en', omit: [0] },
    });
    expect(refused.status).toBe(400);
    const g = await activeGrant(f, t, testGrantee, [1]);
    expect(g.grant.scopes.map((s: { doctype: string }) => s.doctype)).toEqual(['bank.transaction']);
    const bills = await f.request('/api/data/bill/_find', { method: 'POST', json: {}, token: g.accessToken });
    expect(bills.status).toBe(403);
    expect((await jsonBody(bills)).error.code).toBe('scope_denied');
  });

  it('never brings back an optional scope the owner left out without asking again', async () => {
    const t = terms({
      scopes: [
        { doctype: 'bank.transaction', verbs: ['read'] },
        { doctype: 'bill', verbs: ['read'], optional: true },
      ],
    });
    const g = await activeGrant(f, t, testGrantee, [1]);
    const again = await jsonBody(
      await f.request(`/api/grants/${g.id}/versions`, { method: 'POST', json: { terms: t }, token: g.accessToken }),
    );
    expect(again.active.version).toBe(1);
    expect(again.pending.version).toBe(2);
    const bills = await f.request('/api/data/bill/_find', { method: 'POST', json: {}, token: g.accessToken });
    expect(bills.status).toBe(403);
    const renewal = await jsonBody(
      await f.request(`/api/grants/${g.id}/renew`, {
        method: 'POST',
        json: { validUntil: new Date(clock.now() + 400 * DAY).toISOString() },
      }),
    );
    expect(renewal.pending.terms.scopes.map((s: { doctype: string }) => s.doctype)).toEqual(['bank.transaction']);
    expect(renewal.history.map((v: { version: number }) => v.version)).toEqual([]);
  });

  it('a grant token reads what its scope allows and nothing else', async () => {
    const created = await jsonBody(await f.request(T, { method: 'POST', json: tx() }));
    const g = await activeGrant(f, terms());
    const read = await f.request(`${T}/${created.id}`, { token: g.accessToken });
    expect(read.status).toBe(200);
    const write = await f.request(T, { method: 'POST', json: tx(), token: g.accessToken });
    expect(write.status).toBe(403);
    expect((await jsonBody(write)).error).toMatchObject({ code: 'scope_denied', details: { verb: 'create' } });
    for (const path of ['/api/grants', '/api/tokens', '/api/ledger']) {
      const res = await f.request(path, { token: g.accessToken });
      expect(res.status, path).toBe(403);
      expect((await jsonBody(res)).error.code, path).toBe('owner_only');
    }
  });

  it('a grantee can read its own grant and ask for more, but never accept it', async () => {
    const g = await activeGrant(f, terms());
    const own = await f.request(`/api/grants/${g.id}`, { token: g.accessToken });
    expect(own.status).toBe(200);
    const [entry] = await f.foyer.documentStore.readLedger('default', { grant: g.id, doctype: 'foyer.grant' }, 1);
    expect(entry).toMatchObject({ actorKind: 'app', verb: 'read', outcome: 'allowed', count: 1 });
    const wider = terms({ scopes: [{ doctype: 'bank.transaction', verbs: ['read', 'create'] }] });
    const asked = await jsonBody(
      await f.request(`/api/grants/${g.id}/versions`, { method: 'POST', json: { terms: wider }, token: g.accessToken }),
    );
    expect(asked.status).toBe('active');
    expect(asked.pending).toMatchObject({ version: 2, requestedBy: 'grantee' });
    const self = await f.request(`/api/grants/${g.id}/accept`, {
      method: 'POST',
      json: { version: 2, consentHash: asked.pending.consentHash, language: 'en' },
      token: g.accessToken,
    });
    expect(self.status).toBe(403);
    expect((await jsonBody(self)).error.code).toBe('owner_only');
    const create = await f.request('/api/grants', {
      method: 'POST',
      json: { grantee: testGrantee, terms: wider },
      token: g.accessToken,
    });
    expect(create.status).toBe(403);
    const other = await activeGrant(f, terms());
    const foreign = await f.request(`/api/grants/${other.id}`, { token: g.accessToken });
    expect(foreign.status).toBe(403);
  });

  it('wider terms wait for consent while the old scopes keep working; narrower ones apply at once', async () => {
    const g = await activeGrant(f, terms());
    const wider = terms({
      scopes: [
        { doctype: 'bank.transaction', verbs: ['read'] },
        { doctype: 'bill', verbs: ['read'] },
      ],
    });
    const proposed = await jsonBody(
      await f.request(`/api/grants/${g.id}/versions`, { method: 'POST', json: { terms: wider } }),
    );
    expect(proposed.pending.version).toBe(2);
    expect(proposed.active.version).toBe(1);
    expect((await f.request('/api/data/bill/_find', { method: 'POST', json: {}, token: g.accessToken })).status).toBe(
      403,
    );
    expect((await f.request(`${T}/_find`, { method: 'POST', json: {}, token: g.accessToken })).status).toBe(200);
    await acceptGrant(f, proposed);
    expect((await f.request('/api/data/bill/_find', { method: 'POST', json: {}, token: g.accessToken })).status).toBe(
      200,
    );
    const narrower = await jsonBody(
      await f.request(`/api/grants/${g.id}/versions`, {
        method: 'POST',
        json: { terms: { ...wider, scopes: [wider.scopes[1]] } },
      }),
    );
    expect(narrower.active.version).toBe(3);
    expect(narrower.pending).toBeNull();
    expect((await f.request(`${T}/_find`, { method: 'POST', json: {}, token: g.accessToken })).status).toBe(403);
    const purpose = await jsonBody(
      await f.request(`/api/grants/${g.id}/versions`, {
        method: 'POST',
        json: {
          terms: {
            ...wider,
            scopes: [wider.scopes[1]],
            purpose: { code: 'marketing', text: { en: 'Ads.', fr: 'Pub.' } },
          },
        },
      }),
    );
    expect(purpose.pending.version).toBe(4);
    expect(purpose.active.version).toBe(3);
  });

  it('an expired grant stops at once and asks for renewal; renewing needs consent again', async () => {
    const g = await activeGrant(f, terms({ validUntil: new Date(clock.now() + 10 * 60 * 1000).toISOString() }));
    expect((await f.request(`${T}/_find`, { method: 'POST', json: {}, token: g.accessToken })).status).toBe(200);
    clock.advance(10 * 60 * 1000);
    const after = await f.request(`${T}/_find`, { method: 'POST', json: {}, token: g.accessToken });
    expect(after.status).toBe(401);
    const refreshed = await f.request('/api/grant-tokens/refresh', {
      method: 'POST',
      json: { refreshToken: g.refreshToken },
      token: null,
    });
    expect(refreshed.status).toBe(403);
    expect((await jsonBody(refreshed)).error).toMatchObject({ code: 'grant_inactive', details: { status: 'expired' } });
    const listed = await jsonBody(await f.request(`/api/grants/${g.id}`));
    expect(listed).toMatchObject({ status: 'expired', needsRenewal: true });
    const renewal = await jsonBody(
      await f.request(`/api/grants/${g.id}/renew`, {
        method: 'POST',
        json: { validUntil: new Date(clock.now() + 90 * DAY).toISOString() },
      }),
    );
    expect(renewal).toMatchObject({ status: 'expired', pending: { version: 2 } });
    await acceptGrant(f, renewal);
    const tokens = await jsonBody(await f.request(`/api/grants/${g.id}/tokens`, { method: 'POST' }));
    expect(
      (await f.request(`${T}/_find`, { method: 'POST', json: {}, token: tokens.accessToken as string })).status,
    ).toBe(200);
  });

  it('refresh tokens are spent on use and give a working pair', async () => {
    const g = await activeGrant(f, terms());
    const first = await f.request('/api/grant-tokens/refresh', {
      method: 'POST',
      json: { refreshToken: g.refreshToken },
      token: null,
    });
    expect(first.status).toBe(200);
    const pair = await jsonBody(first);
    expect(pair.refreshToken).not.toBe(g.refreshToken);
    expect((await f.request(`${T}/_find`, { method: 'POST', json: {}, token: pair.accessToken })).status).toBe(200);
    const again = await f.request('/api/grant-tokens/refresh', {
      method: 'POST',
      json: { refreshToken: g.refreshToken },
      token: null,
    });
    expect(again.status).toBe(401);
    expect((await jsonBody(again)).error.code).toBe('invalid_token');
  });

  it('access tokens die at their 15 minutes, and when the owner revokes them', async () => {
    const g = await activeGrant(f, terms());
    clock.advance(15 * 60 * 1000);
    expect((await f.request(`${T}/_find`, { method: 'POST', json: {}, token: g.accessToken })).status).toBe(401);
    const pair = await jsonBody(
      await f.request('/api/grant-tokens/refresh', {
        method: 'POST',
        json: { refreshToken: g.refreshToken },
        token: null,
      }),
    );
    expect((await f.request(`${T}/_find`, { method: 'POST', json: {}, token: pair.accessToken })).status).toBe(200);
    expect((await f.request(`/api/grants/${g.id}/tokens`, { method: 'DELETE' })).status).toBe(200);
    expect((await f.request(`${T}/_find`, { method: 'POST', json: {}, token: pair.accessToken })).status).toBe(401);
    const refresh = await f.request('/api/grant-tokens/refresh', {
      method: 'POST',
      json: { refreshToken: pair.refreshToken },
      token: null,
    });
    expect(refresh.status).toBe(401);
  });

  it('lists the purposes with their DPV terms, without logging in', async () => {
    const res = await f.request('/api/purposes', { token: null });
    const body = await jsonBody(res);
    expect(body.purposes.find((p: { code: string }) => p.code === 'service-provision')).toMatchObject({
      dpv: 'dpv:ServiceProvision',
    });
  });
});
