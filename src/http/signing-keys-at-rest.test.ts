/**
 * The spaces' signing secrets are encrypted at rest, end to end: after a grant token and an ID
 * token are issued through the API, neither the grant token key, nor the OAuth private key (`d`),
 * nor the pairwise salt appears in any file of the SQLite data folder, nor in any row of the
 * PostgreSQL schema; tokens issued before a restart verify after it; a tampered key record is a
 * 500 integrity_failed answer and is never replaced by a new key.
 */
import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLocalJWKSet, decodeJwt, importJWK, jwtVerify, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMasterKeyring } from '../app/create-foyer.js';
import { GRANT_TOKEN_KEY_ID } from '../core/grants/grant-tokens.js';
import { KEYS_DOCTYPE } from '../core/keys/data-key-record.js';
import { encodeMasterKey, generateMasterKey } from '../core/keys/master-keyring.js';
import { unwrapSecret } from '../core/keys/secret-wrap.js';
import { createSpaceKeys } from '../core/keys/space-keys.js';
import { SIGNING_KEY_DOCTYPE, SIGNING_KEY_ID, SIGNING_KEY_PURPOSE } from '../core/oauth/signing-keys.js';
import { DEFAULT_SPACE } from '../core/spaces/space-service.js';
import { systemClock } from '../platform/clock.js';
import type { DocumentStore } from '../storage/document-store.js';
import { activeGrant, testTerms } from '../testing/grants.js';
import { jsonBody } from '../testing/json-body.js';
import { overwriteRecord } from '../testing/key-stores.js';
import { clientMetadata, clientTokens, ownerClient, ownerLogin, startFakeClient } from '../testing/oauth.js';
import { dropSchema, makeTestPostgresStore } from '../testing/postgres.js';
import { filesHolding, rowsHolding } from '../testing/stored-data-search.js';
import { startTestFoyer, type TestFoyer } from '../testing/test-foyer.js';

const space = DEFAULT_SPACE;

interface Backend {
  /** A Foyer on the backend's data: the same data (and master key) at every start. */
  start(): Promise<TestFoyer>;
  /** Where each needle is found in the stored data: file names or table names. */
  holding(needles: string[]): Promise<string[]>;
  cleanup(): Promise<void>;
}

async function sqliteBackend(): Promise<Backend> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'foyer-signing-at-rest-'));
  return {
    // The space database in clear: the scan must find what is kept in clear (the control below),
    // so that an empty result shows the secrets' own wrapping, not the database's encryption.
    start: () => startTestFoyer({ config: { dataDir }, env: { FOYER_DATABASE_CIPHER: 'none' } }),
    holding: (needles) => filesHolding(dataDir, needles),
    cleanup: () => rm(dataDir, { recursive: true, force: true }),
  };
}

async function postgresBackend(): Promise<Backend> {
  const first = await makeTestPostgresStore();
  const { url, schema } = first;
  let pending: DocumentStore | null = first.store;
  const env = { FOYER_MASTER_KEY: encodeMasterKey(generateMasterKey()) };
  return {
    async start() {
      // Each start is a new process: a new connection pool on the same schema.
      const store = pending ?? (await makeTestPostgresStore({ schema })).store;
      pending = null;
      return startTestFoyer({ env, overrides: { documentStore: store } });
    },
    holding: (needles) => rowsHolding(url, schema, needles),
    cleanup: () => dropSchema(url, schema),
  };
}

/** The space's secrets as the running Foyer holds them, unwrapped with its own master key ring. */
async function secretsOf(f: TestFoyer): Promise<{ hmacKey: Buffer; jwk: JWK; salt: string }> {
  const store = f.foyer.documentStore;
  const keys = createSpaceKeys({ store, keyring: await openMasterKeyring(f.foyer.config), clock: systemClock });
  const grantRecord = await store.getDocument(space, KEYS_DOCTYPE, GRANT_TOKEN_KEY_ID);
  const oauthRecord = await store.getDocument(space, SIGNING_KEY_DOCTYPE, SIGNING_KEY_ID);
  const hmacKey = await unwrapSecret(keys, space, GRANT_TOKEN_KEY_ID, JSON.parse(grantRecord!.data!).wrapped);
  const signing = await unwrapSecret(keys, space, SIGNING_KEY_PURPOSE, JSON.parse(oauthRecord!.data!).wrapped);
  const { jwk, salt } = JSON.parse(signing.toString('utf8')) as { jwk: JWK; salt: string };
  return { hmacKey, jwk, salt };
}

/** Changes one byte of a key record's wrapping, as someone with database write access could; answers the new revision. */
async function tamper(store: DocumentStore, doctype: string, id: string): Promise<string> {
  const data = JSON.parse((await store.getDocument(space, doctype, id))!.data!);
  const ct = Buffer.from(data.wrapped.ct, 'base64url');
  ct[0]! ^= 0x01;
  return overwriteRecord(store, space, doctype, id, {
    ...data,
    wrapped: { ...data.wrapped, ct: ct.toString('base64url') },
  });
}

