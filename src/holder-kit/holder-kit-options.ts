/**
 * What an organisation gives `createHolderKit`: who it is, how its customers log in, what data it
 * hands back (one dataset per doctype) and its files. Everything else (OAuth, paging, cursors,
 * discovery) is the Kit's. See docs/holder-kit.md.
 */
import type { Clock } from '../platform/clock.js';
import type { HolderKitStore } from './holder-kit-store.js';

export interface HolderIdentity {
  /** A short stable id, e.g. `insurer` or the organisation's domain. */
  id: string;
  /** The name customers know, shown on the login and consent pages. */
  name: string;
  /** Where a customer reads the organisation's privacy policy (shown on the consent page). */
  privacyPolicyUrl?: string;
  /** Who to write to about this API (a mailto: or https: URL). */
  contact?: string;
}

/**
 * A client allowed to ask customers for their data, e.g. a personal data space. Clients are public
 * (no secret): PKCE binds the code to the instance that asked for it. Redirect URIs match exactly,
 * except that a loopback one (`http://127.0.0.1/...`, `http://[::1]/...`) matches on any port
 * (RFC 8252 §7.3), for software running on the customer's own machine.
 */
export interface HolderKitClient {
  clientId: string;
  /** Shown on the consent page. */
  name: string;
  redirectUris: string[];
  /**
   * Also accepts the redirect URIs this says yes to: for a holder that admits clients by rule rather
   * than by list (the simulated holders accept any loopback address, wherever a local Foyer runs).
   */
  acceptsRedirectUri?: (redirectUri: string) => boolean;
  /** What the data is for, in the client's words as vetted by the holder; shown on the consent page. */
  purpose: string;
}

/** A file that goes with an item (its bill's PDF, a contract), served at `/v1/files/{id}`. */
export interface HolderKitFileRef {
  id: string;
  name?: string;
  contentType?: string;
}

/** One record handed back: its natural key, when it last changed (epoch ms), its content and files. */
export interface HolderKitItem {
  key: string;
  updatedAt: number;
  data: unknown;
  files?: HolderKitFileRef[];
}

export interface HolderKitListQuery {
  /** Only items changed strictly after this instant (epoch ms). */
  since?: number;
  /**
   * Only items changed strictly before this instant (epoch ms): fixed when a walk starts, so that
   * items appended during the walk wait for the next `since` instead of shifting the pages.
   */
  until: number;
  /** The dataset's own position, as it returned it in `next` (the Kit signs and checks it). */
  cursor?: string;
  /** At most this many items. */
  limit: number;
}

export interface HolderKitPage {
  /** Ordered by `updatedAt`, then `key`; at most `limit` of them. */
  items: HolderKitItem[];
  /** The dataset's position after the last item, or null when there is nothing more. */
  next: string | null;
}

export interface HolderKitDataset {
  /** The catalog doctype, e.g. `insurance.contract`; it is also the OAuth scope. */
  doctype: string;
  /** The catalog schema version the data follows. */
  schemaVersion: number;
  /** The schema's `$id`; default `urn:foyer:doctype:<doctype>:<schemaVersion>`. */
  schemaId?: string;
  /** Shown on the consent page and in discovery. */
  title: string;
  description?: string;
  /** One page of the customer's items; `pageRecords` does it for an in-memory array. */
  list(customerId: string, query: HolderKitListQuery): Promise<HolderKitPage> | HolderKitPage;
}

export interface HolderKitFile {
  /** The doctype whose items reference this file: reading it needs that scope. */
  doctype: string;
  contentType: string;
  content: Uint8Array;
  /** A file name for Content-Disposition. */
  name?: string;
}

export interface HolderKitFiles {
  /** The customer's file, or undefined when it does not exist or is not theirs. */
  get(customerId: string, fileId: string): Promise<HolderKitFile | undefined> | HolderKitFile | undefined;
}

export interface HolderKitLifetimes {
  /** Access tokens (default 600 s: short-lived, refresh for more). */
  accessTokenSeconds?: number;
  /** Refresh tokens, renewed at each rotation (default 90 days). */
  refreshTokenSeconds?: number;
  /** The customer's consent: no refresh past it, the customer must consent again (default 365 days). */
  consentSeconds?: number;
  /** Authorization codes (default 60 s). */
  codeSeconds?: number;
  /** A login-and-consent visit (default 900 s). */
  visitSeconds?: number;
}

export interface HolderKitOptions {
  holder: HolderIdentity;
  clock: Clock;
  /** The customer's id for a correct login, else null. The holder throttles its own logins. */
  authenticate(username: string, password: string): Promise<string | null> | string | null;
  /**
   * A second factor after the password, when `required` says so for this customer and request
   * (a new device, a risk score...): the login then asks for a code, checked by `verify`.
   */
  secondFactor?: {
    required(customerId: string, request: Request): Promise<boolean> | boolean;
    verify(customerId: string, code: string): Promise<boolean> | boolean;
  };
  datasets: HolderKitDataset[];
  files?: HolderKitFiles;
  clients: HolderKitClient[];
  /** Codes, tokens and login visits; default an in-memory store (one process, lost on restart). */
  store?: HolderKitStore;
  /**
   * Signs paging cursors (at least 32 bytes). Default: random per process, so cursors die with a
   * restart; give one (shared by every instance) to keep them valid.
   */
  cursorSecret?: Uint8Array;
  /** The public base URL (`https://data.example.com`); default the request's origin. */
  publicUrl?: string;
  paging?: { maxPageSize?: number; defaultPageSize?: number };
  lifetimes?: HolderKitLifetimes;
  /** Data requests allowed per consent and minute (answered 429 past it); default 600. */
  rateLimit?: { requestsPerMinute: number };
  /** Told about unexpected errors (answered as a plain `server_error`). Default: console.error. */
  onError?: (error: unknown) => void;
}
