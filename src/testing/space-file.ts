/**
 * Opens a space's SQLite file directly, behind Foyer's back, as someone holding the data folder
 * and its master key would: for tests that tamper with the rows. The file is encrypted, so this
 * needs the key ring (`<dataDir>/keys/master.key` unless given) to unwrap the space's key.
 */
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { openDatabaseKey } from '../core/keys/key-wrap.js';
import { loadMasterKeyring, type MasterKeyring } from '../core/keys/master-keyring.js';
import { unlockPragmas } from '../storage/sqlite/sqlite-cipher.js';
import { openRegistry } from '../storage/sqlite/sqlite-registry.js';

export async function openSpaceFile(
  dataDir: string,
  space: string,
  keyring?: MasterKeyring,
): Promise<Database.Database> {
  const ring =
    keyring ??
    (await loadMasterKeyring({ dataDir, defaultFileAllowed: true, masterKey: undefined, masterKeyFile: undefined }));
  const registry = openRegistry(path.join(dataDir, 'foyer.db'));
  const record = registry.keyOf(space);
  registry.close();
  const db = new Database(path.join(dataDir, 'spaces', space, 'space.db'), { fileMustExist: true });
  if (record) {
    const key = openDatabaseKey(ring, space, record.wrapped);
    for (const pragma of unlockPragmas({ cipher: record.cipher, key })) db.pragma(pragma);
  }
  return db;
}
