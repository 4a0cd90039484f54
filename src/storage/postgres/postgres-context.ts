/** What the documents and series parts of the PostgreSQL store share. */
import type { Pool, PoolClient } from 'pg';
import { FoyerError } from '../../core/errors.js';

export interface PostgresContext {
  pool: Pool;
  schema: string;
  /** Throws `space_not_found` unless the space exists; called when an answer is empty. */
  assertSpace(space: string): Promise<void>;
  /** Same, inside a transaction, holding the space row until it ends (see deleteSpace). */
  lockSpace(client: PoolClient, space: string): Promise<void>;
}

export function spaceNotFound(space: string): FoyerError {
  return new FoyerError('space_not_found', `There is no space "${space}".`, { space });
}

/** A query limit: a non-negative integer. */
export function limitOf(limit: number): number {
  if (!Number.isInteger(limit) || limit < 0)
    throw new FoyerError('bad_request', 'A limit must be a non-negative integer.');
  return limit;
}
