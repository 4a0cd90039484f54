/**
 * What an app's service sees as the global `foyer` inside Foyer's sandbox (src/apps/sandbox/).
 * Every call goes through the gate under the app's grant, as the app's service: the ledger
 * records each one. There is no network, no file system, no Node: only these functions.
 */
export interface ServiceDocument {
  _id: string;
  _rev: string;
  [field: string]: unknown;
}

export interface ServiceApi {
  /** Documents of a doctype the grant lets the app read (at most 10,000 per call). */
  query(
    doctype: string,
    query: { selector?: Record<string, unknown>; sort?: (string | Record<string, 'asc' | 'desc'>)[]; limit?: number },
  ): Promise<ServiceDocument[]>;
  get(doctype: string, id: string): Promise<ServiceDocument>;
  create(doctype: string, doc: Record<string, unknown>): Promise<{ id: string; rev: string }>;
  update(doctype: string, doc: ServiceDocument): Promise<{ id: string; rev: string }>;
  remove(doctype: string, id: string, rev: string): Promise<{ id: string; rev: string }>;
  /** Points of a time series the grant lets the app read. */
  series(
    doctype: string,
    range: { from?: string; to?: string; stream?: string; limit?: number },
  ): Promise<Record<string, unknown>[]>;
  /** Runs this service once more at (or soon after) the given instant. */
  schedule(at: string): Promise<void>;
  /** A notification for the person (shown in Foyer). */
  notify(message: { en: string; fr: string }): Promise<void>;
  /** What triggered this run. */
  readonly trigger: { kind: 'schedule' | 'change' | 'manual' | 'at'; doctype?: string };
  log(...values: unknown[]): void;
}
