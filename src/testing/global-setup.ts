/**
 * Vitest global setup. Filled in by the PostgreSQL test harness: decides which PostgreSQL the
 * contract suites use (FOYER_TEST_DATABASE_URL, else an in-process PGlite behind a socket).
 */
export default async function setup(): Promise<() => Promise<void>> {
  return async () => {};
}
