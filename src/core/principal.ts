/**
 * Who is acting: the space's owner (browser session or personal access token), Foyer's own
 * processes, or a grantee (app, connector, OAuth client...) acting through one active grant.
 */
import type { CompiledScope } from './grants/grant-terms.js';
import type { Grantee } from './grants/grant.js';

/** What a grant token's holder may do: the grant's terms in force, compiled for the gate. */
export interface ActiveGrant {
  id: string;
  version: number;
  grantee: Grantee;
  purpose: string;
  scopes: readonly CompiledScope[];
}

export type Principal =
  | { kind: 'owner'; via: 'session'; sessionId: string }
  | { kind: 'owner'; via: 'token'; tokenId: string; label: string }
  /** Foyer's own processes acting for the owner (CLI on the data folder, withdrawal, retention). */
  | { kind: 'system'; reason: string }
  | { kind: 'grant'; grant: ActiveGrant }
  /**
   * A file import the owner started (`src/importers/`): writes catalog doctypes only, and every
   * record it writes names the import, the importer, the file and its checksum.
   */
  | { kind: 'import'; importId: string; importer: string; file: string; checksum: string };

/** Everything the gate needs to know about a request. Built by the HTTP layer or the CLI. */
export interface RequestContext {
  space: string;
  principal: Principal | null;
  /** For the ledger and throttling; absent outside HTTP. */
  ip?: string;
}
