/** The checks of the conformance test, how each ends, and the report a run gives. */

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface ConformanceCheck {
  id: string;
  title: string;
  status: CheckStatus;
  /** Why it failed or was skipped. */
  reason?: string;
}

export interface ConformanceReport {
  baseUrl: string;
  kitVersion: string | null;
  /** True when no check failed. */
  passed: boolean;
  checks: ConformanceCheck[];
  counts: Record<CheckStatus, number>;
}

export const CHECKS = {
  'discovery.document': 'The discovery document is served and well formed',
  'discovery.oauth-metadata': 'The RFC 8414 metadata agrees with discovery and offers S256',
  'authorize.unknown-client': 'An unknown client_id is answered by the holder, not redirected',
  'authorize.redirect-uri-checked': 'An unregistered redirect_uri is answered by the holder, not redirected',
  'authorize.pkce-required': 'An authorization request without code_challenge is refused (invalid_request)',
  'authorize.plain-refused': 'The plain PKCE method is refused (invalid_request)',
  'authorize.unknown-scope': 'A scope naming no offered doctype is refused (invalid_scope)',
  'login.page': 'The login page has a form with username and password',
  'login.wrong-password': 'A wrong password does not reach consent',
  'consent.page': 'The consent page lists every doctype asked for',
  'consent.allow': 'Allowing sends the client a code and its state',
  'consent.deny': 'Refusing sends the client access_denied and its state',
  'token.missing-verifier': 'A code exchange without code_verifier is refused (invalid_request)',
  'token.unknown-client': 'A code exchange by an unknown client is refused (invalid_client)',
  'token.wrong-verifier': 'A code exchange with a wrong code_verifier is refused (invalid_grant)',
  'token.issued': 'A code exchange gives a short-lived bearer token and a refresh token, not cached',
  'token.reused-code': 'A code already exchanged is refused (invalid_grant)',
  'token.refresh': 'A refresh token gives a new access token that works',
  'token.refresh-rotated': 'A refresh token already used is refused (invalid_grant)',
  'data.requires-token': 'Data without an access token is refused (401 with a Bearer challenge)',
  'data.invalid-token': 'Data with an unknown access token is refused (401 invalid_token)',
  'data.unknown-doctype': 'A doctype the holder does not offer is refused',
  'data.scope-enforced': 'A token reads the doctypes consented to and no other (403 insufficient_scope)',
  'files.served': 'Files are served with their type, length and ETag',
  'files.conditional': 'A file asked with its ETag in If-None-Match answers 304',
  'files.unknown': 'An unknown file id answers 404',
  'files.requires-token': 'A file without an access token is refused (401)',
  'revoke.unknown-token': 'Revoking an unknown token answers 200',
  'revoke.access-token': 'A revoked access token stops working',
  'revoke.refresh-token': 'A revoked refresh token stops working',
} as const;

export type StaticCheckId = keyof typeof CHECKS;

export const DOCTYPE_CHECKS = {
  walk: 'Every page (limit = maxPageSize) is well formed, in updatedAt order, with no key twice',
  paging: 'Small pages give the same items, none twice',
  limits: 'A limit above the maximum, zero or not a number is refused (invalid_limit); the default is kept',
  since: 'since returns exactly the items changed after it',
  'bad-since': 'A malformed since is refused (invalid_since)',
  'bad-cursor': 'A forged, altered or foreign cursor is refused (invalid_cursor)',
  schema: 'Every item is valid for the catalog schema discovery names',
} as const;

export type DoctypeCheck = keyof typeof DOCTYPE_CHECKS;

export const doctypeCheckId = (doctype: string, check: DoctypeCheck) => `data.${doctype}.${check}`;

/** One line per check and a closing count, for a terminal. */
export function formatReport(report: ConformanceReport): string {
  const mark = { pass: 'ok  ', fail: 'FAIL', skip: 'skip' } as const;
  const lines = report.checks.map(
    (c) => `${mark[c.status]} ${c.id}: ${c.title}${c.reason ? `\n       ${c.reason.replace(/\n/g, '\n       ')}` : ''}`,
  );
  const { pass, fail, skip } = report.counts;
  lines.push(
    '',
    `Holder Kit ${report.kitVersion ?? '?'} at ${report.baseUrl}: ${pass} passed, ${fail} failed, ${skip} skipped` +
      ` (${report.passed ? 'conforms' : 'does NOT conform'})`,
  );
  return lines.join('\n');
}
