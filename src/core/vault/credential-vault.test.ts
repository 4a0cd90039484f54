import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../platform/clock.js';
import { randomHex } from '../../platform/random-hex.js';
import type { DocumentStore } from '../../storage/document-store.js';
import { expectFoyerError } from '../../storage/file-store.contract.js';
import { jsonBody } from '../../testing/json-body.js';
import { keyStores, type KeyStoreFixture } from '../../testing/key-stores.js';
import { startTestFoyer } from '../../testing/test-foyer.js';
import { DEFAULT_SPACE } from '../spaces/space-service.js';
import { finishRotation, rotateDataKey, wrapAllUnder } from '../keys/key-rotation.js';
import { generateMasterKey, type MasterKey, type MasterKeyring } from '../keys/master-keyring.js';
import { createSpaceKeys } from '../keys/space-keys.js';
import { createCredentialVault, type CredentialSecret, type CredentialVault } from './credential-vault.js';
import { generationOf, VAULT_DOCTYPE } from './vault-record.js';

/** The known secret searched for in everything the stores write. */
const SECRET = 'Quetzalcoatl-7731-secret';
const REFRESH_TOKEN = 'rt-Xochipilli-5519-refresh';

const login = (over: Partial<CredentialSecret> = {}): CredentialSecret => ({
  kind: 'password',
  values: { username: 'alice@example.org', password: SECRET },
  label: 'Banque Exemple, compte joint',
  holder: 'banque-exemple',
  ...over,
});

const ring = (...keys: MasterKey[]): MasterKeyring => ({ keys, source: { kind: 'env' } });

