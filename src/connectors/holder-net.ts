/**
 * A run's only way out: HTTP to the hosts its manifest declares, through Foyer's Net seam (deadline,
 * no redirects followed, size cap), as text for `ctx.fetch` or as bytes for `ctx.file`. Every call is counted per host; the run's end writes one ledger
 * entry per host (`net:<host>`, verb read, the call count, a digest of the calls' method and URL
 * without query). A call to an undeclared host is refused, written to the ledger at once as a
 * denial (`host_not_allowed`), and ends the run as `not_allowed`.
 */
import { baseEntry, type RecordAccess } from '../core/gate.js';
import { digestIds } from '../core/ledger/ledger-entry.js';
import type { Principal } from '../core/principal.js';
import { NetError, type Net } from '../platform/net.js';
import { CapabilityError, RunFailure } from './run-errors.js';

export interface HolderRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

export interface HolderAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface HolderBytes {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

export type HolderNet = ReturnType<typeof createHolderNet>;

export function createHolderNet(deps: {
  net: Net;
  hosts: readonly string[];
  record: RecordAccess;
  space: string;
  principal: Principal;
}) {
  const allowed = new Set(deps.hosts);
  const calls = new Map<string, { allowed: number; denied: number; lines: string[] }>();
  let flushed = false;
  const tally = (host: string) => {
    let t = calls.get(host);
    if (!t) calls.set(host, (t = { allowed: 0, denied: 0, lines: [] }));
    return t;
  };

  /** The URL if its host is declared (counted and kept for the ledger); else refused and recorded. */
  async function admit(url: string, method: string): Promise<URL> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new RunFailure('internal', 'The connector fetched something that is not a URL.');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new RunFailure(
        'not_allowed',
        `The connector tried a ${parsed.protocol} URL; only http and https are allowed.`,
      );
    }
    const host = parsed.host;
    if (!allowed.has(host)) {
      tally(host).denied++;
      await deps.record(deps.space, {
        ...baseEntry(deps.principal, 'read', `net:${host}`.slice(0, 100)),
        count: 0,
        idsDigest: null,
        outcome: 'denied',
        code: 'host_not_allowed',
      });
      throw new RunFailure('not_allowed', `The connector tried to reach ${host}, which its manifest does not declare.`);
    }
    const t = tally(host);
    t.allowed++;
    t.lines.push(`${method} ${parsed.origin}${parsed.pathname}`);
    return parsed;
  }

  function request(init: HolderRequest) {
    const method = init.method ?? 'GET';
    return {
      method,
      ...(init.headers ? { headers: init.headers } : {}),
      ...(init.body !== undefined ? { body: init.body } : {}),
      timeoutMs: init.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
    };
  }

  async function answer<T extends { status: number; headers: Headers }>(
    call: Promise<T>,
  ): Promise<Omit<T, 'headers'> & { headers: Record<string, string> }> {
    try {
      const res = await call;
      return { ...res, headers: Object.fromEntries(res.headers) };
    } catch (e) {
      if (e instanceof NetError) {
        throw new CapabilityError(e.kind === 'too_large' ? 'holder_format_changed' : 'holder_unavailable', e.message);
      }
      throw e;
    }
  }

  return {
    async fetch(url: string, init: HolderRequest = {}): Promise<HolderAnswer> {
      const r = request(init);
      const parsed = await admit(url, r.method);
      return answer(deps.net.request(parsed.href, r));
    },

    /** The same call, its answer as bytes, at most `maxBytes` (else `holder_format_changed`). */
    async fetchBytes(url: string, init: HolderRequest & { maxBytes: number }): Promise<HolderBytes> {
      const r = request(init);
      const parsed = await admit(url, r.method);
      return answer(deps.net.requestBytes(parsed.href, { ...r, maxBytes: init.maxBytes }));
    },

    /** Calls per host, for the run's record. */
    counts(): Record<string, { allowed: number; denied: number }> {
      return Object.fromEntries([...calls].map(([host, c]) => [host, { allowed: c.allowed, denied: c.denied }]));
    },

    /** One ledger entry per host called (denials were written as they happened); once per run. */
    async flush(): Promise<void> {
      if (flushed) return;
      flushed = true;
      for (const [host, c] of calls) {
        if (c.allowed === 0) continue;
        await deps.record(deps.space, {
          ...baseEntry(deps.principal, 'read', `net:${host}`.slice(0, 100)),
          count: c.allowed,
          idsDigest: digestIds(c.lines),
          outcome: 'allowed',
          code: null,
        });
      }
    },
  };
}
