import { createHmac, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../platform/clock.js';
import type { DocumentStore } from '../../storage/document-store.js';
import { expectFoyerError } from '../../storage/file-store.contract.js';
import { keyStores, overwriteRecord, type KeyStoreFixture } from '../../testing/key-stores.js';
import { KEYS_DOCTYPE } from '../keys/data-key-record.js';
import { generateMasterKey, type MasterKeyring } from '../keys/master-keyring.js';
import { createSpaceKeys } from '../keys/space-keys.js';
import { ACCESS_PREFIX, createGrantTokenKeys, GRANT_TOKEN_KEY_ID } from './grant-tokens.js';

const claims = { s: 'alice', g: 'grant-1', n: 1, e: 2_000_000_000 };

/** A token as the earlier release minted it: the same format, HMAC-SHA256 under the clear key. */
function legacyToken(key: Buffer): string {
  const payload = Buffer.from(JSON.stringify({ ...claims, j: 'abcdefgh' })).toString('base64url');
  return `${ACCESS_PREFIX}${payload}.${createHmac('sha256', key).update(payload).digest('base64url')}`;
}

for (const [name, open] of keyStores) {
  describe(`grant token keys (${name})`, () => {
    let fixture: KeyStoreFixture;
    let store: DocumentStore;
    const clock = manualClock();
    const keyring: MasterKeyring = { keys: [generateMasterKey()], source: { kind: 'env' } };
    /** What a process starting now would make. */
    const startProcess = () => createGrantTokenKeys({ store, keys: createSpaceKeys({ store, keyring, clock }), clock });

    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
    });
    afterEach(() => fixture.cleanup());

    const record = async () => (await store.getDocument('alice', KEYS_DOCTYPE, GRANT_TOKEN_KEY_ID))!;
    const overwrite = (data: unknown) => overwriteRecord(store, 'alice', KEYS_DOCTYPE, GRANT_TOKEN_KEY_ID, data);

    it('stores the key wrapped, and tokens issued before a restart verify after it', async () => {
      const token = await startProcess().sign(claims);
      const stored = JSON.parse((await record()).data!);
      expect(Object.keys(stored).sort()).toEqual(['createdAt', 'wrapped']);
      expect(stored.wrapped.v).toBe(1);
      const restarted = startProcess();
      expect(await restarted.verify('alice', token)).toMatchObject(claims);
      expect(await restarted.verify('bob', token)).toBeNull();
      expect(await restarted.verify('alice', token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA'))).toBeNull();
    });

    it('wraps a clear key of an earlier release on first read; its tokens still verify', async () => {
      const old = randomBytes(32);
      await overwrite({ key: old.toString('base64url') });
      const token = legacyToken(old);
      const keys = startProcess();
      expect(await keys.verify('alice', token)).toMatchObject(claims);
      const text = (await record()).data!;
      for (const encoding of ['hex', 'base64', 'base64url'] as const)
        expect(text).not.toContain(old.toString(encoding));
      expect(JSON.parse(text).wrapped).toBeDefined();
      // Tokens signed now use the same key, and another process reads it from the wrapped record.
      const fresh = await keys.sign(claims);
      const payload = fresh.slice(ACCESS_PREFIX.length).split('.')[0]!;
      expect(fresh.split('.')[1]).toBe(createHmac('sha256', old).update(payload).digest('base64url'));
      expect(await startProcess().verify('alice', token)).toMatchObject(claims);
    });

    it('fails with integrity_failed on a tampered wrapped key, and never makes a new one', async () => {
      const token = await startProcess().sign(claims);
      const stored = JSON.parse((await record()).data!);
      const iv = Buffer.from(stored.wrapped.iv, 'base64url');
      iv[0]! ^= 0xff;
      await overwrite({ ...stored, wrapped: { ...stored.wrapped, iv: iv.toString('base64url') } });
      const rev = (await record()).rev;
      const keys = startProcess();
      await expectFoyerError(() => keys.verify('alice', token), 'integrity_failed');
      await expectFoyerError(() => keys.sign(claims), 'integrity_failed');
      expect((await record()).rev).toBe(rev);
      // A clear key planted over a wrapped one of the wrong shape is not a key either.
      await overwrite({ key: 'short' });
      await expectFoyerError(() => startProcess().verify('alice', token), 'integrity_failed');
    });
  });
}
