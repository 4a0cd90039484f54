/**
 * The fault-injection middleware every simulated holder mounts. Most faults it acts out alone
 * (latency, hangs, 429, 500, expired credentials, broken or reformatted JSON); two need the
 * holder's help and are only marked on the request: `second-factor` (the login asks for a code,
 * read with `faultMarks(c).secondFactor`) and `short-page` (the holder serves fewer items, read
 * with `pageSize(c, asked)`). Each faulted response carries `X-Foyer-Fault: <kind>`.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { Rng } from '../../../catalog/synthetic/rng.js';
import type { FaultConfig, FaultKind, FaultRule } from './fault-config.js';
import { reformat } from './reformat.js';

export interface FaultMarks {
  secondFactor?: boolean;
  shortPageSize?: number;
}

type FaultEnv = { Variables: { foyerFaultMarks?: FaultMarks } };

/** What the fault middleware asked of this request's handler. */
export function faultMarks(c: Context): FaultMarks {
  return (c as unknown as Context<FaultEnv>).get('foyerFaultMarks') ?? {};
}

/** The page size to serve: the one asked for, or the short one while the short-page fault lasts. */
export function pageSize(c: Context, asked: number): number {
  const short = faultMarks(c).shortPageSize;
  return short === undefined ? asked : Math.min(asked, short);
}

export interface FaultOptions {
  /**
   * Which requests a kind may strike when the run's rule names no paths: the holder knows its
   * login (second-factor) and its data pages (short-page). Default: every request, and for
   * expired-credentials every request that presents credentials.
   */
  applies?: Partial<Record<FaultKind, (c: Context) => boolean>>;
  /** The holder's own error bodies, in its API's shape. */
  respond?: Partial<Record<'rate-limit' | 'server-error' | 'expired-credentials', (c: Context) => Response>>;
  /** What identifies the caller's credentials (default: the Authorization header; a PSD2 bank: Consent-ID). */
  credentialsOf?: (c: Context) => string | undefined;
  /** Waits; tests pass a fake. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface FaultEvent {
  kind: FaultKind;
  method: string;
  path: string;
  /** The n-th eligible request for this kind. */
  n: number;
}

export interface FaultInjection extends MiddlewareHandler {
  /** Faults injected so far in this run, in order. */
  readonly events: readonly FaultEvent[];
}

/** Waits `ms`, or less when the client goes away (the request's signal aborts). */
export const abortableSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });

const DEFAULT_HANG_MS = 120_000;

const jsonError = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

export function faultInjection(config: FaultConfig, options: FaultOptions = {}): FaultInjection {
  const counts = new Map<FaultKind, number>();
  const occurrences = new Map<FaultKind, number>();
  const events: FaultEvent[] = [];
  /** Credentials once expired stay expired: the person has to log in or consent again. */
  const expired = new Set<string>();
  const sleep = options.sleep ?? abortableSleep;
  const credentialsOf = options.credentialsOf ?? ((c: Context) => c.req.header('authorization'));

  const eligible = (kind: FaultKind, rule: FaultRule, c: Context): boolean => {
    if (rule.paths) return rule.paths.some((p) => c.req.path.startsWith(p));
    const applies = options.applies?.[kind];
    if (applies) return applies(c);
    // Expired credentials concern requests that present some.
    if (kind === 'expired-credentials') return credentialsOf(c) !== undefined;
    return true;
  };

  /** Counts the request for this kind and says whether the fault strikes it. */
  const strikes = (kind: FaultKind, c: Context): FaultRule | undefined => {
    const rule = config.rules[kind];
    if (!rule || !eligible(kind, rule, c)) return undefined;
    const n = (counts.get(kind) ?? 0) + 1;
    counts.set(kind, n);
    if (rule.times !== undefined && (occurrences.get(kind) ?? 0) >= rule.times) return undefined;
    const t = rule.trigger;
    const hit =
      t.kind === 'always' ||
      (t.kind === 'every' && n % t.n === 0) ||
      (t.kind === 'probability' && new Rng(`${config.seed}|${kind}|${n}`).next() < t.p);
    if (!hit) return undefined;
    occurrences.set(kind, (occurrences.get(kind) ?? 0) + 1);
    events.push({ kind, method: c.req.method, path: c.req.path, n });
    return rule;
  };

  const msOf = (rule: FaultRule, kind: FaultKind, fallback: number): number => {
    const [lo, hi] = rule.ms ?? [fallback, fallback];
    return lo === hi ? lo : new Rng(`${config.seed}|${kind}|ms|${counts.get(kind) ?? 0}`).int(lo, hi);
  };

  const mark = (c: Context, kind: FaultKind, response: Response): Response => {
    response.headers.set('x-foyer-fault', kind);
    return response;
  };

  const middleware: MiddlewareHandler = async (c, next) => {
    const latency = strikes('latency', c);
    if (latency) await sleep(msOf(latency, 'latency', 500), c.req.raw.signal);

    const hang = strikes('timeout', c);
    if (hang) {
      await sleep(msOf(hang, 'timeout', DEFAULT_HANG_MS), c.req.raw.signal);
      return mark(
        c,
        'timeout',
        jsonError(504, { error: 'gateway_timeout', message: 'The holder did not answer in time' }),
      );
    }

    const limited = strikes('rate-limit', c);
    if (limited) {
      const seconds = limited.retryAfterSeconds ?? 30;
      const response =
        options.respond?.['rate-limit']?.(c) ??
        jsonError(429, { error: 'too_many_requests', message: `Too many requests, retry in ${seconds} s` });
      response.headers.set('retry-after', String(seconds));
      return mark(c, 'rate-limit', response);
    }

    if (strikes('server-error', c))
      return mark(
        c,
        'server-error',
        options.respond?.['server-error']?.(c) ??
          jsonError(500, { error: 'internal_error', message: 'Internal server error' }),
      );

    const credentials = credentialsOf(c);
    if ((credentials !== undefined && expired.has(credentials)) || strikes('expired-credentials', c)) {
      if (credentials !== undefined) expired.add(credentials);
      return mark(
        c,
        'expired-credentials',
        options.respond?.['expired-credentials']?.(c) ??
          jsonError(
            401,
            { error: 'invalid_token', error_description: 'The access token or consent has expired' },
            { 'www-authenticate': 'Bearer error="invalid_token", error_description="expired"' },
          ),
      );
    }

    const marks: FaultMarks = {};
    if (strikes('second-factor', c)) marks.secondFactor = true;
    const short = strikes('short-page', c);
    if (short) marks.shortPageSize = short.size ?? 1;
    (c as unknown as Context<FaultEnv>).set('foyerFaultMarks', marks);

    await next();
    if (marks.secondFactor) c.res.headers.set('x-foyer-fault', 'second-factor');
    if (marks.shortPageSize !== undefined) c.res.headers.set('x-foyer-fault', 'short-page');

    const isJson = (c.res.headers.get('content-type') ?? '').includes('json');
    if (!isJson) return;
    const malformed = strikes('malformed-json', c);
    const changed = malformed ? undefined : strikes('changed-format', c);
    if (!malformed && !changed) return;
    const text = await c.res.text();
    const headers = new Headers(c.res.headers);
    headers.delete('content-length');
    let body = text;
    if (malformed) body = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
    else {
      try {
        body = JSON.stringify(reformat(JSON.parse(text)));
      } catch {
        body = text;
      }
    }
    headers.set('x-foyer-fault', malformed ? 'malformed-json' : 'changed-format');
    c.res = new Response(body, { status: c.res.status, headers });
  };

  return Object.assign(middleware, { events });
}
