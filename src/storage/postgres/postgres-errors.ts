/**
 * Driver errors never leave the adapter: each becomes a FoyerError with a plain message, the
 * driver's error kept as `cause` for logs only.
 */
import { FoyerError } from '../../core/errors.js';

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** SQLSTATE classes that mean "the database cannot be reached or will not serve us now". */
const UNAVAILABLE_CLASSES = new Set([
  '08', // connection exception
  '28', // invalid authorization (wrong password: a configuration problem, not the request's)
  '3D', // the database does not exist
  '53', // insufficient resources (too many connections, disk full)
  '57', // operator intervention (shutdown, cannot connect now)
]);

export function sqlState(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && SQLSTATE.test(code) ? code : undefined;
}

export function isUniqueViolation(e: unknown): boolean {
  return sqlState(e) === '23505';
}

export function toFoyerError(e: unknown): FoyerError {
  if (e instanceof FoyerError) return e;
  const state = sqlState(e);
  if (state === '22021' || state === '22P05') {
    // Text with a NUL character (or `\u0000` inside JSON): PostgreSQL cannot store it.
    return new FoyerError(
      'bad_request',
      'The request contains text the database cannot store (a NUL character).',
      undefined,
      {
        cause: e,
      },
    );
  }
  if (state !== undefined) {
    if (UNAVAILABLE_CLASSES.has(state.slice(0, 2))) return unavailable(e);
    return new FoyerError('internal', 'The database could not process the request.', undefined, { cause: e });
  }
  // Without a SQLSTATE, pg's own errors (refused or dropped connections, a pool already ended,
  // connection timeouts) are plain Errors or Node system errors; anything else is a bug of ours.
  const isPlainDriverError =
    e instanceof Error && (e.constructor === Error || typeof (e as { errno?: unknown }).errno === 'number');
  if (isPlainDriverError) return unavailable(e);
  return new FoyerError('internal', 'The database adapter failed.', undefined, { cause: e });
}

function unavailable(cause: unknown): FoyerError {
  return new FoyerError('unavailable', 'The database is unavailable.', undefined, { cause });
}

/** Runs `fn`, turning whatever it throws into a FoyerError. */
export async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toFoyerError(e);
  }
}
