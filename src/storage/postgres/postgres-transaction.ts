/** Transactions on a pooled client, and the keys of the advisory locks that serialise some of them. */
import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';

/** Runs `fn` in a transaction: COMMIT if it resolves, ROLLBACK if it throws. */
export async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A client whose ROLLBACK failed is in an unknown state: destroy it rather than reuse it.
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      broken = rollbackError instanceof Error ? rollbackError : new Error('ROLLBACK failed');
    }
    throw e;
  } finally {
    client.release(broken);
  }
}

/**
 * A 64-bit advisory lock key (as a decimal string for `pg_advisory_xact_lock($1::bigint)`) for a
 * purpose and its parts, e.g. `lockKey('series', schema, space, doctype)`.
 */
export function lockKey(...parts: string[]): string {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest();
  return digest.readBigInt64BE(0).toString();
}

export async function advisoryXactLock(client: PoolClient, key: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [key]);
}
