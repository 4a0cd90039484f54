import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../platform/clock.js';
import type { DocumentStore } from '../../storage/document-store.js';
import { expectFoyerError } from '../../storage/file-store.contract.js';
import { keyStores, type KeyStoreFixture } from '../../testing/key-stores.js';
import { nextRevision } from '../documents/document-id.js';
import { DATA_KEYS_ID, KEYS_DOCTYPE, readDataKeys } from './data-key-record.js';
import { generateMasterKey, type MasterKey, type MasterKeyring } from './master-keyring.js';
import { rotateDataKey } from './key-rotation.js';
import { createSpaceKeys, newDataKeyEntry } from './space-keys.js';

const ring = (...keys: MasterKey[]): MasterKeyring => ({ keys, source: { kind: 'env' } });

for (const [name, open] of keyStores) {
  describe(`space data keys (${name})`, () => {
    let fixture: KeyStoreFixture;
    let store: DocumentStore;
    const k1 = generateMasterKey();
    const k2 = generateMasterKey();
    const clock = manualClock();

    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
    });
    afterEach(() => fixture.cleanup());

    /** Overwrites the space's key record with `data` (JSON text), as someone with database access could. */
    const overwriteRecord = async (space: string, data: string): Promise<void> => {
      const current = await store.getDocument(space, KEYS_DOCTYPE, DATA_KEYS_ID);
      await store.writeDocuments(space, [
        {
          doctype: KEYS_DOCTYPE,
          id: DATA_KEYS_ID,
          expectedRev: current?.rev ?? null,
          rev: nextRevision(current?.rev ?? null),
          deleted: false,
          data,
          meta: '{}',
        },
      ]);
    };

    it('makes version 1 on first use, 32 bytes, and gives the same key to every later call and process', async () => {
      const keys = createSpaceKeys({ store, keyring: ring(k1), clock });
      const first = await keys.current('alice');
      expect(first.version).toBe(1);
      expect(first.key.length).toBe(32);
      expect(await keys.current('alice')).toEqual(first);
      expect(await keys.version('alice', 1)).toEqual(first);
      const otherProcess = createSpaceKeys({ store, keyring: ring(k1), clock });
      expect(await otherProcess.current('alice')).toEqual(first);
    });

    it('gives each space its own key', async () => {
      const keys = createSpaceKeys({ store, keyring: ring(k1), clock });
      const [alice, bob] = await Promise.all([keys.current('alice'), keys.current('bob')]);
      expect(alice.key.equals(bob.key)).toBe(false);
    });

    it('agrees on one key when several processes make it at once', async () => {
      const made = await Promise.all(
        Array.from({ length: 6 }, () => createSpaceKeys({ store, keyring: ring(k1), clock }).current('alice')),
      );
      expect(new Set(made.map((k) => k.key.toString('hex'))).size).toBe(1);
      const { record } = await readDataKeys(store, 'alice');
      expect(record?.dataKeys).toHaveLength(1);
    });

    it('stores the key only wrapped, under every master key of the ring, with their ids', async () => {
      const keys = createSpaceKeys({ store, keyring: ring(k1, k2), clock });
      const { key } = await keys.current('alice');
      const doc = await store.getDocument('alice', KEYS_DOCTYPE, DATA_KEYS_ID);
      for (const encoding of ['hex', 'base64', 'base64url'] as const) {
        expect(doc?.data).not.toContain(key.toString(encoding));
        expect(doc?.data).not.toContain(k1.key.toString(encoding));
      }
      const { record } = await readDataKeys(store, 'alice');
      expect(record?.dataKeys[0]?.wrapped.map((w) => w.kek)).toEqual([k1.id, k2.id]);
      // Either master key alone opens it.
      for (const only of [k1, k2]) {
        expect(await createSpaceKeys({ store, keyring: ring(only), clock }).current('alice')).toEqual({
          version: 1,
          key,
        });
      }
    });

    it('answers unavailable when no key of the ring opens the data key', async () => {
      await createSpaceKeys({ store, keyring: ring(k1), clock }).current('alice');
      const error = await expectFoyerError(
        () => createSpaceKeys({ store, keyring: ring(k2), clock }).current('alice'),
        'unavailable',
      );
      expect(error.details).toMatchObject({ space: 'alice', wrappedUnder: [k1.id] });
    });

    it('refuses a wrapped key moved to another space with integrity_failed', async () => {
      const keys = createSpaceKeys({ store, keyring: ring(k1), clock });
      await keys.current('alice');
      const alice = await store.getDocument('alice', KEYS_DOCTYPE, DATA_KEYS_ID);
      await overwriteRecord('bob', alice!.data!);
      await expectFoyerError(
        () => createSpaceKeys({ store, keyring: ring(k1), clock }).current('bob'),
        'integrity_failed',
      );
    });

    it('refuses an altered wrapped key, a relabelled version and a damaged record with integrity_failed', async () => {
      await createSpaceKeys({ store, keyring: ring(k1), clock }).current('alice');
      const { record } = await readDataKeys(store, 'alice');
      const entry = record!.dataKeys[0]!;
      const wrapped = entry.wrapped[0]!;
      const ct = Buffer.from(wrapped.ct, 'base64url');
      ct[3]! ^= 1;
      const altered = { dataKeys: [{ ...entry, wrapped: [{ ...wrapped, ct: ct.toString('base64url') }] }] };
      const relabelled = { dataKeys: [{ ...entry, version: 2 }] };
      for (const data of [JSON.stringify(altered), JSON.stringify(relabelled), '{"dataKeys":"x"}', '[1, 2]']) {
        await overwriteRecord('alice', data);
        const fresh = createSpaceKeys({ store, keyring: ring(k1), clock });
        await expectFoyerError(() => fresh.current('alice'), 'integrity_failed');
      }
    });

    it('looks a version up at once when this process has not seen it, and refuses an unknown one', async () => {
      const a = createSpaceKeys({ store, keyring: ring(k1), clock });
      const b = createSpaceKeys({ store, keyring: ring(k1), clock });
      await a.current('alice');
      await b.current('alice');
      const { record } = await readDataKeys(store, 'alice');
      // Another process adds version 2 (as `foyer keys rotate --space alice --data-key` does).
      await overwriteRecord(
        'alice',
        JSON.stringify({ dataKeys: [...record!.dataKeys, newDataKeyEntry(ring(k1), 'alice', 2, 'now')] }),
      );
      expect((await b.version('alice', 2)).version).toBe(2);
      const error = await expectFoyerError(() => b.version('alice', 3), 'integrity_failed');
      expect(error.details).toEqual({ space: 'alice', version: 3 });
    });

    it('picks up a newer version for new content once refreshMs has passed', async () => {
      const keys = createSpaceKeys({ store, keyring: ring(k1), clock, refreshMs: 60_000 });
      expect((await keys.current('alice')).version).toBe(1);
      await rotateDataKey(store, ring(k1), 'alice', clock);
      clock.advance(59_000);
      expect((await keys.current('alice')).version).toBe(1);
      clock.advance(1_000);
      expect((await keys.current('alice')).version).toBe(2);
    });

    it('forgets a space on demand and does not keep a failure', async () => {
      const keys = createSpaceKeys({ store, keyring: ring(k1), clock });
      const first = await keys.current('alice');
      await overwriteRecord('alice', '{"dataKeys":[{"version":"one"}]}');
      expect(await keys.current('alice')).toEqual(first);
      keys.forget('alice');
      await expectFoyerError(() => keys.current('alice'), 'integrity_failed');
      await overwriteRecord('alice', JSON.stringify({ dataKeys: [] }));
      // After the failure, the next call reads again (an empty record gets a new version 1).
      expect((await keys.current('alice')).version).toBe(1);
    });
  });
}
