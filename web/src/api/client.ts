/**
 * The typed way the web app talks to Foyer: same-origin fetch carrying the session cookie, the
 * CSRF token (read from the `foyer_csrf` cookie) on unsafe requests, JSON in and out, FoyerError
 * answers turned into `ApiError`, and server-sent events read from POST answers (run progress,
 * import progress), which `EventSource` cannot do.
 */
import { ApiError } from './api-error.js';

export interface StreamEvent {
  event: string;
  data: unknown;
}

export interface Api {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  del<T>(path: string): Promise<T>;
  /** A raw body (a file), answered as JSON. */
  upload<T>(path: string, body: Blob): Promise<T>;
  /** POST with `Accept: text/event-stream`: calls `onEvent` for each event, resolves with the `done` event's data. */
  stream<T>(path: string, body: BodyInit | null, onEvent: (e: StreamEvent) => void, contentType?: string): Promise<T>;
}

export interface ApiOptions {
  fetch?: typeof fetch;
  /** Called when a request finds the session gone (401), so the shell can show the login. */
  onUnauthenticated?: () => void;
  cookies?: () => string;
}

export const readCookie = (cookies: string, name: string): string =>
  cookies
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${name}=`))
    ?.slice(name.length + 1) ?? '';

export function createApi(options: ApiOptions = {}): Api {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const cookies = options.cookies ?? (() => document.cookie);

  async function send(method: string, path: string, body: BodyInit | null, headers: Record<string, string>) {
    const all: Record<string, string> = { accept: 'application/json', ...headers };
    if (method !== 'GET') all['x-csrf-token'] = readCookie(cookies(), 'foyer_csrf');
    let res: Response;
    try {
      res = await doFetch(path, { method, headers: all, body, credentials: 'same-origin' });
    } catch {
      throw new ApiError('network', 0, 'Foyer cannot be reached.');
    }
    if (!res.ok) throw await toError(res);
    return res;
  }

  async function toError(res: Response): Promise<ApiError> {
    const body = (await res.json().catch(() => null)) as {
      error?: { code?: string; message?: string; details?: unknown };
    } | null;
    const code = body?.error?.code ?? (res.status >= 500 ? 'internal' : 'bad_request');
    if (res.status === 401) options.onUnauthenticated?.();
    return new ApiError(code, res.status, body?.error?.message ?? res.statusText, body?.error?.details);
  }

  async function jsonOf<T>(res: Response): Promise<T> {
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  const withJson = (body: unknown): [BodyInit | null, Record<string, string>] =>
    body === undefined ? [null, {}] : [JSON.stringify(body), { 'content-type': 'application/json' }];

  return {
    get: async (path) => jsonOf(await send('GET', path, null, {})),
    post: async (path, body = {}) => jsonOf(await send('POST', path, ...withJson(body))),
    put: async (path, body) => jsonOf(await send('PUT', path, ...withJson(body))),
    del: async (path) => jsonOf(await send('DELETE', path, null, {})),
    upload: async (path, body) =>
      jsonOf(await send('POST', path, body, { 'content-type': body.type || 'application/octet-stream' })),
    async stream(path, body, onEvent, contentType = 'application/json') {
      const res = await send('POST', path, body, { accept: 'text/event-stream', 'content-type': contentType });
      let result: unknown;
      let failure: ApiError | undefined;
      await readEvents(res, (e) => {
        if (e.event === 'done') result = e.data;
        else if (e.event === 'error') {
          const d = e.data as { code?: string; message?: string; details?: unknown };
          failure = new ApiError(d.code ?? 'internal', 0, d.message ?? '', d.details);
        }
        onEvent(e);
      });
      if (failure) throw failure;
      if (result === undefined) throw new ApiError('network', 0, 'The answer stopped before its end.');
      return result as never;
    },
  };
}

/** Splits a `text/event-stream` body into events as it arrives. */
export async function readEvents(res: Response, onEvent: (e: StreamEvent) => void): Promise<void> {
  if (!res.body) return;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const parsed = parseEvent(block);
      if (parsed) onEvent(parsed);
    }
  }
}

export function parseEvent(block: string): StreamEvent | null {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
  }
  if (data.length === 0) return null;
  const text = data.join('\n');
  try {
    return { event, data: JSON.parse(text) as unknown };
  } catch {
    return { event, data: text };
  }
}

/** `?a=1&b=…` from the defined values only. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
