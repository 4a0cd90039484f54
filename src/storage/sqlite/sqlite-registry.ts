/**
 * The space registry, `<dataDir>/foyer.db`: which spaces exist, their time zone, the host names
 * that route to them, and the wrapped key each space's file is encrypted under. Each space's data
 * lives in its own file (see `sqlite-space.ts`).
 */
import { FoyerError } from '../../core/errors.js';
import type { WrappedDataKey } from '../../core/keys/key-wrap.js';
import type { SpaceRecord } from '../document-store.js';
import type { SqliteCipher } from './sqlite-cipher.js';
import { migrate, registryMigrations } from './sqlite-migrations.js';
import { openSqliteFile } from './sqlite-space.js';

interface SpaceRow {
  id: string;
  time_zone: string;
  created_at: string;
}

/** A space's database key as the registry keeps it: wrapped under one or more master keys. */
export interface WrappedDatabaseKey {
  cipher: SqliteCipher;
  wrapped: WrappedDataKey[];
}

export type SqliteRegistry = ReturnType<typeof openRegistry>;

export function openRegistry(file: string) {
  const db = openSqliteFile(file, 'the space registry', { create: true });
  try {
    migrate(db, registryMigrations, 'the space registry');
  } catch (e) {
    db.close();
    throw e;
  }
  const statements = {
    space: db.prepare<[string], SpaceRow>('SELECT id, time_zone, created_at FROM spaces WHERE id = ?'),
    allSpaces: db.prepare<[], SpaceRow>('SELECT id, time_zone, created_at FROM spaces ORDER BY id'),
    hostsOf: db.prepare<[string], { host: string }>(
      'SELECT host FROM space_hosts WHERE space_id = ? ORDER BY position',
    ),
    allHosts: db.prepare<[], { host: string; space_id: string }>(
      'SELECT host, space_id FROM space_hosts ORDER BY space_id, position',
    ),
    spaceOfHost: db.prepare<[string], { space_id: string }>('SELECT space_id FROM space_hosts WHERE host = ?'),
    insertSpace: db.prepare<[string, string, string]>(
      'INSERT INTO spaces (id, time_zone, created_at) VALUES (?, ?, ?)',
    ),
    insertHost: db.prepare<[string, string, number]>(
      'INSERT INTO space_hosts (host, space_id, position) VALUES (?, ?, ?)',
    ),
    deleteSpace: db.prepare<[string]>('DELETE FROM spaces WHERE id = ?'),
    keyOf: db.prepare<[string], { cipher: string; wrapped: string }>(
      'SELECT cipher, wrapped FROM space_keys WHERE space_id = ?',
    ),
    putKey: db.prepare<[string, string, string]>(
      'INSERT OR REPLACE INTO space_keys (space_id, cipher, wrapped) VALUES (?, ?, ?)',
    ),
  };

  const record = (row: SpaceRow, hosts: string[]): SpaceRecord => ({
    id: row.id,
    hosts,
    timeZone: row.time_zone,
    createdAt: row.created_at,
  });

  function get(id: string): SpaceRecord | null {
    const row = statements.space.get(id);
    return row
      ? record(
          row,
          statements.hostsOf.all(id).map((h) => h.host),
        )
      : null;
  }

  const insert = db.transaction((space: SpaceRecord, key: WrappedDatabaseKey | undefined) => {
    if (statements.space.get(space.id)) {
      throw new FoyerError('conflict', `A space with id "${space.id}" already exists.`, { space: space.id });
    }
    statements.insertSpace.run(space.id, space.timeZone, space.createdAt);
    space.hosts.forEach((host, position) => {
      const owner = statements.spaceOfHost.get(host);
      if (owner || space.hosts.indexOf(host) !== position) {
        throw new FoyerError('conflict', `The host name "${host}" already routes to another space.`, { host });
      }
      statements.insertHost.run(host, space.id, position);
    });
    if (key) statements.putKey.run(space.id, key.cipher, JSON.stringify(key.wrapped));
  });

  return {
    get,
    findByHost(host: string): SpaceRecord | null {
      const row = statements.spaceOfHost.get(host);
      return row ? get(row.space_id) : null;
    },
    list(): SpaceRecord[] {
      const hosts = new Map<string, string[]>();
      for (const h of statements.allHosts.all()) {
        const list = hosts.get(h.space_id) ?? [];
        list.push(h.host);
        hosts.set(h.space_id, list);
      }
      return statements.allSpaces.all().map((row) => record(row, hosts.get(row.id) ?? []));
    },
    /** Records the space (with its database key); `conflict` if its id or one of its hosts is taken. */
    insert(space: SpaceRecord, key?: WrappedDatabaseKey): void {
      insert.immediate(space, key);
    },
    /** The space's wrapped database key; null for a space whose file is in clear. */
    keyOf(id: string): WrappedDatabaseKey | null {
      const row = statements.keyOf.get(id);
      return row ? { cipher: row.cipher as SqliteCipher, wrapped: JSON.parse(row.wrapped) as WrappedDataKey[] } : null;
    },
    putKey(id: string, key: WrappedDatabaseKey): void {
      statements.putKey.run(id, key.cipher, JSON.stringify(key.wrapped));
    },
    /**
     * Forgets the space, its hosts and its wrapped key; false if there was none. The rows are
     * zeroed in the file (secure_delete) and the WAL, which still holds their earlier versions,
     * is checkpointed and emptied: nothing of a deleted space stays in the registry's files.
     */
    remove(id: string): boolean {
      const removed = statements.deleteSpace.run(id).changes > 0;
      if (removed) db.pragma('wal_checkpoint(TRUNCATE)');
      return removed;
    },
    close(): void {
      db.close();
    },
  };
}
