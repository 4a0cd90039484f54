/**
 * Withdrawal reaching an OAuth client outside the space: the signed deletion request goes to its
 * registered endpoint (a real HTTP server on loopback), failures are retried, confirmations must
 * be signed by the client's registered key for the right request and grant, and a deadline
 * passed without confirmation shows as overdue.
 */
import { decodeJwt, generateKeyPair } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../platform/clock.js';
import { createNet } from '../../platform/net.js';
import type { BrowserSession } from '../../testing/browser-session.js';
import { jsonBody, type JsonBody } from '../../testing/json-body.js';
import {
  clientMetadata,
  clientTokens,
  ownerClient,
  ownerLogin,
  startFakeClient,
  type FakeClientServer,
} from '../../testing/oauth.js';
import { startTestFoyer, type TestFoyer } from '../../testing/test-foyer.js';

const DAY = 24 * 3600 * 1000;

describe('deletion requests to outside recipients', () => {
  const clock = manualClock(Date.now());
  let f: TestFoyer;
  let fake: FakeClientServer;
  let session: BrowserSession;

  beforeAll(async () => {
    f = await startTestFoyer({ overrides: { clock, net: createNet({ timeoutMs: 300 }) } });
    await f.ownerToken();
    fake = await startFakeClient();
  });
  afterAll(async () => {
    await f.close();
    await fake.close();
  });
  beforeEach(async () => {
    fake.mode = 'ok';
    // Tests move the clock by days: a fresh session each time.
    session = await ownerLogin(f);
  });

  /** A client with an active grant and tokens, then withdrawn; answers what a test needs. */
  async function withdrawnClient(over: Record<string, unknown> = {}, choice?: 'keep') {
    const clientId = (await ownerClient(f, clientMetadata(fake, over))).client.id as string;
    const tokens = await clientTokens(f, session, fake, clientId);
    const grant = (await jsonBody(await f.request(`/api/oauth/clients/${clientId}`))).grant as string;
    const before = fake.received.length;
    const res = await f.request(`/api/grants/${grant}/withdraw`, { method: 'POST', json: choice ? { choice } : {} });
    expect(res.status).toBe(200);
    await f.foyer.oauth.deletions.settled();
    return { clientId, grant, tokens, receipt: (await jsonBody(res)).receipt, sent: fake.received.slice(before) };
  }

  const requestsOf = async (grant: string): Promise<JsonBody> =>
    (await jsonBody(await f.request('/api/oauth/deletion-requests'))).requests.find(
      (r: { grant: string }) => r.grant === grant,
    );
  const remoteOf = async (grant: string) =>
    (await jsonBody(await f.request(`/api/grants/${grant}`))).receipts.at(-1).remote;

  /** A confirmation signed by the fake client, valid at Foyer's clock unless overridden. */
  const confirmation = (claims: Record<string, unknown>, key?: Parameters<FakeClientServer['sign']>[1]) => {
    const now = Math.floor(clock.now() / 1000);
    return fake.sign({ aud: f.url, iat: now, exp: now + 300, ...claims }, key);
  };
  const postConfirmation = (body: string, type = 'application/jwt') =>
    fetch(`${f.url}/oauth/deletion-confirmations`, { method: 'POST', headers: { 'content-type': type }, body });

  it('a holder that answers 500: failed, with a retry that later gets through', async () => {
    fake.mode = 'error';
    const { grant, sent } = await withdrawnClient();
    expect(sent).toHaveLength(1);
    expect(await remoteOf(grant)).toMatchObject({ status: 'failed' });
    const req = await requestsOf(grant);
    expect(req).toMatchObject({ status: 'failed', attempts: 1, delivered: false });
    expect(req.lastError).toContain('HTTP 500');
    expect(Date.parse(req.nextAttemptAt)).toBe(clock.now() + 60_000);
    expect(req.jwks).toBeUndefined();

    fake.mode = 'ok';
    await f.foyer.oauth.sweepAll();
    expect(fake.received.filter((b) => decodeJwt(b).grant_id === grant)).toHaveLength(1);
    clock.advance(61_000);
    await f.foyer.oauth.sweepAll();
    expect(fake.received.filter((b) => decodeJwt(b).grant_id === grant)).toHaveLength(2);
    expect(await requestsOf(grant)).toMatchObject({ status: 'pending', attempts: 2, delivered: true });
    expect(await remoteOf(grant)).toMatchObject({ status: 'pending' });
  });

  it('a holder that does not answer: failed with the timeout, retried later', async () => {
    fake.mode = 'hang';
    const { grant } = await withdrawnClient();
    const req = await requestsOf(grant);
    expect(req).toMatchObject({ status: 'failed', attempts: 1 });
    expect(req.lastError).toContain('did not answer within 300 ms');
    fake.mode = 'error';
    clock.advance(61_000);
    await f.foyer.oauth.sweepAll();
    const again = await requestsOf(grant);
    expect(again).toMatchObject({ status: 'failed', attempts: 2 });
    expect(Date.parse(again.nextAttemptAt)).toBe(clock.now() + 5 * 60_000);
  });

  it('refuses forged or mismatched confirmations without changing anything, then accepts the right one', async () => {
    const { clientId, grant, sent } = await withdrawnClient();
    const request = decodeJwt(sent[0]!);
    const good = { iss: clientId, request_id: request.jti, grant_id: grant };
    const otherKey = (await generateKeyPair('ES256')).privateKey;
    const other = (await ownerClient(f, clientMetadata(fake, { client_name: 'Other' }))).client.id;
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ ...good, aud: f.url, iat: 1, exp: 9e9 })).toString('base64url')}.`;
    const forged: [string, Promise<string> | string, number, string][] = [
      ['another key', confirmation(good, otherKey), 401, 'invalid_token'],
      ['another client', confirmation({ ...good, iss: other }), 401, 'invalid_token'],
      ['another audience', confirmation({ ...good, aud: 'https://evil.example' }), 401, 'invalid_token'],
      ['another grant', confirmation({ ...good, grant_id: 'nope' }), 401, 'invalid_token'],
      ['an unknown request', confirmation({ ...good, request_id: 'A'.repeat(22) }), 401, 'invalid_token'],
      ['no request', confirmation({ ...good, request_id: undefined }), 401, 'invalid_token'],
      [
        'expired',
        confirmation({
          ...good,
          iat: Math.floor(clock.now() / 1000) - 600,
          exp: Math.floor(clock.now() / 1000) - 300,
        }),
        401,
        'invalid_token',
      ],
      ['unsigned', unsigned, 401, 'invalid_token'],
      ['not a JWT', 'hello', 400, 'invalid_request'],
    ];
    for (const [what, jwt, status, error] of forged) {
      const res = await postConfirmation(await jwt);
      expect(res.status, what).toBe(status);
      expect((await jsonBody(res)).error, what).toBe(error);
    }
    const asJson = await postConfirmation(await confirmation(good), 'application/json');
    expect(asJson.status).toBe(400);
    expect(await remoteOf(grant)).toMatchObject({ status: 'pending' });
    expect(await requestsOf(grant)).toMatchObject({ status: 'pending' });

    const ok = await postConfirmation(await confirmation(good));
    expect(ok.status).toBe(200);
    expect(await remoteOf(grant)).toMatchObject({
      status: 'confirmed',
      confirmedAt: new Date(clock.now()).toISOString(),
    });
    const again = await postConfirmation(await confirmation(good));
    expect(again.status).toBe(200);
    expect((await jsonBody(again)).status).toBe('confirmed');
  });

  it('past the deadline: overdue at once in the grant and the listing; a late confirmation still counts', async () => {
    const { clientId, grant, sent, receipt } = await withdrawnClient();
    expect(Date.parse(receipt.remote.dueBy)).toBe(clock.now() + 30 * DAY);
    clock.advance(30 * DAY);
    expect(await remoteOf(grant)).toMatchObject({ status: 'overdue' });
    expect(await requestsOf(grant)).toMatchObject({ status: 'overdue' });
    const late = await postConfirmation(
      await confirmation({ iss: clientId, request_id: decodeJwt(sent[0]!).jti, grant_id: grant }),
    );
    expect(late.status).toBe(200);
    expect(await remoteOf(grant)).toMatchObject({ status: 'confirmed' });
  });

  it('checks a confirmation against the key published at the client’s jwks_uri', async () => {
    const { clientId, grant, sent } = await withdrawnClient({ jwks: undefined, jwks_uri: fake.jwksUri });
    const good = { iss: clientId, request_id: decodeJwt(sent[0]!).jti, grant_id: grant };
    const forged = await postConfirmation(await confirmation(good, (await generateKeyPair('ES256')).privateKey));
    expect(forged.status).toBe(401);
    expect((await postConfirmation(await confirmation(good))).status).toBe(200);
  });

  it('keeping what the client has sends no request', async () => {
    const { grant, sent, receipt } = await withdrawnClient({}, 'keep');
    expect(receipt.remote).toBeUndefined();
    expect(sent).toHaveLength(0);
    expect(await requestsOf(grant)).toBeUndefined();
  });

  it('removing a client withdraws its grant and asks it to delete; its confirmation still verifies', async () => {
    const clientId = (await ownerClient(f, clientMetadata(fake))).client.id as string;
    const tokens = await clientTokens(f, session, fake, clientId);
    const grant = (await jsonBody(await f.request(`/api/oauth/clients/${clientId}`))).grant as string;
    expect((await f.request(`/api/oauth/clients/${clientId}`, { method: 'DELETE' })).status).toBe(200);
    expect((await f.request(`/api/oauth/clients/${clientId}`)).status).toBe(404);
    const read = await f.request('/api/data/bank.transaction/_find', {
      method: 'POST',
      json: {},
      token: tokens.access_token,
    });
    expect([401, 403]).toContain(read.status);
    await f.foyer.oauth.deletions.settled();
    const sent = fake.received.filter((b) => decodeJwt(b).grant_id === grant);
    expect(sent).toHaveLength(1);
    const ok = await postConfirmation(
      await confirmation({ iss: clientId, request_id: decodeJwt(sent[0]!).jti, grant_id: grant }),
    );
    expect(ok.status).toBe(200);
    expect(await remoteOf(grant)).toMatchObject({ status: 'confirmed' });
  });
});
