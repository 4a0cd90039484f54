/**
 * A typed client for Foyer's data API: documents (catalog and app-defined doctypes), time series
 * and files. Fetch-based and dependency-free, so the same code runs in an app's sandboxed frame,
 * in Node (tests, tools, connectors' helpers) and in a browser. Errors come back as
 * `FoyerApiError` with the server's stable code (`scope_denied`, `not_found`, ...), or
 * `network_error` when no answer arrived.
 */

/** The server's error codes (src/core/errors.ts), plus what the client itself can observe. */
export type FoyerErrorCode =
  | 'bad_request'
  | 'invalid_json'
  | 'validation_failed'
  | 'invalid_selector'
  | 'invalid_name'
  | 'unauthenticated'
  | 'invalid_credentials'
  | 'invalid_token'
  | 'forbidden'
  | 'csrf_failed'
  | 'owner_only'
  | 'scope_denied'
  | 'field_not_granted'
  | 'filter_denied'
  | 'grant_inactive'
  | 'not_found'
  | 'unknown_doctype'
  | 'space_not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'consent_changed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'too_many_requests'
  | 'unavailable'
  | 'internal'
  | 'network_error'
  | 'bad_response';

export class FoyerApiError extends Error {
  readonly code: FoyerErrorCode;
  readonly status: number;
  readonly details: unknown;

  constructor(code: FoyerErrorCode, status: number, message: string, details?: unknown) {
    super(message);
    this.name = 'FoyerApiError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

export interface DocumentMeta {
  createdAt: string;
  updatedAt: string;
  [key: string]: unknown;
}

export type FoyerDocument<T extends object = Record<string, unknown>> = T & {
  _id: string;
  _rev: string;
  _meta?: DocumentMeta;
};

export interface WriteResult {
  ok: true;
  id: string;
  rev: string;
}

export interface FindQuery {
  /** Mango-like selector: `$eq $ne $gt $gte $lt $lte $in $exists $and $or`. */
  selector?: Record<string, unknown>;
  sort?: (string | Record<string, 'asc' | 'desc'>)[];
  limit?: number;
  bookmark?: string;
  fields?: string[];
  meta?: boolean;
}

export interface FindResult<T extends object> {
  docs: FoyerDocument<T>[];
  bookmark?: string;
}

export interface ChangesResult<T extends object> {
  results: { id: string; rev: string; seq: number; deleted?: boolean; doc?: FoyerDocument<T> }[];
  last_seq: number;
  pending: boolean;
}

export interface SeriesRange {
  from?: string;
  to?: string;
  stream?: string;
}

export interface SeriesAggregate {
  doctype: string;
  field: string;
  unit: string | null;
  every: string;
  agg: string;
  timeZone: string;
  buckets: { key: string; value: number; count: number }[];
}

export interface FileView {
  id: string;
  rev: string;
  name: string;
  folder: string;
  type: string;
  size: number;
  sha256: string;
  [key: string]: unknown;
}

export interface ClientOptions {
  /** Foyer's origin, e.g. `http://127.0.0.1:8080` (no trailing `/api`). */
  baseUrl: string;
  /**
   * The bearer token: a string, or a function asked before each request with the doctype it is
   * about (an app holding one grant per purpose picks the grant covering that doctype).
   */
  token?: string | ((doctype: string) => string | Promise<string>);
  /** Defaults to the global fetch. */
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
}

export type FoyerClient = ReturnType<typeof createFoyerClient>;

const FILE_DOCTYPE = 'foyer.file';
/** What a request body may be (fetch's BodyInit, without needing the DOM types). */
type Body = NonNullable<RequestInit['body']>;

export function createFoyerClient(options: ClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input: string, init?: RequestInit) => fetch(input, init));
  const seg = encodeURIComponent;

