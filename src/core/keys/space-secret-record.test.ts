import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../platform/clock.js';
import type { DocumentStore } from '../../storage/document-store.js';
import { expectFoyerError } from '../../storage/file-store.contract.js';
import { keyStores, overwriteRecord, type KeyStoreFixture } from '../../testing/key-stores.js';
import { generateMasterKey, type MasterKeyring } from './master-keyring.js';
import { unwrapSecret } from './secret-wrap.js';
import { createSpaceKeys } from './space-keys.js';
import {
  createSpaceSecret,
  loadSpaceSecret,
  type SpaceSecretDeps,
  type SpaceSecretSpec,
} from './space-secret-record.js';

const DOCTYPE = 'foyer.keys';
const ID = 'test-secret';
const PURPOSE = 'test-secret';

/** An earlier release's record: the secret in clear as `{ clear: hex }`. */
const spec: SpaceSecretSpec = {
  doctype: DOCTYPE,
  id: ID,
  purpose: PURPOSE,
  create: () => randomBytes(32),
  legacy: (data) => {
    const clear = (data as { clear?: unknown } | null)?.clear;
    return typeof clear === 'string' ? Buffer.from(clear, 'hex') : null;
  },
};

for (const [name, open] of keyStores) {
  describe(`a space secret stored wrapped (${name})`, () => {
    let fixture: KeyStoreFixture;
    let store: DocumentStore;
    const clock = manualClock();
    const keyring: MasterKeyring = { keys: [generateMasterKey()], source: { kind: 'env' } };
    /** A process of its own: its own data key cache. */
    const process = (over: Partial<SpaceSecretDeps> = {}): SpaceSecretDeps => ({
      store,
      keys: createSpaceKeys({ store, keyring, clock }),
      clock,
      ...over,
    });

    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
    });
    afterEach(() => fixture.cleanup());

    const recordText = async (space = 'alice') => (await store.getDocument(space, DOCTYPE, ID))?.data ?? null;
    /** The record's generation: how many times it was written. */
    const generation = async () => Number.parseInt((await store.getDocument('alice', DOCTYPE, ID))!.rev, 10);

    /** Writes `data` over the record, as someone with write access to the database could. */
    const overwrite = (data: unknown) => overwriteRecord(store, 'alice', DOCTYPE, ID, data);

    const expectOnlyWrapped = async (secret: Buffer) => {
      const text = await recordText();
      expect(text).not.toBeNull();
      for (const encoding of ['hex', 'base64', 'base64url'] as const)
        expect(text).not.toContain(secret.toString(encoding));
      const record = JSON.parse(text!);
      expect(Object.keys(record).sort()).toEqual(['createdAt', 'wrapped']);
      expect(await unwrapSecret(process().keys, 'alice', PURPOSE, record.wrapped)).toEqual(secret);
    };

    it('makes the secret on first use, stores it only wrapped, and every later process reads the same', async () => {
      const made = await loadSpaceSecret(process(), spec, 'alice');
      expect(made.length).toBe(32);
      await expectOnlyWrapped(made);
      expect(await loadSpaceSecret(process(), spec, 'alice')).toEqual(made);
      expect((await loadSpaceSecret(process(), spec, 'bob')).equals(made)).toBe(false);
    });

    it('agrees on one secret when several processes make it at once', async () => {
      const made = await Promise.all(Array.from({ length: 6 }, () => loadSpaceSecret(process(), spec, 'alice')));
      expect(new Set(made.map((s) => s.toString('hex'))).size).toBe(1);
      await expectOnlyWrapped(made[0]!);
    });

    it('wraps a clear record of an earlier release in place, keeping its value', async () => {
      const old = randomBytes(32);
      await overwrite({ clear: old.toString('hex') });
      expect(await generation()).toBe(1);
      expect(await loadSpaceSecret(process(), spec, 'alice')).toEqual(old);
      await expectOnlyWrapped(old);
      expect(await generation()).toBe(2);
      // Read again: no second rewrite.
      expect(await loadSpaceSecret(process(), spec, 'alice')).toEqual(old);
      expect(await generation()).toBe(2);
    });

    it('migrates once when several processes read a clear record at once', async () => {
      const old = randomBytes(32);
      await overwrite({ clear: old.toString('hex') });
      const read = await Promise.all(Array.from({ length: 6 }, () => loadSpaceSecret(process(), spec, 'alice')));
      for (const secret of read) expect(secret).toEqual(old);
      await expectOnlyWrapped(old);
      expect(await generation()).toBe(2);
    });

    it('fails with integrity_failed on a tampered wrapping, and never replaces it with a new secret', async () => {
      const made = await loadSpaceSecret(process(), spec, 'alice');
      const record = JSON.parse((await recordText())!);
      const ct = Buffer.from(record.wrapped.ct, 'base64url');
      ct[3]! ^= 0x10;
      await overwrite({ ...record, wrapped: { ...record.wrapped, ct: ct.toString('base64url') } });
      const tampered = await store.getDocument('alice', DOCTYPE, ID);
      for (let i = 0; i < 3; i++) {
        await expectFoyerError(() => loadSpaceSecret(process(), spec, 'alice'), 'integrity_failed');
      }
      expect((await store.getDocument('alice', DOCTYPE, ID))!.rev).toBe(tampered!.rev);
      // Put back, it opens again to the same secret.
      await overwrite(record);
      expect(await loadSpaceSecret(process(), spec, 'alice')).toEqual(made);
    });

    it('fails with integrity_failed on a record that is neither wrapped nor an earlier release’s, and leaves it', async () => {
      for (const data of [{}, { wrapped: { v: 1 } }, { wrapped: 'x', createdAt: 5 }, [1, 2], 'text', null]) {
        await overwrite(data);
        const error = await expectFoyerError(() => loadSpaceSecret(process(), spec, 'alice'), 'integrity_failed');
        expect(error.message).toContain(PURPOSE);
        expect(JSON.parse((await recordText())!)).toEqual(data);
      }
    });

    it('gives up with a conflict when another writer changes the record before every write', async () => {
      await overwrite({ clear: randomBytes(32).toString('hex') });
      let writes = 0;
      const contended: DocumentStore = {
        ...store,
        async writeDocuments(space, docs) {
          writes++;
          // Another process migrates it back and forth in between: the revision read is always stale.
          await overwrite({ clear: randomBytes(32).toString('hex') });
          return store.writeDocuments(space, docs);
        },
      };
      const error = await expectFoyerError(
        () => loadSpaceSecret(process({ store: contended }), spec, 'alice'),
        'conflict',
      );
      expect(error.message).toContain(PURPOSE);
      expect(writes).toBe(8);
    });

    it('reads the store once per process and space, and tries again after a failure', async () => {
      let reads = 0;
      const counted: DocumentStore = {
        ...store,
        getDocument(space, doctype, id) {
          if (doctype === DOCTYPE && id === ID) reads++;
          return store.getDocument(space, doctype, id);
        },
      };
      const deps = process({ store: counted });
      const secrets = createSpaceSecret(deps, spec, (bytes) => bytes.toString('hex'));
      const [a, b] = await Promise.all([secrets.get('alice'), secrets.get('alice')]);
      expect(a).toBe(b);
      expect(await secrets.get('alice')).toBe(a);
      expect(reads).toBe(1);

      const fresh = createSpaceSecret(process({ store: counted }), spec, (bytes) => bytes.toString('hex'));
      const record = JSON.parse((await recordText())!);
      await overwrite({ ...record, wrapped: { ...record.wrapped, iv: 'AAAAAAAAAAAAAAAA' } });
      await expectFoyerError(() => fresh.get('alice'), 'integrity_failed');
      await overwrite(record);
      expect(await fresh.get('alice')).toBe(a);

      secrets.forget('alice');
      reads = 0;
      expect(await secrets.get('alice')).toBe(a);
      expect(reads).toBe(1);
    });
  });
}
