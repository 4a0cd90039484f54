import { createHmac, randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../platform/clock.js';
import type { DocumentStore } from '../../storage/document-store.js';
import { expectFoyerError } from '../../storage/file-store.contract.js';
import { keyStores, overwriteRecord, type KeyStoreFixture } from '../../testing/key-stores.js';
import { generateMasterKey, type MasterKeyring } from '../keys/master-keyring.js';
import { createSpaceKeys } from '../keys/space-keys.js';
import { createSigningKeys, SIGNING_KEY_DOCTYPE, SIGNING_KEY_ID } from './signing-keys.js';

for (const [name, open] of keyStores) {
  describe(`OAuth signing keys (${name})`, () => {
    let fixture: KeyStoreFixture;
    let store: DocumentStore;
    const clock = manualClock(Date.parse('2026-03-01T00:00:00Z'));
    const keyring: MasterKeyring = { keys: [generateMasterKey()], source: { kind: 'env' } };
    const startProcess = () => createSigningKeys({ store, keys: createSpaceKeys({ store, keyring, clock }), clock });
    /** Checks `jwt` against the space's JWKS as a client would, and answers its claims. */
    const verify = async (jwt: string, jwks: Awaited<ReturnType<ReturnType<typeof startProcess>['jwks']>>) =>
      (await jwtVerify(jwt, createLocalJWKSet(jwks), { currentDate: new Date(clock.now()) })).payload;

    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
      // A PostgreSQL store seals the records' bodies too, under the same data keys.
      await store.useDataKeys?.(createSpaceKeys({ store, keyring, clock }));
    });
    afterEach(() => fixture.cleanup());

    const record = async () => (await store.getDocument('alice', SIGNING_KEY_DOCTYPE, SIGNING_KEY_ID))!;
    const overwrite = (data: unknown) => overwriteRecord(store, 'alice', SIGNING_KEY_DOCTYPE, SIGNING_KEY_ID, data);

    it('stores the key wrapped, and what it signed before a restart verifies after it, with the same subjects', async () => {
      const first = startProcess();
      const jwt = await first.sign('alice', { sub: 'x', aud: 'client-1' });
      const sub = await first.pairwiseSubject('alice', 'client-1');
      const { keys } = await first.jwks('alice');
      expect(keys).toHaveLength(1);
      expect(keys[0]).not.toHaveProperty('d');
      const stored = JSON.parse((await record()).data!);
      expect(Object.keys(stored).sort()).toEqual(['createdAt', 'wrapped']);
      expect((await record()).data).not.toContain(keys[0]!.x!);

      const restarted = startProcess();
      expect(await restarted.jwks('alice')).toEqual({ keys });
      expect(await verify(jwt, await restarted.jwks('alice'))).toMatchObject({ sub: 'x', aud: 'client-1' });
      expect(await restarted.pairwiseSubject('alice', 'client-1')).toBe(sub);
      expect(await restarted.pairwiseSubject('alice', 'client-2')).not.toBe(sub);
      expect((await restarted.jwks('bob')).keys[0]!.kid).not.toBe(keys[0]!.kid);
    });

    it('wraps a clear key of an earlier release on first read: same kid, its tokens verify, same subjects', async () => {
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      const privateJwk = await exportJWK(privateKey);
      const { d, ...publicJwk } = privateJwk;
      const kid = await calculateJwkThumbprint(publicJwk);
      const salt = randomBytes(32).toString('base64url');
      await overwrite({ privateJwk, kid, salt, createdAt: '2026-01-01T00:00:00.000Z' });
      const old = await new SignJWT({ sub: 'old', iat: Math.floor(clock.now() / 1000) })
        .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
        .sign(privateKey);

      const keys = startProcess();
      const jwks = await keys.jwks('alice');
      expect(jwks.keys[0]!.kid).toBe(kid);
      expect(await verify(old, jwks)).toMatchObject({ sub: 'old' });
      expect(await keys.pairwiseSubject('alice', 'client-1')).toBe(
        createHmac('sha256', Buffer.from(salt, 'base64url')).update('alice\nclient-1').digest('base64url'),
      );
      const text = (await record()).data!;
      expect(text).not.toContain(d!);
      expect(text).not.toContain(salt);
      expect(JSON.parse(text).wrapped).toBeDefined();
      expect(await verify(await startProcess().sign('alice', { sub: 'new' }), jwks)).toMatchObject({ sub: 'new' });
    });

    it('fails with integrity_failed on a tampered wrapped key, and never makes a new one', async () => {
      await startProcess().jwks('alice');
      const stored = JSON.parse((await record()).data!);
      const ct = Buffer.from(stored.wrapped.ct, 'base64url');
      ct[ct.length - 20]! ^= 0x01;
      await overwrite({ ...stored, wrapped: { ...stored.wrapped, ct: ct.toString('base64url') } });
      const rev = (await record()).rev;
      const keys = startProcess();
      await expectFoyerError(() => keys.jwks('alice'), 'integrity_failed');
      await expectFoyerError(() => keys.sign('alice', { sub: 'x' }), 'integrity_failed');
      await expectFoyerError(() => keys.pairwiseSubject('alice', 'client-1'), 'integrity_failed');
      expect((await record()).rev).toBe(rev);
    });

    it('fails with integrity_failed on a clear record that is not a P-256 private key', async () => {
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      const { d: _d, ...publicOnly } = await exportJWK(privateKey);
      for (const privateJwk of [publicOnly, { ...publicOnly, d: 'x', crv: 'P-384' }, 'text']) {
        await overwrite({ privateJwk, kid: 'k', salt: 'c2FsdA', createdAt: '2026-01-01T00:00:00.000Z' });
        await expectFoyerError(() => startProcess().jwks('alice'), 'integrity_failed');
      }
    });
  });
}
