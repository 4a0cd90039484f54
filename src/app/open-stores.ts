/**
 * Opening the master key ring and the stores a configuration names: shared by the composition root
 * (create-foyer.ts) and the lighter ones of single commands (create-import-foyer.ts), so that those
 * do not load the whole server to open a store.
 */
import path from 'node:path';
import { loadMasterKeyring, type MasterKeyring } from '../core/keys/master-keyring.js';
import type { DocumentStore } from '../storage/document-store.js';
import type { FileStore } from '../storage/file-store.js';
import { createDiskFileStore } from '../storage/disk/disk-file-store.js';
import { createSqliteDocumentStore } from '../storage/sqlite/sqlite-document-store.js';
import type { FoyerConfig } from './config.js';

/** PostgreSQL and S3 clients are loaded only when configured: an embedded Foyer stays small. */
export async function openDocumentStore(config: FoyerConfig, keyring: MasterKeyring): Promise<DocumentStore> {
  if (!config.databaseUrl) {
    const cipher = config.databaseCipher === 'none' ? null : config.databaseCipher;
    return createSqliteDocumentStore({ dataDir: config.dataDir, encryption: { keyring, cipher } });
  }
  const { createPostgresDocumentStore } = await import('../storage/postgres/postgres-document-store.js');
  return createPostgresDocumentStore({ connectionString: config.databaseUrl });
}

export async function openFileStore(config: FoyerConfig): Promise<FileStore> {
  if (config.files === 'disk') return createDiskFileStore({ root: path.join(config.dataDir, 'files') });
  const { createS3FileStore } = await import('../storage/s3/s3-file-store.js');
  const [bucket, ...prefix] = config.files.slice('s3://'.length).split('/');
  return createS3FileStore({
    endpoint: config.s3Endpoint!,
    region: config.s3Region,
    bucket: bucket!,
    accessKeyId: config.s3AccessKeyId ?? '',
    secretAccessKey: config.s3SecretAccessKey ?? '',
    forcePathStyle: true,
    ...(prefix.length ? { prefix: prefix.join('/') } : {}),
  });
}

/**
 * The master key ring (docs/security.md). A key file in the data folder is made only when all the
 * data is there: processes of a hosted deployment on PostgreSQL or S3 must share one given key.
 */
export function openMasterKeyring(config: FoyerConfig): Promise<MasterKeyring> {
  return loadMasterKeyring({
    masterKey: config.masterKey,
    masterKeyFile: config.masterKeyFile,
    dataDir: config.dataDir,
    defaultFileAllowed: config.mode === 'embedded' || (!config.databaseUrl && config.files === 'disk'),
  });
}
