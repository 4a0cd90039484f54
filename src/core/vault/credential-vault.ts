/**
 * The credential vault: where a space keeps what its connectors need to log in at data holders
 * (passwords, OAuth refresh tokens, PSD2 consents, second-factor seeds), encrypted under the
 * space's data key (`vault-record.ts`). Used from the server side only: no HTTP route reads it,
 * and `list` never opens anything, so it shows metadata and never values.
 *
 * After a data key rotation, records stay readable under the version they name; `rewrap` seals
 * them again under the newest one, one record per write, so readers never see a gap
 * (docs/security.md, "The credential vault").
 */
import type { Clock } from '../../platform/clock.js';
import type { DocumentStore } from '../../storage/document-store.js';
import { nextRevision } from '../documents/document-id.js';
import { FoyerError, isFoyerError } from '../errors.js';
import { internalRecords, type InternalRecord } from '../internal-records.js';
import type { SpaceKeys } from '../keys/space-keys.js';
import { checkRef, checkSecret, type CredentialSecret } from './credential-input.js';
import {
  openVaultRecord,
  parseVaultRecord,
  sealVaultRecord,
  VAULT_DOCTYPE,
  type CredentialKind,
  type VaultMetadata,
  type VaultPlace,
  type VaultRecord,
} from './vault-record.js';

export type { CredentialSecret } from './credential-input.js';
export type { CredentialKind } from './vault-record.js';

/** A credential without its values: what `list` shows. */
export interface CredentialInfo {
  ref: string;
  kind: CredentialKind;
  label: string;
  holder: string | null;
  createdAt: string;
  updatedAt: string;
  /** The data key version its values are encrypted under. */
  keyVersion: number;
  /** The record's revision: what `put` and `remove` may name as the one expected. */
  rev: string;
}

export interface Credential extends CredentialInfo {
  values: Record<string, string>;
}

export interface VaultRewrapReport {
  /** The space's newest data key version: what the records were sealed under. */
  keyVersion: number;
  records: number;
  rewrapped: number;
  /** Refs still under an older version afterwards: written meanwhile by a process not yet using the newest key. */
  older: string[];
  /** Refs of records that do not open (`integrity_failed`), left as they are. */
  damaged: string[];
}

export interface CredentialVault {
  /**
   * Stores (creates or replaces) a credential. `expectedRev`: the revision read (`null`: there must
   * be none); a mismatch is `conflict`. Without it, the last writer wins.
   */
  put(space: string, ref: string, secret: CredentialSecret, expectedRev?: string | null): Promise<CredentialInfo>;
  /** The credential with its values; `not_found` if there is none, `integrity_failed` if it does not open. */
  get(space: string, ref: string): Promise<Credential>;
  /** Every credential of the space, by ref, without values (nothing is decrypted). */
  list(space: string): Promise<CredentialInfo[]>;
  /** Deletes a credential; `not_found` if there is none. */
  remove(space: string, ref: string, expectedRev?: string): Promise<void>;
  /** Seals every record under an older data key version again under the newest. */
  rewrap(space: string): Promise<VaultRewrapReport>;
}

export interface CredentialVaultDeps {
  store: DocumentStore;
  spaceKeys: SpaceKeys;
  clock: Clock;
}

const ATTEMPTS = 8;

interface Read {
  place: VaultPlace;
  record: VaultRecord;
  info: CredentialInfo;
}

function infoOf(place: VaultPlace, record: VaultRecord): CredentialInfo {
  const { kind, label, holder, createdAt, updatedAt } = record;
  return { ref: place.ref, kind, label, holder, createdAt, updatedAt, keyVersion: record.wrapped.v, rev: place.rev };
}

const isConflict = (error: unknown): boolean => isFoyerError(error) && error.code === 'conflict';

