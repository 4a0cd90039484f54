/**
 * The Net seam: Foyer's only way out to other servers (an OAuth client's deletion endpoint, its
 * JWKS). Every call has a deadline that covers the whole exchange, body included; redirects are
 * not followed (a registered endpoint is the one called, not wherever it points); answers are read
 * up to a size cap. Failures to get an answer are `NetError`s (timeout, unreachable, too large); an
 * answer with any HTTP status is a response, for the caller to judge.
 */
export interface NetRequest {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Overrides the seam's default deadline for this call. */
  timeoutMs?: number;
}

export interface NetResponse {
  status: number;
  headers: Headers;
  body: string;
}

export interface Net {
  request(url: string, init: NetRequest): Promise<NetResponse>;
}

export type NetFailure = 'timeout' | 'unreachable' | 'too_large';

export class NetError extends Error {
  readonly kind: NetFailure;
  constructor(kind: NetFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NetError';
    this.kind = kind;
  }
}

export interface NetOptions {
  /** Deadline of a call, connection to last byte. */
  timeoutMs: number;
  /** Larger answers fail with `too_large`. Default 256 KiB. */
  maxResponseBytes?: number;
}

export function createNet(options: NetOptions): Net {
  const maxBytes = options.maxResponseBytes ?? 256 * 1024;
  return {
    async request(url, init) {
      const timeoutMs = init.timeoutMs ?? options.timeoutMs;
      const signal = AbortSignal.timeout(timeoutMs);
      let res: Response;
      try {
        res = await fetch(url, {
          method: init.method,
          ...(init.headers ? { headers: init.headers } : {}),
          ...(init.body !== undefined ? { body: init.body } : {}),
          redirect: 'manual',
          signal,
        });
      } catch (e) {
        throw failure(e, url, timeoutMs, signal);
      }
      try {
        return { status: res.status, headers: res.headers, body: await readCapped(res, maxBytes, url) };
      } catch (e) {
        if (e instanceof NetError) throw e;
        throw failure(e, url, timeoutMs, signal);
      }
    },
  };
}

function failure(e: unknown, url: string, timeoutMs: number, signal: AbortSignal): NetError {
  const host = safeHost(url);
  if (signal.aborted) return new NetError('timeout', `${host} did not answer within ${timeoutMs} ms`, { cause: e });
  return new NetError('unreachable', `${host} could not be reached`, { cause: e });
}

async function readCapped(res: Response, maxBytes: number, url: string): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new NetError('too_large', `${safeHost(url)} answered more than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Only the host goes into messages: a URL may carry a secret in its path or query. */
function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the server';
  }
}