const backends: [string, () => Promise<Backend>][] = [
  ['SQLite data folder', sqliteBackend],
  ['PostgreSQL rows', postgresBackend],
];

for (const [name, open] of backends) {
  describe(`signing keys encrypted at rest (${name})`, () => {
    let backend: Backend;
    let fake: Awaited<ReturnType<typeof startFakeClient>>;
    /** Issued by the first process. */
    let grantToken: string;
    let grantId: string;
    let idToken: string;
    let oauthAccessToken: string;

    beforeAll(async () => {
      backend = await open();
      fake = await startFakeClient();
    });
    afterAll(async () => {
      await fake.close();
      await backend.cleanup();
    });

    it('keeps the grant token key, the private key and the salt out of the stored data', async () => {
      const f = await backend.start();
      let needles: string[] = [];
      try {
        await f.ownerToken();
        const grant = await activeGrant(f, testTerms());
        grantToken = grant.accessToken;
        grantId = grant.id;
        const clientId = (await ownerClient(f, clientMetadata(fake))).client.id as string;
        const tokens = await clientTokens(f, await ownerLogin(f), fake, clientId);
        idToken = tokens.id_token as string;
        oauthAccessToken = tokens.access_token as string;
        expect(idToken).toBeTruthy();

        const { hmacKey, jwk, salt } = await secretsOf(f);
        // They are the keys in use: the grant token's MAC and the ID token's signature check out under them.
        const [payload, mac] = grantToken.slice('foyer_at_'.length).split('.');
        expect(createHmac('sha256', hmacKey).update(payload!).digest('base64url')).toBe(mac);
        const { d: _d, ...publicJwk } = jwk;
        expect((await jwtVerify(idToken, await importJWK(publicJwk, 'ES256'))).payload.aud).toBe(clientId);
        const d = jwk.d!;
        needles = [
          hmacKey.toString('base64url'),
          hmacKey.toString('hex'),
          hmacKey.toString('base64'),
          d,
          Buffer.from(d, 'base64url').toString('hex'),
          salt,
          Buffer.from(salt, 'base64url').toString('hex'),
        ];
        expect(await backend.holding(needles)).toEqual([]);
        // Control: the scan does read the stored data (the grant id is kept in clear; the client's
        // name too on this SQLite folder, left in clear on purpose, while PostgreSQL seals it).
        expect((await backend.holding([grantId])).length).toBeGreaterThan(0);
        expect((await backend.holding(['Budget Planner'])).length > 0).toBe(name === 'SQLite data folder');
      } finally {
        await f.close();
      }
      // Closed: whatever the database wrote back from its log is checked too.
      expect(await backend.holding(needles)).toEqual([]);
    });

    it('accepts tokens issued before a restart, under the same key and subject', async () => {
      const f = await backend.start();
      try {
        const read = await f.request('/api/data/bank.transaction/_find', {
          method: 'POST',
          json: {},
          token: grantToken,
        });
        expect(read.status).toBe(200);
        const jwks = await jsonBody(await f.request('/oauth/jwks', { token: null }));
        expect(jwks.keys[0]).not.toHaveProperty('d');
        const { payload } = await jwtVerify(idToken, createLocalJWKSet(jwks as { keys: JWK[] }));
        expect(payload.sub).toBe(decodeJwt(idToken).sub);
        const info = await f.request('/oauth/userinfo', { token: oauthAccessToken });
        expect(info.status).toBe(200);
        expect((await jsonBody(info)).sub).toBe(payload.sub);
      } finally {
        await f.close();
      }
    });

    it('answers 500 integrity_failed for a tampered key record, and never makes a new key', async () => {
      let f = await backend.start();
      const grantRev = await tamper(f.foyer.documentStore, KEYS_DOCTYPE, GRANT_TOKEN_KEY_ID);
      const oauthRev = await tamper(f.foyer.documentStore, SIGNING_KEY_DOCTYPE, SIGNING_KEY_ID);
      await f.close();
      f = await backend.start();
      try {
        await f.ownerToken();
        for (let i = 0; i < 2; i++) {
          const read = await f.request('/api/data/bank.transaction/_find', {
            method: 'POST',
            json: {},
            token: grantToken,
          });
          expect(read.status).toBe(500);
          expect((await jsonBody(read)).error.code).toBe('integrity_failed');
          const issue = await f.request(`/api/grants/${grantId}/tokens`, { method: 'POST' });
          expect(issue.status).toBe(500);
          expect((await jsonBody(issue)).error.code).toBe('integrity_failed');
          expect((await f.request('/oauth/jwks', { token: null })).status).toBe(500);
        }
        const store = f.foyer.documentStore;
        expect((await store.getDocument(space, KEYS_DOCTYPE, GRANT_TOKEN_KEY_ID))!.rev).toBe(grantRev);
        expect((await store.getDocument(space, SIGNING_KEY_DOCTYPE, SIGNING_KEY_ID))!.rev).toBe(oauthRev);
        // The owner's own access does not depend on those keys.
        expect((await f.request('/api/data/bank.transaction/_find', { method: 'POST', json: {} })).status).toBe(200);
      } finally {
        await f.close();
      }
    });
  });
}