  async function send(
    doctype: string,
    method: string,
    path: string,
    init: { json?: unknown; body?: Body; type?: string; query?: Record<string, string | number | undefined> } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = {};
    const token = typeof options.token === 'function' ? await options.token(doctype) : options.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let body: Body | undefined = init.body;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    } else if (init.type) {
      headers['content-type'] = init.type;
    }
    const query = Object.entries(init.query ?? {})
      .filter((e): e is [string, string | number] => e[1] !== undefined)
      .map(([k, v]) => `${seg(k)}=${seg(String(v))}`)
      .join('&');
    let response: Response;
    try {
      response = await doFetch(`${base}${path}${query ? `?${query}` : ''}`, {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        // Never the browser's cookies: an app acts with its grant's token only.
        credentials: 'omit',
      });
    } catch (e) {
      throw new FoyerApiError('network_error', 0, `Foyer could not be reached (${(e as Error).message}).`);
    }
    if (response.ok) return response;
    let error: { code?: string; message?: string; details?: unknown } | undefined;
    try {
      error = ((await response.json()) as { error?: typeof error }).error;
    } catch {
      // not a Foyer error body
    }
    throw new FoyerApiError(
      (error?.code as FoyerErrorCode | undefined) ?? 'bad_response',
      response.status,
      error?.message ?? `Foyer answered ${response.status}.`,
      error?.details,
    );
  }

  const json = async <T>(response: Promise<Response>): Promise<T> => (await (await response).json()) as T;

  return {
    /** Documents of one doctype (catalog or app-defined): `client.documents<Tx>('bank.transaction')`. */
    documents<T extends object = Record<string, unknown>>(doctype: string) {
      const root = `/api/data/${seg(doctype)}`;
      return {
        create: (doc: T & { _id?: string }) => json<WriteResult>(send(doctype, 'POST', root, { json: doc })),
        get: (id: string) => json<FoyerDocument<T>>(send(doctype, 'GET', `${root}/${seg(id)}`)),
        /** Replaces the document; `_rev` must be the current revision. */
        update: (doc: FoyerDocument<T>) =>
          json<WriteResult>(send(doctype, 'PUT', `${root}/${seg(doc._id)}`, { json: doc })),
        remove: (id: string, rev: string) =>
          json<WriteResult>(send(doctype, 'DELETE', `${root}/${seg(id)}`, { query: { rev } })),
        find: (query: FindQuery = {}) => json<FindResult<T>>(send(doctype, 'POST', `${root}/_find`, { json: query })),
        /** Every document the selector matches, following bookmarks. */
        async all(query: Omit<FindQuery, 'bookmark'> = {}): Promise<FoyerDocument<T>[]> {
          const out: FoyerDocument<T>[] = [];
          let bookmark: string | undefined;
          do {
            const page: FindResult<T> = await json<FindResult<T>>(
              send(doctype, 'POST', `${root}/_find`, { json: { ...query, ...(bookmark ? { bookmark } : {}) } }),
            );
            out.push(...page.docs);
            bookmark = page.docs.length > 0 ? page.bookmark : undefined;
          } while (bookmark);
          return out;
        },
        bulk: (docs: (Partial<FoyerDocument<T>> & { _deleted?: boolean })[]) =>
          json<{ ok: true; results: { id: string; rev: string }[] }>(
            send(doctype, 'POST', `${root}/_bulk`, { json: { docs } }),
          ),
        changes: (since = 0, opts: { limit?: number; includeDocs?: boolean } = {}) =>
          json<ChangesResult<T>>(
            send(doctype, 'GET', `${root}/_changes`, {
              query: { since, limit: opts.limit, include_docs: opts.includeDocs ? 'true' : undefined },
            }),
          ),
      };
    },

    /** Time series (load curves, daily indexes, location points). */
    series<P extends object = Record<string, unknown>>(doctype: string) {
      const root = `/api/series/${seg(doctype)}`;
      return {
        append: (points: P[]) => json<{ ok: true; written: number }>(send(doctype, 'POST', root, { json: { points } })),
        read: (range: SeriesRange & { limit?: number; cursor?: string } = {}) =>
          json<{ points: P[]; cursor?: string }>(send(doctype, 'GET', root, { query: { ...range } })),
        aggregate: (
          range: SeriesRange & { every: 'hour' | 'day' | 'week' | 'month'; agg: 'sum' | 'avg' | 'min' | 'max' },
        ) => json<SeriesAggregate>(send(doctype, 'GET', root, { query: { ...range } })),
        remove: (range: Required<Pick<SeriesRange, 'from' | 'to'>> & { stream?: string }) =>
          json<{ ok: true; deleted: number }>(send(doctype, 'DELETE', root, { query: { ...range } })),
      };
    },

    files: {
      upload: (file: { name: string; folder?: string; type: string }, content: Body) =>
        json<FileView>(
          send(FILE_DOCTYPE, 'POST', '/api/files', {
            body: content,
            type: file.type,
            query: { name: file.name, folder: file.folder },
          }),
        ),
      metadata: (id: string) => json<FileView>(send(FILE_DOCTYPE, 'GET', `/api/files/${seg(id)}`)),
      list: (folder = '/') =>
        json<{ folder: string; files: FileView[]; folders: string[] }>(
          send(FILE_DOCTYPE, 'GET', '/api/files', { query: { folder } }),
        ),
      /** The file's bytes. */
      content: async (id: string) =>
        new Uint8Array(await (await send(FILE_DOCTYPE, 'GET', `/api/files/${seg(id)}/content`)).arrayBuffer()),
      remove: (id: string, rev: string) =>
        json<{ ok: true }>(send(FILE_DOCTYPE, 'DELETE', `/api/files/${seg(id)}`, { query: { rev } })),
    },
  };
}