/** Polls `check` until it holds (SQLite empties its WAL about a second after the last write). */
async function eventually(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('still not true after waiting');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

for (const [name, open] of keyStores) {
  describe(`credential vault (${name})`, () => {
    let fixture: KeyStoreFixture;
    let store: DocumentStore;
    let masterKey: MasterKey;
    let vault: CredentialVault;
    const clock = manualClock();

    /** A process of its own: its own data key cache, over `over` (default: the fixture's store). */
    const processWith = (keyring = ring(masterKey), over: DocumentStore = store) =>
      createCredentialVault({ store: over, spaceKeys: createSpaceKeys({ store: over, keyring, clock }), clock });

    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
      masterKey = generateMasterKey();
      // A PostgreSQL store seals the records' bodies too, under the same data keys.
      await store.useDataKeys?.(createSpaceKeys({ store, keyring: ring(masterKey), clock }));
      vault = processWith();
    });
    afterEach(() => fixture.cleanup());

    const bodyOf = async (space: string, ref: string) =>
      JSON.parse((await store.getDocument(space, VAULT_DOCTYPE, ref))!.data!);

    /**
     * Writes `data` as a record's body, as someone with write access to the database could, at
     * revision generation `generation` (default: the record's current one, so only the body differs).
     */
    async function forge(space: string, ref: string, data: unknown, generation?: number): Promise<void> {
      const current = await store.getDocument(space, VAULT_DOCTYPE, ref);
      const live = current && !current.deleted ? current : null;
      const gen = generation ?? (live ? generationOf(live.rev) : 1);
      await store.writeDocuments(space, [
        {
          doctype: VAULT_DOCTYPE,
          id: ref,
          expectedRev: live?.rev ?? null,
          rev: `${gen}-${randomHex(16)}`,
          deleted: false,
          data: JSON.stringify(data),
          meta: current?.meta ?? '{}',
        },
      ]);
    }

    it('stores a credential and reads it back, keeping its creation time across updates', async () => {
      const created = await vault.put('alice', 'bank-main', login());
      const at = new Date(clock.now()).toISOString();
      expect(created).toEqual({
        ref: 'bank-main',
        kind: 'password',
        label: 'Banque Exemple, compte joint',
        holder: 'banque-exemple',
        createdAt: at,
        updatedAt: at,
        keyVersion: 1,
        rev: expect.stringMatching(/^1-/),
      });
      expect(await vault.get('alice', 'bank-main')).toEqual({
        ...created,
        values: { username: 'alice@example.org', password: SECRET },
      });

      clock.advance(60_000);
      const updated = await vault.put(
        'alice',
        'bank-main',
        login({ values: { password: 'nouveau' }, holder: undefined }),
      );
      expect(updated).toMatchObject({ createdAt: at, updatedAt: new Date(clock.now()).toISOString(), holder: null });
      expect(generationOf(updated.rev)).toBe(2);
      // Another process reads the same.
      expect(await processWith().get('alice', 'bank-main')).toEqual({ ...updated, values: { password: 'nouveau' } });
      await expectFoyerError(() => vault.get('bob', 'bank-main'), 'not_found');
      expect(await vault.list('bob')).toEqual([]);
    });

    it('lists metadata only, never values', async () => {
      const oauth = await vault.put('alice', 'energie', {
        kind: 'oauth',
        values: { refreshToken: REFRESH_TOKEN },
        label: 'Énergie, espace client',
      });
      const bank = await vault.put('alice', 'bank-main', login());
      const listed = await vault.list('alice');
      expect(listed).toEqual([bank, oauth]);
      for (const entry of listed) {
        expect(Object.keys(entry).sort()).toEqual(
          ['createdAt', 'holder', 'keyVersion', 'kind', 'label', 'ref', 'rev', 'updatedAt'].sort(),
        );
      }
      const text = JSON.stringify(listed);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(REFRESH_TOKEN);
      expect(text).not.toContain('alice@example.org');
    });

    it('removes a credential: gone from get and list, and a second removal is not_found', async () => {
      await vault.put('alice', 'bank-main', login());
      const kept = await vault.put('alice', 'bank-other', login());
      await vault.remove('alice', 'bank-main');
      await expectFoyerError(() => vault.get('alice', 'bank-main'), 'not_found');
      expect(await vault.list('alice')).toEqual([kept]);
      await expectFoyerError(() => vault.remove('alice', 'bank-main'), 'not_found');
      // The ref can be used again, as a new record.
      expect(generationOf((await vault.put('alice', 'bank-main', login())).rev)).toBe(1);
    });

    it('checks the revision given: a create over an existing credential, or a stale revision, is a conflict', async () => {
      const first = await vault.put('alice', 'bank-main', login(), null);
      await expectFoyerError(() => vault.put('alice', 'bank-main', login(), null), 'conflict');
      const second = await vault.put('alice', 'bank-main', login({ label: 'renamed' }), first.rev);
      await expectFoyerError(() => vault.put('alice', 'bank-main', login(), first.rev), 'conflict');
      await expectFoyerError(() => vault.put('alice', 'nothing-here', login(), first.rev), 'conflict');
      await expectFoyerError(() => vault.remove('alice', 'bank-main', first.rev), 'conflict');
      expect((await vault.get('alice', 'bank-main')).label).toBe('renamed');
      await vault.remove('alice', 'bank-main', second.rev);
      await expectFoyerError(() => vault.get('alice', 'bank-main'), 'not_found');
    });

    it('rejects malformed credentials and refs, naming the field and never the value', async () => {
      const cases: [unknown, string][] = [
        [login({ kind: 'certificate' as never }), 'kind'],
        [login({ values: {} }), 'values'],
        [login({ values: { password: 5 } as never }), 'values'],
        [login({ values: { '1password': SECRET } }), 'values'],
        [login({ values: [SECRET] as never }), 'values'],
        [login({ values: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`v${i}`, SECRET])) }), 'values'],
        [login({ values: { password: SECRET.repeat(3000) } }), 'values'],
        [login({ label: ' ' }), 'label'],
        [login({ label: 'x'.repeat(201) }), 'label'],
        [login({ holder: '' }), 'holder'],
        [null, 'secret'],
      ];
      for (const [secret, field] of cases) {
        const error = await expectFoyerError(
          () => vault.put('alice', 'bank-main', secret as CredentialSecret),
          'validation_failed',
        );
        expect(error.details, JSON.stringify(secret)?.slice(0, 80)).toEqual({ field });
        expect(error.message).not.toContain(SECRET);
      }
      for (const ref of ['a/b', '..', '', '-x', 'x'.repeat(129)]) {
        await expectFoyerError(() => vault.put('alice', ref, login()), 'invalid_name');
        await expectFoyerError(() => vault.get('alice', ref), 'invalid_name');
      }
      expect(await vault.list('alice')).toEqual([]);
    });

    it('keeps the secret out of everything the store writes', async () => {
      await vault.put('alice', 'bank-main', login({ values: { password: `${SECRET}-old` } }));
      await vault.put('alice', 'bank-main', login());
      await vault.put('alice', 'energie', { kind: 'oauth', values: { refreshToken: REFRESH_TOKEN }, label: 'Énergie' });
      const needles = [SECRET, REFRESH_TOKEN].flatMap((s) => {
        const bytes = Buffer.from(s, 'utf8');
        return [s, bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex')];
      });
      expect(await fixture.holding(needles)).toEqual([]);
      // Control: the search does read what was stored (metadata in clear, and the ciphertext). The
      // PostgreSQL store seals whole bodies, so there only the data key record, kept as it is, shows.
      if (store.kind === 'postgres') {
        const wrapped = JSON.parse((await store.getDocument('alice', 'foyer.keys', 'data-keys'))!.data!);
        expect((await fixture.holding([wrapped.dataKeys[0].wrapped[0].ct])).length).toBeGreaterThan(0);
      } else {
        expect((await fixture.holding(['Banque Exemple, compte joint'])).length).toBeGreaterThan(0);
        expect((await fixture.holding([(await bodyOf('alice', 'bank-main')).wrapped.ct])).length).toBeGreaterThan(0);
      }
      expect((await vault.get('alice', 'bank-main')).values.password).toBe(SECRET);
    });

    it('fails with integrity_failed on a tampered ciphertext, nonce or metadata, and reads again once put back', async () => {
      await vault.put('alice', 'bank-main', login());
      const body = await bodyOf('alice', 'bank-main');
      const flipped = Buffer.from(body.wrapped.ct, 'base64url');
      flipped[2]! ^= 0x01;
      const tampered: [string, unknown][] = [
        ['a flipped ciphertext bit', { ...body, wrapped: { ...body.wrapped, ct: flipped.toString('base64url') } }],
        ['a cut ciphertext', { ...body, wrapped: { ...body.wrapped, ct: body.wrapped.ct.slice(0, 10) } }],
        ['another nonce', { ...body, wrapped: { ...body.wrapped, iv: 'AAAAAAAAAAAAAAAA' } }],
        ['a nonce not in base64url', { ...body, wrapped: { ...body.wrapped, iv: '!!!' } }],
        ['another holder', { ...body, holder: 'evil.example' }],
        ['another kind', { ...body, kind: 'token' }],
        ['another label', { ...body, label: 'Autre banque' }],
        ['another creation time', { ...body, createdAt: '2020-01-01T00:00:00.000Z' }],
        ['no ciphertext', { ...body, wrapped: undefined }],
        ['an unknown kind', { ...body, kind: 'certificate' }],
        ['not an object', 'text'],
      ];
      for (const [what, data] of tampered) {
        await forge('alice', 'bank-main', data);
        const error = await expectFoyerError(() => processWith().get('alice', 'bank-main'), 'integrity_failed');
        expect(error.message, what).toContain('"bank-main"');
      }
      // A damaged body is not listed as if it were fine either.
      await expectFoyerError(() => vault.list('alice'), 'integrity_failed');
      await forge('alice', 'bank-main', body);
      expect((await processWith().get('alice', 'bank-main')).values.password).toBe(SECRET);
    });

    it('refuses a ciphertext copied to another ref or space, or an older write put back', async () => {
      await vault.put('alice', 'bank-main', login());
      await vault.put('alice', 'bank-other', login({ values: { password: 'other' } }));
      await vault.put('bob', 'bank-main', login({ values: { password: 'bob' } }));
      const original = await bodyOf('alice', 'bank-main');
      // Same generation (1) everywhere: only the place differs.
      await forge('alice', 'bank-other', original);
      await expectFoyerError(() => vault.get('alice', 'bank-other'), 'integrity_failed');
      await forge('bob', 'bank-main', original);
      await expectFoyerError(() => vault.get('bob', 'bank-main'), 'integrity_failed');

      // The first write put back over the second: its generation no longer matches.
      await vault.put('alice', 'bank-main', login({ values: { password: 'changed' } }));
      await forge('alice', 'bank-main', original);
      await expectFoyerError(() => vault.get('alice', 'bank-main'), 'integrity_failed');
      await forge('alice', 'bank-main', original, 1);
      expect((await vault.get('alice', 'bank-main')).values.password).toBe(SECRET);
    });

    it('fails clearly without the master key that wraps the data key, or without the data key version named', async () => {
      const info = await vault.put('alice', 'bank-main', login());
      const elsewhere = processWith(ring(generateMasterKey()));
      for (const action of [
        () => elsewhere.get('alice', 'bank-main'),
        () => elsewhere.put('alice', 'bank-main', login()),
      ]) {
        const error = await expectFoyerError(action, 'unavailable');
        expect(error.message).toContain('none of the configured master keys');
      }
      // Metadata is in clear: listing needs no key.
      expect(await elsewhere.list('alice')).toEqual([info]);

      const body = await bodyOf('alice', 'bank-main');
      await forge('alice', 'bank-main', { ...body, wrapped: { ...body.wrapped, v: 7 } });
      const error = await expectFoyerError(() => processWith().get('alice', 'bank-main'), 'integrity_failed');
      expect(error.message).toContain('no data key version 7');
    });

    it('reads credentials under an older data key after a rotation, and re-wraps them while readers go on', async () => {
      // Started before the rotation: it keeps using version 1 for new writes until it looks again (a minute).
      const running = processWith();
      await running.put('alice', 'a', login({ values: { password: 'a' } }));
      clock.advance(1_000);
      await running.put('alice', 'b', login({ values: { password: 'b' } }));
      await running.put('bob', 'a', login({ values: { password: 'bob' } }));
      expect(await rotateDataKey(store, ring(masterKey), 'alice', clock)).toBe(2);
      expect((await running.put('alice', 'c', login({ values: { password: 'c' } }))).keyVersion).toBe(1);
      expect((await processWith().put('alice', 'd', login({ values: { password: 'd' } }))).keyVersion).toBe(2);
      const before = await running.list('alice');
      expect(before.map((c) => c.keyVersion)).toEqual([1, 1, 1, 2]);

      const expected = { a: 'a', b: 'b', c: 'c', d: 'd' };
      const readAll = async (reader: CredentialVault) =>
        Object.fromEntries(
          await Promise.all(
            Object.keys(expected).map(async (ref) => [ref, (await reader.get('alice', ref)).values.password]),
          ),
        );
      let writes = 0;
      const watched: DocumentStore = {
        ...store,
        async writeDocuments(space, docs) {
          writes++;
          // Readers, old and new, around every write of the re-wrap.
          expect(await readAll(running)).toEqual(expected);
          const written = await store.writeDocuments(space, docs);
          expect(await readAll(processWith())).toEqual(expected);
          return written;
        },
      };
      const report = await processWith(ring(masterKey), watched).rewrap('alice');
      expect(report).toEqual({ keyVersion: 2, records: 4, rewrapped: 3, older: [], damaged: [] });
      expect(writes).toBe(3);

      const after = await running.list('alice');
      expect(after.map((c) => c.keyVersion)).toEqual([2, 2, 2, 2]);
      // Same credentials, same times; new revisions.
      expect(after.map(({ rev: _r, keyVersion: _k, ...rest }) => rest)).toEqual(
        before.map(({ rev: _r, keyVersion: _k, ...rest }) => rest),
      );
      expect(await readAll(processWith())).toEqual(expected);
      expect(await processWith().rewrap('alice')).toMatchObject({ records: 4, rewrapped: 0, older: [] });
      expect((await running.list('bob')).map((c) => c.keyVersion)).toEqual([1]);
    });

    it('re-wraps through writes of processes still on the old key, and reports what they wrote after it', async () => {
      const stale = processWith();
      await stale.put('alice', 'a', login({ values: { password: 'first' } }));
      await rotateDataKey(store, ring(masterKey), 'alice', clock);
      let interfered = false;
      const contended: DocumentStore = {
        ...store,
        async writeDocuments(space, docs) {
          if (!interfered) {
            interfered = true;
            // Just before the re-wrap's first write, a server that has not seen version 2 writes twice.
            await stale.put('alice', 'a', login({ values: { password: 'second' } }));
            await stale.put('alice', 'late', login());
          }
          return store.writeDocuments(space, docs);
        },
      };
      const report = await processWith(ring(masterKey), contended).rewrap('alice');
      expect(report).toEqual({ keyVersion: 2, records: 1, rewrapped: 1, older: ['late'], damaged: [] });
      const a = await stale.get('alice', 'a');
      expect(a).toMatchObject({ keyVersion: 2, values: { password: 'second' } });
      expect(generationOf(a.rev)).toBe(3);
      // Run again, it takes the rest.
      expect(await processWith().rewrap('alice')).toMatchObject({ rewrapped: 1, older: [] });
    });

    it('reports a record that does not open during a re-wrap and leaves it as it is', async () => {
      await vault.put('alice', 'a', login());
      await vault.put('alice', 'b', login());
      await rotateDataKey(store, ring(masterKey), 'alice', clock);
      const body = await bodyOf('alice', 'a');
      await forge('alice', 'a', { ...body, holder: 'evil.example' });
      const rev = (await store.getDocument('alice', VAULT_DOCTYPE, 'a'))!.rev;
      const report = await processWith().rewrap('alice');
      expect(report).toEqual({ keyVersion: 2, records: 2, rewrapped: 1, older: [], damaged: ['a'] });
      expect((await store.getDocument('alice', VAULT_DOCTYPE, 'a'))!.rev).toBe(rev);
    });

    it('needs nothing after a master key rotation: the data key is re-wrapped, not the records', async () => {
      await vault.put('alice', 'a', login());
      const rev = (await vault.list('alice'))[0]!.rev;
      const newKey = generateMasterKey();
      await wrapAllUnder(store, ring(masterKey), newKey, clock);
      await finishRotation(store, ring(newKey, masterKey), clock);
      expect((await processWith(ring(newKey)).get('alice', 'a')).values.password).toBe(SECRET);
      expect((await vault.list('alice'))[0]!.rev).toBe(rev);
      await expectFoyerError(() => processWith(ring(masterKey)).get('alice', 'a'), 'unavailable');
    });

    it('leaves no copy of a replaced or removed credential in the stored data', async () => {
      await vault.put('alice', 'a', login());
      const first = (await bodyOf('alice', 'a')).wrapped.ct as string;
      // PostgreSQL seals the whole body: the vault's ciphertext is not in its rows even before.
      const visible = store.kind !== 'postgres';
      expect((await fixture.holding([first])).length > 0).toBe(visible);
      await vault.put('alice', 'a', login({ values: { password: 'replaced' } }));
      const second = (await bodyOf('alice', 'a')).wrapped.ct as string;
      // SQLite: zeroed in place (secure_delete), and its WAL emptied a second after the last write.
      await eventually(async () => (await fixture.holding([first])).length === 0);
      expect((await fixture.holding([second])).length > 0).toBe(visible);
      await vault.remove('alice', 'a');
      await eventually(async () => (await fixture.holding([first, second])).length === 0);
      expect(await fixture.holding(['Banque Exemple, compte joint'])).toEqual([]);
    });
  });
}

describe('credential vault in a running Foyer', () => {
  it('is not reachable through the data API', async () => {
    const f = await startTestFoyer();
    try {
      await f.ownerToken();
      await f.foyer.vault.put(DEFAULT_SPACE, 'bank-main', login());
      for (const [path, init] of [
        [`/api/data/${VAULT_DOCTYPE}/bank-main`, {}],
        [`/api/data/${VAULT_DOCTYPE}/_find`, { method: 'POST', json: {} }],
        [`/api/data/${VAULT_DOCTYPE}/_changes`, {}],
      ] as const) {
        const res = await f.request(path, init);
        expect(res.status, path).toBe(404);
        expect((await jsonBody(res)).error.code).toBe('unknown_doctype');
      }
      expect((await f.foyer.vault.get(DEFAULT_SPACE, 'bank-main')).values.password).toBe(SECRET);
    } finally {
      await f.close();
    }
  });
});
