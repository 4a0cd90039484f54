/**
 * Vitest global setup: decides which PostgreSQL the tests use. `FOYER_TEST_DATABASE_URL` if set
 * (a real server); otherwise an in-process PGlite behind a socket on a free loopback port, so a
 * fresh machine without PostgreSQL still runs the PostgreSQL tests. Workers read the URL with
 * `testDatabaseUrl()` from `postgres.ts`.
 */
import type { TestProject } from 'vitest/node';
import { startPgliteServer } from './pglite-server.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.FOYER_TEST_DATABASE_URL;
  if (url) {
    project.provide('foyerTestDatabaseUrl', url);
    project.provide('foyerTestDatabaseIsPglite', false);
    return async () => {};
  }
  const server = await startPgliteServer();
  project.provide('foyerTestDatabaseUrl', server.url);
  project.provide('foyerTestDatabaseIsPglite', true);
  return () => server.stop();
}
