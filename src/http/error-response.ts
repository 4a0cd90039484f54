/** The one place where errors become HTTP responses. */
import { FoyerError, isFoyerError } from '../core/errors.js';
import { json } from './respond.js';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function toFoyerError(e: unknown, log: (e: unknown) => void): FoyerError {
  if (isFoyerError(e)) return e;
  // Anything else is a bug or an infrastructure failure: log it whole, tell the client nothing of it.
  log(e);
  return new FoyerError('internal', 'Something went wrong on our side. It has been logged.');
}

export function errorResponse(err: FoyerError, extraHeaders: Record<string, string> = {}): Response {
  const body: ErrorBody = { error: { code: err.code, message: err.message } };
  if (err.details !== undefined) body.error.details = err.details;
  const headers: Record<string, string> = { ...extraHeaders };
  const retry = (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
  if (err.code === 'too_many_requests' && typeof retry === 'number') headers['retry-after'] = String(Math.ceil(retry));
  return json(body, err.status, headers);
}