export function createCredentialVault(deps: CredentialVaultDeps): CredentialVault {
  const { store, spaceKeys: keys, clock } = deps;
  const records = internalRecords<unknown>(store, VAULT_DOCTYPE);
  const nowIso = () => new Date(clock.now()).toISOString();

  function read(space: string, found: InternalRecord<unknown>): Read {
    const place = { space, ref: found.id, rev: found.doc.rev };
    const record = parseVaultRecord(place, found.data);
    return { place, record, info: infoOf(place, record) };
  }

  async function existing(space: string, ref: string): Promise<InternalRecord<unknown>> {
    const found = await records.get(space, checkRef(ref));
    if (!found) throw new FoyerError('not_found', `Space "${space}" has no credential "${ref}".`, { space, ref });
    return found;
  }

  /** Seals `values` as the next revision of `previous` (null: a new record) and writes it. */
  async function write(
    space: string,
    ref: string,
    previous: InternalRecord<unknown> | null,
    meta: VaultMetadata,
    values: Record<string, string>,
  ): Promise<CredentialInfo> {
    // The revision is made first: its generation is bound into the ciphertext.
    const place = { space, ref, rev: nextRevision(previous?.doc.rev ?? null) };
    const record = await sealVaultRecord(keys, place, meta, values);
    await records.put(space, ref, record, previous?.doc ?? null, meta.updatedAt, place.rev);
    return infoOf(place, record);
  }

  /** Runs `action` again on a conflict, unless the caller named the revision it expects. */
  async function retried<T>(expected: boolean, action: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await action();
      } catch (error) {
        if (expected || !isConflict(error) || attempt === ATTEMPTS) throw error;
      }
    }
  }

  function checkExpected(
    space: string,
    ref: string,
    found: InternalRecord<unknown> | null,
    expectedRev?: string | null,
  ) {
    if (expectedRev !== undefined && (found?.doc.rev ?? null) !== expectedRev) {
      throw new FoyerError(
        'conflict',
        found
          ? `The credential "${ref}" of space "${space}" was changed since it was read.`
          : `Space "${space}" has no credential "${ref}" at the revision given.`,
        { space, ref, expectedRev, rev: found?.doc.rev ?? null },
      );
    }
  }

  /** Seals one record again under the space's current key; false if there was nothing to do. */
  async function rewrapOne(space: string, ref: string, newest: number): Promise<boolean> {
    return retried(false, async () => {
      const found = await records.get(space, ref);
      if (!found) return false;
      const { place, record } = read(space, found);
      if (record.wrapped.v >= newest) return false;
      const values = await openVaultRecord(keys, place, record);
      const { kind, label, holder, createdAt, updatedAt } = record;
      await write(space, ref, found, { kind, label, holder, createdAt, updatedAt }, values);
      return true;
    });
  }

  return {
    async put(space, ref, secret, expectedRev) {
      checkRef(ref);
      const { kind, label, holder, values } = checkSecret(secret);
      return retried(expectedRev !== undefined, async () => {
        const found = await records.get(space, ref);
        checkExpected(space, ref, found, expectedRev);
        const now = nowIso();
        const before = (found?.data as { createdAt?: unknown } | null)?.createdAt;
        const createdAt = typeof before === 'string' ? before : now;
        return write(space, ref, found, { kind, label, holder: holder ?? null, createdAt, updatedAt: now }, values);
      });
    },

    async get(space, ref) {
      const { place, record, info } = read(space, await existing(space, ref));
      return { ...info, values: await openVaultRecord(keys, place, record) };
    },

    async list(space) {
      return (await records.all(space)).map((found) => read(space, found).info);
    },

    async remove(space, ref, expectedRev) {
      await retried(expectedRev !== undefined, async () => {
        const found = await existing(space, ref);
        checkExpected(space, ref, found, expectedRev);
        await records.remove(space, [found.doc]);
      });
    },

    async rewrap(space) {
      const { version: newest } = await keys.current(space);
      const report: VaultRewrapReport = { keyVersion: newest, records: 0, rewrapped: 0, older: [], damaged: [] };
      for (const found of await records.all(space)) {
        report.records++;
        try {
          if (await rewrapOne(space, found.id, newest)) report.rewrapped++;
        } catch (error) {
          if (!(isFoyerError(error) && error.code === 'integrity_failed')) throw error;
          report.damaged.push(found.id);
        }
      }
      const damaged = new Set(report.damaged);
      for (const found of await records.all(space)) {
        if (damaged.has(found.id)) continue;
        if (read(space, found).record.wrapped.v < newest) report.older.push(found.id);
      }
      return report;
    },
  };
}
