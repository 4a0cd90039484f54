/**
 * The real DocumentStores the key tests run on: SQLite in a temporary folder, and the tests'
 * PostgreSQL on a fresh schema. Each fixture comes with two spaces, `alice` and `bob`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { nextRevision } from '../core/documents/document-id.js';
import type { DocumentStore } from '../storage/document-store.js';
import { createSqliteDocumentStore } from '../storage/sqlite/sqlite-document-store.js';
import { makeTestPostgresStore } from './postgres.js';
import { filesHolding, rowsHolding } from './stored-data-search.js';

export interface KeyStoreFixture {
  store: DocumentStore;
  /** Where each needle is found in what the store keeps: SQLite files (WAL included), or PostgreSQL rows. */
  holding(needles: string[]): Promise<string[]>;
  cleanup(): Promise<void>;
}

async function withSpaces(fixture: KeyStoreFixture): Promise<KeyStoreFixture> {
  for (const id of ['alice', 'bob']) {
    await fixture.store.createSpace({ id, hosts: [], timeZone: 'Europe/Paris', createdAt: new Date().toISOString() });
  }
  return fixture;
}

export const keyStores: [string, () => Promise<KeyStoreFixture>][] = [
  [
    'SQLite',
    async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'foyer-keys-'));
      const store = createSqliteDocumentStore({ dataDir: dir });
      return withSpaces({
        store,
        holding: (needles) => filesHolding(dir, needles),
        async cleanup() {
          await store.close();
          await rm(dir, { recursive: true, force: true });
        },
      });
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const { store, url, schema, cleanup } = await makeTestPostgresStore();
      return withSpaces({ store, holding: (needles) => rowsHolding(url, schema, needles), cleanup });
    },
  ],
];

/**
 * Writes `data` (as JSON) over an internal record, as someone with write access to the database
 * could; answers the new revision.
 */
export async function overwriteRecord(
  store: DocumentStore,
  space: string,
  doctype: string,
  id: string,
  data: unknown,
): Promise<string> {
  const current = await store.getDocument(space, doctype, id);
  const rev = nextRevision(current?.rev ?? null);
  await store.writeDocuments(space, [
    {
      doctype,
      id,
      expectedRev: current?.rev ?? null,
      rev,
      deleted: false,
      data: JSON.stringify(data),
      meta: current?.meta ?? '{}',
    },
  ]);
  return rev;
}
