/**
 * A fresh PostgreSQL database for each measured server, so runs never see each other's rows,
 * dropped afterwards. The role in FOYER_BENCH_DATABASE_URL needs the CREATEDB privilege.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { FoyerError } from '../src/core/errors.js';

export interface FreshDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

export async function createFreshDatabase(serverUrl: string): Promise<FreshDatabase> {
  const name = `foyer_bench_${randomBytes(5).toString('hex')}`;
  try {
    await withClient(serverUrl, (c) => c.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
  } catch (e) {
    const code = (e as { code?: string }).code;
    const hint =
      code === '42501'
        ? ` The role needs CREATEDB, e.g.: runuser -u postgres -- psql -c 'ALTER ROLE <role> CREATEDB'.`
        : '';
    throw new FoyerError(
      'unavailable',
      `Cannot create a benchmark database on ${redact(serverUrl)}: ${(e as Error).message}.${hint}`,
      undefined,
      {
        cause: e,
      },
    );
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      await withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`));
    },
  };
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
