/**
 * The tests' PostgreSQL. `FOYER_TEST_DATABASE_URL` names a real server (CI: `scripts/ci-postgres.sh`);
 * without it the vitest global setup serves an in-process PGlite (`pglite-server.ts`) and hands
 * its URL to the test workers. Each store gets its own schema with a random name, dropped at
 * cleanup, so test files running in parallel never see each other's rows.
 */
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { DocumentStore } from '../storage/document-store.js';
import { generateMasterKey, masterKeyOf, type MasterKeyring } from '../core/keys/master-keyring.js';
import { createSpaceKeys } from '../core/keys/space-keys.js';
import { systemClock } from '../platform/clock.js';
import { createPostgresDocumentStore } from '../storage/postgres/postgres-document-store.js';
import { migrations } from '../storage/postgres/postgres-migrations.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The PostgreSQL the tests use (a real server, or the global setup's PGlite). */
    foyerTestDatabaseUrl: string;
    /** True when that is the in-process PGlite. */
    foyerTestDatabaseIsPglite: boolean;
  }
}

export function testDatabaseUrl(): string {
  return process.env.FOYER_TEST_DATABASE_URL || inject('foyerTestDatabaseUrl');
}

export function testDatabaseIsPglite(): boolean {
  return !process.env.FOYER_TEST_DATABASE_URL && inject('foyerTestDatabaseIsPglite');
}

export function randomSchemaName(): string {
  return `test_${randomBytes(6).toString('hex')}`;
}

/** Drops a test schema and everything in it. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * A master key ring of one key, for stores used without a Foyer: a fresh one, or the one of a
 * schema (derived from its name) so that stores on one schema, like processes, share it.
 */
export function testKeyring(schema?: string): MasterKeyring {
  const key =
    schema === undefined
      ? generateMasterKey()
      : masterKeyOf(createHash('sha256').update(`foyer test master key\u0000${schema}`).digest());
  return { keys: [key], source: { kind: 'env' } };
}

/** Makes `schema` as a release whose newest migration was `version` left it (to test upgrades). */
export async function schemaAtVersion(client: pg.ClientBase, schema: string, version: number): Promise<void> {
  const s = pg.escapeIdentifier(schema);
  await client.query(`CREATE SCHEMA ${s}`);
  await client.query(
    `CREATE TABLE ${s}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
  );
  for (const m of migrations.filter((m) => m.version <= version)) {
    await client.query(m.sql(s));
    await client.query(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
  }
}

export interface TestPostgresStore {
  store: DocumentStore;
  url: string;
  schema: string;
  /** Closes the store and drops its schema. */
  cleanup(): Promise<void>;
}

/** A PostgreSQL store on a fresh schema of the tests' database. */
export async function makeTestPostgresStore(
  options: { schema?: string; poolSize?: number; copy?: boolean } = {},
): Promise<TestPostgresStore> {
  const url = testDatabaseUrl();
  const schema = options.schema ?? randomSchemaName();
  const store = await createPostgresDocumentStore({
    connectionString: url,
    schema,
    poolSize: options.poolSize ?? 4,
    // PGlite's socket server does not speak COPY FROM STDIN.
    copy: options.copy ?? !testDatabaseIsPglite(),
  });
  // Sealed as a Foyer's would be; a Foyer given this store hands it its own keys instead.
  await store.useDataKeys?.(createSpaceKeys({ store, keyring: testKeyring(schema), clock: systemClock }));
  return {
    store,
    url,
    schema,
    async cleanup() {
      await store.close();
      await dropSchema(url, schema);
    },
  };
}
