/**
 * The one error family. Every failure that can reach a client is a FoyerError with a stable code;
 * `src/http/error-response.ts` maps codes to HTTP statuses in one place. Messages are for people,
 * `details` for programs. Nothing else (driver messages, stack traces) is ever sent to a client.
 */
export const errorCodes = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  invalid_selector: 400,
  invalid_name: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  invalid_token: 401,
  forbidden: 403,
  csrf_failed: 403,
  owner_only: 403,
  scope_denied: 403,
  field_not_granted: 403,
  filter_denied: 403,
  grant_inactive: 403,
  not_found: 404,
  unknown_doctype: 404,
  space_not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  consent_changed: 409,
  already_initialised: 409,
  range_not_satisfiable: 416,
  payload_too_large: 413,
  unsupported_media_type: 415,
  /** A file no importer recognises. */
  import_unrecognized: 415,
  /** A recognised file that cannot be imported: truncated, corrupt, absurd values (details name file and line). */
  import_invalid: 422,
  too_many_requests: 429,
  not_initialised: 503,
  unavailable: 503,
  internal: 500,
  /** Encrypted data at rest failed authentication: damaged, truncated or tampered with. */
  integrity_failed: 500,
} as const;

export type ErrorCode = keyof typeof errorCodes;

export class FoyerError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  /** `options.cause` keeps the underlying error (e.g. a driver's) for logs; it never reaches clients. */
  constructor(code: ErrorCode, message: string, details?: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FoyerError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return errorCodes[this.code];
  }
}

export const isFoyerError = (e: unknown): e is FoyerError => e instanceof FoyerError;
