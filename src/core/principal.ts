/**
 * Who is acting. For now only the space's owner, through a browser session or a personal access
 * token; grants (apps, connectors, OAuth clients...) join here with the consent issue.
 */
export type Principal =
  | { kind: 'owner'; via: 'session'; sessionId: string }
  | { kind: 'owner'; via: 'token'; tokenId: string; label: string }
  /** Foyer's own processes acting for the owner (CLI on the data folder, migrations). */
  | { kind: 'system'; reason: string };

/** Everything the gate needs to know about a request. Built by the HTTP layer or the CLI. */
export interface RequestContext {
  space: string;
  principal: Principal | null;
  /** For the ledger and throttling; absent outside HTTP. */
  ip?: string;
}
