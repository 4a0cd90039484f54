/**
 * The Net seam: Foyer's only way out to other servers (an OAuth client's deletion endpoint, its
 * JWKS, a connector's holder). Every call has a deadline that covers the whole exchange, body
 * included; redirects are not followed (a registered endpoint is the one called, not wherever it
 * points); answers are read up to a size cap, as text (`request`) or as bytes (`requestBytes`: a
 * holder's PDF). Failures to get an answer are `NetError`s (timeout, unreachable, too large); an
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

export interface NetBytesResponse {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

export interface Net {
  request(url: string, init: NetRequest): Promise<NetResponse>;
  /** The answer's bytes as sent; `maxBytes` lowers the seam's cap for this call. */
  requestBytes(url: string, init: NetRequest & { maxBytes?: number }): Promise<NetBytesResponse>;
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
  const cap = options.maxResponseBytes ?? 256 * 1024;

  async function exchange(url: string, init: NetRequest, maxBytes: number) {
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
  }

  return {
    async request(url, init) {
      const res = await exchange(url, init, cap);
      return { ...res, body: res.body.toString('utf8') };
    },
    async requestBytes(url, init) {
      const { maxBytes, ...rest } = init;
      const res = await exchange(url, rest, Math.min(cap, maxBytes ?? cap));
      return { ...res, body: new Uint8Array(res.body.buffer, res.body.byteOffset, res.body.byteLength) };
    },
  };
}

function failure(e: unknown, url: string, timeoutMs: number, signal: AbortSignal): NetError {
  const host = safeHost(url);
  if (signal.aborted) return new NetError('timeout', `${host} did not answer within ${timeoutMs} ms`, { cause: e });
  return new NetError('unreachable', `${host} could not be reached`, { cause: e });
}

async function readCapped(res: Response, maxBytes: number, url: string): Promise<Buffer> {
  if (!res.body) return Buffer.alloc(0);
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
  return Buffer.concat(chunks);
}

/** Only the host goes into messages: a URL may carry a secret in its path or query. */
function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the server';
  }
}
