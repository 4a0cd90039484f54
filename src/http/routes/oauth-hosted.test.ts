/**
 * In hosted mode each space is its own OpenID provider, named by its host: its own issuer, its own
 * signing key, its own clients. A client of one space is unknown at another's.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientMetadata, startFakeClient, type FakeClientServer } from '../../testing/oauth.js';
import { clientMetadata as metadataSchema, toClientMetadata } from './oauth-client-routes.js';
import { startTestFoyer, type TestFoyer } from '../../testing/test-foyer.js';

/** A request with the given Host header (fetch cannot set it). */
function at(
  f: TestFoyer,
  host: string,
  path: string,
  init: { method?: string; form?: Record<string, string> } = {},
): Promise<{ status: number; body: string }> {
  const body = init.form ? new URLSearchParams(init.form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: new URL(f.url).port,
        method: init.method ?? 'GET',
        path,
        headers: {
          host,
          ...(body ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': body.length } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('OAuth in hosted mode', () => {
  let f: TestFoyer;
  let fake: FakeClientServer;

  beforeAll(async () => {
    f = await startTestFoyer({ env: { FOYER_MODE: 'hosted' } });
    await f.foyer.spaces.create('alice', ['alice.test']);
    await f.foyer.spaces.create('bob', ['bob.test']);
    fake = await startFakeClient();
  });
  afterAll(async () => {
    await f.close();
    await fake.close();
  });

  it('gives each space its own issuer and signing key, and no provider to an unknown host', async () => {
    const alice = JSON.parse((await at(f, 'alice.test', '/.well-known/openid-configuration')).body);
    const bob = JSON.parse((await at(f, 'bob.test', '/.well-known/openid-configuration')).body);
    expect(alice.issuer).toBe('http://alice.test');
    expect(bob.token_endpoint).toBe('http://bob.test/oauth/token');
    const aliceKeys = JSON.parse((await at(f, 'alice.test', '/oauth/jwks')).body);
    const bobKeys = JSON.parse((await at(f, 'bob.test', '/oauth/jwks')).body);
    expect(aliceKeys.keys[0].kid).not.toBe(bobKeys.keys[0].kid);
    const unknown = await at(f, 'nobody.test', '/.well-known/openid-configuration');
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).error).toBe('invalid_request');
    const malformed = await at(f, 'bad host!', '/.well-known/openid-configuration');
    expect(malformed.status).toBe(400);
  });

  it("knows a space's clients only at that space's host", async () => {
    const { client } = await f.foyer.oauth.clients.register(
      'alice',
      toClientMetadata(metadataSchema.parse(clientMetadata(fake))),
      { registeredBy: 'owner', issuer: 'http://alice.test' },
    );
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: client.id,
      redirect_uri: fake.redirectUri,
      code_challenge: 'A'.repeat(43),
      code_challenge_method: 'S256',
    });
    const atAlice = await at(f, 'alice.test', `/oauth/authorize?${q}`);
    expect(atAlice.status).toBe(200);
    expect(atAlice.body).toContain('action="/oauth/login"');
    const atBob = await at(f, 'bob.test', `/oauth/authorize?${q}`);
    expect(atBob.status).toBe(401);
    expect(atBob.body).toContain('not registered here');
    const token = await at(f, 'bob.test', '/oauth/token', {
      method: 'POST',
      form: { grant_type: 'refresh_token', refresh_token: 'x', client_id: client.id },
    });
    expect(token.status).toBe(401);
    expect(JSON.parse(token.body).error).toBe('invalid_client');
  });
});
