/**
 * The errors the Kit's endpoints answer. They keep the protocols' own forms, which client libraries
 * read: `{"error": "...", "error_description": "..."}` (RFC 6749 §5.2, RFC 7009 §2.2.1), with
 * RFC 6750's WWW-Authenticate on the data endpoints, and the same body for the Kit's own codes.
 * The Kit does not use Foyer's FoyerError: it is a library an organisation mounts, on its own.
 */
export type KitErrorCode =
  // RFC 6749 (authorization and token endpoints)
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'server_error'
  // RFC 6750 (data endpoints)
  | 'invalid_token'
  | 'insufficient_scope'
  // Holder Kit
  | 'invalid_cursor'
  | 'invalid_limit'
  | 'invalid_since'
  | 'unknown_doctype'
  | 'not_found'
  | 'rate_limited';

const STATUS: Partial<Record<KitErrorCode, number>> = {
  invalid_client: 401,
  invalid_token: 401,
  insufficient_scope: 403,
  unknown_doctype: 404,
  not_found: 404,
  rate_limited: 429,
  server_error: 500,
};

export class KitError extends Error {
  readonly error: KitErrorCode;
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(error: KitErrorCode, description: string, headers: Record<string, string> = {}) {
    super(description);
    this.name = 'KitError';
    this.error = error;
    this.status = STATUS[error] ?? 400;
    this.headers = headers;
  }

  response(): Response {
    return new Response(JSON.stringify({ error: this.error, error_description: this.message }), {
      status: this.status,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...this.headers },
    });
  }
}

/** RFC 6750 §3: a bearer challenge; without a token at all, no error attribute. */
export function bearerError(error: 'invalid_token' | 'insufficient_scope' | null, description: string, scope?: string) {
  const attributes = ['realm="holder-kit"'];
  if (error) attributes.push(`error="${error}"`, `error_description="${description.replace(/["\\]/g, '')}"`);
  if (scope) attributes.push(`scope="${scope}"`);
  return new KitError(error ?? 'invalid_token', description, { 'www-authenticate': `Bearer ${attributes.join(', ')}` });
}
