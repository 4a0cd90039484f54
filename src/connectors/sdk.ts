/**
 * What a connector module sees: its `ctx` and the errors it may throw. A connector is a module
 * exporting `run(ctx)`; it runs in a worker thread and reaches the world only through `ctx`
 * (docs/connectors.md). This file is bundled into every connector, so it imports nothing.
 */

/** The failures a connector reports, each with a documented state and message for the person. */
export const CONNECTOR_ERROR_CODES = [
  /** The holder refused the login or the stored token (wrong password, revoked access). */
  'login_failed',
  /** The person must do something at the holder first (accept new terms, renew a consent, unlock the account). */
  'user_action_needed',
  /** The holder asked for a second factor and none came in time. */
  'second_factor_needed',
  /** The holder did not answer, or answered with a server error. */
  'holder_unavailable',
  /** The holder's answer no longer has the shape the connector knows. */
  'holder_format_changed',
  /** The holder limits calls and this run used them up (give `retryAfterSeconds` when known). */
  'quota',
  /** Anything else: a fault of the connector itself. */
  'internal',
] as const;

export type ConnectorErrorCode = (typeof CONNECTOR_ERROR_CODES)[number];

/** Throw one of these to end a run with a code of the taxonomy; anything else ends it as `internal`. */
export class ConnectorError extends Error {
  readonly code: ConnectorErrorCode;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ConnectorErrorCode, message: string, options: { retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = 'ConnectorError';
    this.code = code;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export interface FetchInit {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Deadline of this call in milliseconds (default 30 s), within the run's own time limit. */
  timeoutMs?: number;
}

/** A holder's answer, read in full by Foyer before the connector sees it. */
export interface FetchResponse {
  status: number;
  ok: boolean;
  /** Header names in lower case. */
  headers: Record<string, string>;
  text(): string;
  /** The body parsed as JSON; throws `holder_format_changed` when it is not JSON. */
  json(): unknown;
}

/** A file at the holder (a PDF bill, a contract) that Foyer fetches and keeps in the space. */
export interface FileRequest {
  /** Natural key of the file at the holder, stable across runs: the same key is always the same file. */
  key: string;
  /** Where the holder serves it: a declared host, like `fetch`. */
  url: string;
  headers?: Record<string, string>;
  /** The file's name in the space, e.g. `facture-2026-03.pdf`. */
  name: string;
  /** The type the holder must answer (default `application/pdf`); anything else is `holder_format_changed`. */
  contentType?: string;
  /** The folder in the space (default `/<holder name>`). */
  folder?: string;
  /** Deadline of this call in milliseconds (default 30 s). */
  timeoutMs?: number;
}

export interface Progress {
  done: number;
  total?: number;
  message?: string;
}

/** The only capabilities a connector has. */
export interface ConnectorContext {
  /** The run's start on Foyer's clock (epoch ms): use it, not `Date.now()`, for "today". */
  readonly startedAt: number;
  /** True when the person asked to collect everything again from nothing (the cursor starts null). */
  readonly backfill: boolean;
  /** The holder's API base URL for this installation (the manifest's, or the one the owner set). */
  readonly api: string;
  /**
   * HTTP to a host the manifest declares (anything else is refused and recorded); redirects are
   * not followed. Fails with `holder_unavailable` when the holder cannot be reached in time.
   */
  fetch(url: string, init?: FetchInit): Promise<FetchResponse>;
  /**
   * Writes a document of a declared doctype under its natural key (stable across runs: a bill
   * number, a transaction id): the same key always lands on the same document. Checked against
   * the catalog at once; written only when the run ends well.
   */
  upsert(doctype: string, key: string, data: Record<string, unknown>): Promise<void>;
  /**
   * Fetches a file from the holder (Foyer itself does it, as bytes, from a declared host, counted
   * and ledgered like `fetch`), checks its type and size, and keeps it in the space under an id
   * derived from `key`; answers that id, for a document's file field (a bill's `fileId`). The
   * same content again changes nothing; a new content is a new revision of the same file. Kept
   * only if the run ends well. A holder's answer other than 2xx fails the call with the
   * taxonomy's code (401 `login_failed`, 403 `user_action_needed`, 429 `quota`, 5xx or no answer
   * `holder_unavailable`, else `holder_format_changed`).
   */
  file(request: FileRequest): Promise<string>;
  /** Appends time series points of a declared series doctype (idempotent on stream and time). */
  points(doctype: string, points: Record<string, unknown>[]): Promise<void>;
  /** Where the previous good run stopped (null on the first run or a backfill); saved only if this run ends well. */
  readonly cursor: { get(): unknown; set(value: unknown): void };
  /** The person's login or OAuth token for this run (never log it). */
  credentials(): Promise<Record<string, string>>;
  progress(progress: Progress): void;
  /**
   * Asks the person for a second factor (an SMS code...) through Foyer; resolves with their answer,
   * or fails with `second_factor_needed` at the deadline (ISO instant or ms from now, at most 10 min).
   */
  askSecondFactor(question: { prompt: string; deadline: string | number }): Promise<string>;
  /** A line for the run's history (credentials are masked); `console.*` lands here too. */
  log(message: string): void;
}

export type ConnectorRun = (ctx: ConnectorContext) => Promise<void>;
