import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../platform/clock.js';
import { createDiskFileStore } from '../../storage/disk/disk-file-store.js';
import type { DocumentStore } from '../../storage/document-store.js';
import { createEncryptedFileStore } from '../../storage/encrypted/encrypted-file-store.js';
import { expectFoyerError, readAll } from '../../storage/file-store.contract.js';
import { keyStores, type KeyStoreFixture } from '../../testing/key-stores.js';
import { readDataKeys } from './data-key-record.js';
import { finishRotation, keyStatus, rotateDataKey, wrapAllUnder } from './key-rotation.js';
import { generateMasterKey, type MasterKey, type MasterKeyring } from './master-keyring.js';
import { createSpaceKeys } from './space-keys.js';

const ring = (...keys: MasterKey[]): MasterKeyring => ({ keys, source: { kind: 'env' } });

for (const [name, open] of keyStores) {
  describe(`key rotation (${name})`, () => {
    let fixture: KeyStoreFixture;
    let store: DocumentStore;
    const clock = manualClock();
    let oldKey: MasterKey;
    let newKey: MasterKey;
    /** A process started before the rotation, knowing only the old master key. */
    const processWith = (...keys: MasterKey[]) => createSpaceKeys({ store, keyring: ring(...keys), clock });
    const wrappedUnder = async (space: string): Promise<string[][]> =>
      ((await readDataKeys(store, space)).record?.dataKeys ?? []).map((e) => e.wrapped.map((w) => w.kek));

    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
      oldKey = generateMasterKey();
      newKey = generateMasterKey();
    });
    afterEach(() => fixture.cleanup());

    it('re-wraps every data key under the new master key, keeping the old wrapping for running processes', async () => {
      const running = processWith(oldKey);
      const alice = await running.current('alice');
      const bob = await running.current('bob');
      const report = await wrapAllUnder(store, ring(oldKey), newKey, clock);
      expect(report).toEqual({ spaces: 2, wrapped: 2, dropped: 0, database: { wrapped: 0, dropped: 0 }, stuck: [] });
      expect(await wrappedUnder('alice')).toEqual([[newKey.id, oldKey.id]]);
      // A process that was running goes on; one started on either ring opens the same keys.
      expect(await running.current('alice')).toEqual(alice);
      expect(await processWith(oldKey).current('bob')).toEqual(bob);
      expect(await processWith(newKey).current('alice')).toEqual(alice);
      expect(await processWith(newKey, oldKey).current('bob')).toEqual(bob);
      // Running it again changes nothing.
      expect(await wrapAllUnder(store, ring(oldKey), newKey, clock)).toMatchObject({ wrapped: 0, dropped: 0 });
    });

    it('finishes: data keys made meanwhile by old processes get the new wrapping, then old wrappings go', async () => {
      const running = processWith(oldKey);
      const alice = await running.current('alice');
      await wrapAllUnder(store, ring(oldKey), newKey, clock);
      // Bob's first data key is made after step 1 by a process still on the old key only.
      const bob = await running.current('bob');
      expect(await wrappedUnder('bob')).toEqual([[oldKey.id]]);
      const report = await finishRotation(store, ring(newKey, oldKey), clock);
      expect(report).toEqual({ spaces: 2, wrapped: 1, dropped: 2, database: { wrapped: 0, dropped: 0 }, stuck: [] });
      expect(await wrappedUnder('alice')).toEqual([[newKey.id]]);
      expect(await wrappedUnder('bob')).toEqual([[newKey.id]]);
      expect(await processWith(newKey).current('alice')).toEqual(alice);
      expect(await processWith(newKey).current('bob')).toEqual(bob);
      // The old master key alone opens nothing any more.
      await expectFoyerError(() => processWith(oldKey).current('alice'), 'unavailable');
    });

    it('reports a data key no key of the ring opens, and drops nothing of it', async () => {
      const lost = generateMasterKey();
      await processWith(lost).current('alice');
      await processWith(oldKey).current('bob');
      const report = await finishRotation(store, ring(newKey, oldKey), clock);
      expect(report.stuck).toEqual([{ space: 'alice', version: 1, wrappedUnder: [lost.id] }]);
      expect(await wrappedUnder('alice')).toEqual([[lost.id]]);
      expect(await wrappedUnder('bob')).toEqual([[newKey.id]]);
    });

    it('refuses to finish over a wrapping under the current key that does not open', async () => {
      await processWith(oldKey).current('alice');
      await wrapAllUnder(store, ring(oldKey), newKey, clock);
      // Someone swapped the new key's wrapping for one of another space.
      const { record, doc } = await readDataKeys(store, 'alice');
      await processWith(newKey).current('bob');
      const bobs = (await readDataKeys(store, 'bob')).record!.dataKeys[0]!.wrapped[0]!;
      const entry = record!.dataKeys[0]!;
      await store.writeDocuments('alice', [
        {
          doctype: 'foyer.keys',
          id: 'data-keys',
          expectedRev: doc!.rev,
          rev: `9-${'a'.repeat(16)}`,
          deleted: false,
          data: JSON.stringify({ dataKeys: [{ ...entry, wrapped: [bobs, entry.wrapped[1]] }] }),
          meta: '{}',
        },
      ]);
      await expectFoyerError(() => finishRotation(store, ring(newKey, oldKey), clock), 'integrity_failed');
      expect(await wrappedUnder('alice')).toEqual([[newKey.id, oldKey.id]]);
    });

    it('rotates a space data key: new files under the new version, old ones still readable', async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'foyer-rotate-'));
      try {
        const keys = processWith(newKey);
        const files = createEncryptedFileStore(createDiskFileStore({ root: dir }), keys);
        await files.put('alice/file-a/1', Readable.from([Buffer.from('before the rotation')]));
        expect(await rotateDataKey(store, ring(newKey), 'alice', clock)).toBe(2);
        keys.forget('alice');
        await files.put('alice/file-b/1', Readable.from([Buffer.from('after the rotation')]));
        expect((await readDataKeys(store, 'alice')).record?.dataKeys.map((e) => e.version)).toEqual([1, 2]);
        expect(String(await readAll(await files.get('alice/file-a/1')))).toBe('before the rotation');
        expect(String(await readAll(await files.get('alice/file-b/1')))).toBe('after the rotation');
        const status = await keyStatus(store);
        expect(status.find((s) => s.space === 'alice')?.dataKeys?.map((k) => [k.version, k.wrappedUnder])).toEqual([
          [1, [newKey.id]],
          [2, [newKey.id]],
        ]);
        expect(status.find((s) => s.space === 'bob')?.dataKeys).toEqual([]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('refuses to rotate the data key of a missing space, or one whose keys the ring cannot open', async () => {
      await expectFoyerError(() => rotateDataKey(store, ring(newKey), 'nobody', clock), 'space_not_found');
      await processWith(oldKey).current('alice');
      await expectFoyerError(() => rotateDataKey(store, ring(newKey), 'alice', clock), 'unavailable');
      expect(await wrappedUnder('alice')).toEqual([[oldKey.id]]);
    });
  });
}
