/**
 * Errors of the OAuth2 / OpenID Connect endpoints. Those endpoints answer in the protocol's own
 * form (`{"error": "...", "error_description": "..."}`, RFC 6749 §5.2, RFC 7591 §3.2.2, RFC 7009),
 * which is what OAuth client libraries read, not in Foyer's `{"error": {code, ...}}` form.
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'server_error'
  | 'temporarily_unavailable'
  | 'invalid_token'
  | 'invalid_client_metadata'
  | 'invalid_redirect_uri'
  | 'login_required'
  | 'consent_required'
  | 'request_not_supported';

const STATUS: Partial<Record<OAuthErrorCode, number>> = {
  invalid_client: 401,
  invalid_token: 401,
  server_error: 500,
  temporarily_unavailable: 503,
};

export class OAuthError extends Error {
  readonly error: OAuthErrorCode;
  readonly status: number;

  constructor(error: OAuthErrorCode, description: string, status?: number) {
    super(description);
    this.name = 'OAuthError';
    this.error = error;
    this.status = status ?? STATUS[error] ?? 400;
  }

  body(): { error: OAuthErrorCode; error_description: string } {
    return { error: this.error, error_description: this.message };
  }
}

export const isOAuthError = (e: unknown): e is OAuthError => e instanceof OAuthError;
