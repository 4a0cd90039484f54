import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../platform/clock.js';
import type { DocumentStore } from '../../storage/document-store.js';
import { expectFoyerError } from '../../storage/file-store.contract.js';
import { keyStores, type KeyStoreFixture } from '../../testing/key-stores.js';
import { rotateDataKey } from './key-rotation.js';
import { generateMasterKey, type MasterKey, type MasterKeyring } from './master-keyring.js';
import { unwrapSecret, wrapSecret, type WrappedSecret } from './secret-wrap.js';
import { createSpaceKeys, type SpaceKeys } from './space-keys.js';

const ring = (...keys: MasterKey[]): MasterKeyring => ({ keys, source: { kind: 'env' } });

/** `text` (base64url) with its first byte changed. */
const flipFirst = (text: string): string => {
  const bytes = Buffer.from(text, 'base64url');
  bytes[0]! ^= 0x01;
  return bytes.toString('base64url');
};

for (const [name, open] of keyStores) {
  describe(`space secrets wrapped under the data key (${name})`, () => {
    let fixture: KeyStoreFixture;
    let store: DocumentStore;
    let keys: SpaceKeys;
    const k1 = generateMasterKey();
    const clock = manualClock();
    const secret = randomBytes(32);

    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
      keys = createSpaceKeys({ store, keyring: ring(k1), clock });
    });
    afterEach(() => fixture.cleanup());

    it('opens what it wrapped, in this process and another, and shows nothing of the secret', async () => {
      const wrapped = await wrapSecret(keys, 'alice', 'grant-tokens', secret);
      expect(wrapped.v).toBe(1);
      const text = JSON.stringify(wrapped);
      for (const encoding of ['hex', 'base64', 'base64url'] as const)
        expect(text).not.toContain(secret.toString(encoding));
      expect(await unwrapSecret(keys, 'alice', 'grant-tokens', wrapped)).toEqual(secret);
      const otherProcess = createSpaceKeys({ store, keyring: ring(k1), clock });
      expect(await unwrapSecret(otherProcess, 'alice', 'grant-tokens', wrapped)).toEqual(secret);
      // A random nonce each time: the same secret never wraps to the same text.
      expect((await wrapSecret(keys, 'alice', 'grant-tokens', secret)).ct).not.toBe(wrapped.ct);
    });

    it('does not open in another space or as another purpose', async () => {
      const wrapped = await wrapSecret(keys, 'alice', 'grant-tokens', secret);
      await expectFoyerError(() => unwrapSecret(keys, 'bob', 'grant-tokens', wrapped), 'integrity_failed');
      const error = await expectFoyerError(
        () => unwrapSecret(keys, 'alice', 'oauth-signing', wrapped),
        'integrity_failed',
      );
      expect(error.message).toContain('oauth-signing');
      expect(error.message).not.toContain(secret.toString('hex'));
    });

    it('opens under the data key version it names, after a rotation, and not relabelled as another', async () => {
      const before = await wrapSecret(keys, 'alice', 'grant-tokens', secret);
      await rotateDataKey(store, ring(k1), 'alice', clock);
      const fresh = createSpaceKeys({ store, keyring: ring(k1), clock });
      const after = await wrapSecret(fresh, 'alice', 'grant-tokens', secret);
      expect(after.v).toBe(2);
      expect(await unwrapSecret(fresh, 'alice', 'grant-tokens', before)).toEqual(secret);
      expect(await unwrapSecret(fresh, 'alice', 'grant-tokens', after)).toEqual(secret);
      await expectFoyerError(
        () => unwrapSecret(fresh, 'alice', 'grant-tokens', { ...before, v: 2 }),
        'integrity_failed',
      );
      await expectFoyerError(
        () => unwrapSecret(fresh, 'alice', 'grant-tokens', { ...before, v: 9 }),
        'integrity_failed',
      );
    });

    it('fails with integrity_failed on an altered ciphertext, tag or nonce, or a cut one', async () => {
      const wrapped = await wrapSecret(keys, 'alice', 'grant-tokens', secret);
      const ct = Buffer.from(wrapped.ct, 'base64url');
      const lastFlipped = Buffer.from(ct);
      lastFlipped[ct.length - 1]! ^= 0x80;
      const altered: WrappedSecret[] = [
        { ...wrapped, ct: flipFirst(wrapped.ct) },
        { ...wrapped, ct: lastFlipped.toString('base64url') },
        { ...wrapped, iv: flipFirst(wrapped.iv) },
        { ...wrapped, ct: ct.subarray(0, ct.length - 1).toString('base64url') },
        { ...wrapped, ct: ct.subarray(0, 10).toString('base64url') },
        { ...wrapped, iv: Buffer.from(wrapped.iv, 'base64url').subarray(1).toString('base64url') },
      ];
      for (const bad of altered)
        await expectFoyerError(() => unwrapSecret(keys, 'alice', 'grant-tokens', bad), 'integrity_failed');
    });

    it('fails with integrity_failed on a malformed wrapping', async () => {
      const wrapped = await wrapSecret(keys, 'alice', 'grant-tokens', secret);
      const malformed: unknown[] = [
        null,
        'text',
        {},
        { ...wrapped, v: 0 },
        { ...wrapped, v: 1.5 },
        { ...wrapped, v: '1' },
        { ...wrapped, iv: undefined },
        { ...wrapped, ct: '' },
        { ...wrapped, ct: 'not base64url!' },
      ];
      for (const bad of malformed)
        await expectFoyerError(() => unwrapSecret(keys, 'alice', 'grant-tokens', bad), 'integrity_failed');
    });

    it('is unavailable to a process whose master keys do not open the data key', async () => {
      const wrapped = await wrapSecret(keys, 'alice', 'grant-tokens', secret);
      const stranger = createSpaceKeys({ store, keyring: ring(generateMasterKey()), clock });
      await expectFoyerError(() => unwrapSecret(stranger, 'alice', 'grant-tokens', wrapped), 'unavailable');
    });

    it('refuses a purpose name that could blur the binding', async () => {
      for (const purpose of ['', 'a\0b', 'Grant', 'x'.repeat(65), '-lead']) {
        await expectFoyerError(() => wrapSecret(keys, 'alice', purpose, secret), 'internal');
      }
    });
  });
}
