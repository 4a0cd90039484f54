/**
 * The connector's calls to a Holder Kit holder, and what its answers mean in Foyer's error
 * taxonomy (docs/connectors.md, "Errors"):
 *   - no answer in time, or a 5xx: tried again within the run (a bounded number of times, with
 *     pauses), then `holder_unavailable`;
 *   - 429: `quota`, with the holder's Retry-After (no retry inside the run: the holder asked for a pause);
 *   - 401 `invalid_token` (the access token Foyer refreshed for this run is refused): `login_failed`;
 *   - 403 `insufficient_scope` (the consent at the holder no longer covers it): `user_action_needed`;
 *   - any other refusal (400 `invalid_cursor`, 404 for an announced doctype, a redirect): the holder
 *     no longer behaves as the Kit says, `holder_format_changed`.
 */
import { ConnectorError, type ConnectorContext, type FetchResponse, type FileRequest } from '../sdk.js';

export interface KitCallOptions {
  /** Deadline of one call. */
  callTimeoutMs: number;
  /** The pauses before each new try of a call that got no answer or a 5xx; its length bounds the tries. */
  retryDelaysMs: readonly number[];
}

export const DEFAULT_CALL_OPTIONS: KitCallOptions = { callTimeoutMs: 20_000, retryDelaysMs: [500, 2_000] };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The holder's `{ error, error_description }`, when it gave one. */
function kitErrorOf(res: FetchResponse): string | null {
  try {
    const body = JSON.parse(res.text()) as { error?: unknown };
    return typeof body.error === 'string' ? body.error.slice(0, 60) : null;
  } catch {
    return null;
  }
}

/** Seconds to wait from a Retry-After header: delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterSeconds(header: string | undefined, now: number): number | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text);
  // HTTP dates, all three forms, start with the day's name.
  const at = /^[A-Za-z]{3}/.test(text) ? Date.parse(text) : NaN;
  return Number.isFinite(at) ? Math.max(1, Math.ceil((at - now) / 1000)) : undefined;
}

/** Throws the taxonomy's error for a final answer that is not 200. */
export function judge(res: FetchResponse, what: string, now: number): void {
  if (res.status === 200) return;
  const error = kitErrorOf(res);
  const said = `${what}: the holder answered ${res.status}${error ? ` ${error}` : ''}`;
  if (res.status === 401) throw new ConnectorError('login_failed', `${said} (the access token was refused).`);
  if (res.status === 403) {
    throw new ConnectorError('user_action_needed', `${said}: the consent at the holder does not cover it any more.`);
  }
  if (res.status === 429) {
    const seconds = retryAfterSeconds(res.headers['retry-after'], now);
    throw new ConnectorError('quota', `${said}.`, seconds !== undefined ? { retryAfterSeconds: seconds } : {});
  }
  if (res.status >= 500) throw new ConnectorError('holder_unavailable', `${said}.`);
  throw new ConnectorError('holder_format_changed', `${said}, which the Holder Kit does not say it would.`);
}

const codeOf = (e: unknown) => (e as { code?: unknown } | null)?.code;

/** GET `url` and its JSON body, retried as above; throws the taxonomy's errors. */
export async function kitGet(
  ctx: ConnectorContext,
  url: string,
  what: string,
  headers: Record<string, string>,
  options: KitCallOptions,
): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    const pause = options.retryDelaysMs[attempt];
    let res: FetchResponse;
    try {
      res = await ctx.fetch(url, {
        headers: { accept: 'application/json', ...headers },
        timeoutMs: options.callTimeoutMs,
      });
    } catch (e) {
      if (codeOf(e) !== 'holder_unavailable') throw e;
      if (pause === undefined) {
        throw new ConnectorError(
          'holder_unavailable',
          `${what}: no answer after ${attempt + 1} tries (${(e as Error).message}).`,
        );
      }
      ctx.log(`${what}: no answer, trying again in ${pause} ms`);
      await sleep(pause);
      continue;
    }
    if (res.status >= 500 && pause !== undefined) {
      ctx.log(`${what}: the holder answered ${res.status}, trying again in ${pause} ms`);
      await sleep(pause);
      continue;
    }
    judge(res, what, Date.now());
    return res.json();
  }
}

/**
 * Stores one of the holder's files (`ctx.file`, which maps the holder's answer onto the taxonomy
 * as `judge` does), tried again like `kitGet` when the holder gives no answer or a 5xx.
 */
export async function kitFile(
  ctx: ConnectorContext,
  request: FileRequest,
  what: string,
  options: KitCallOptions,
): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await ctx.file({ ...request, timeoutMs: options.callTimeoutMs });
    } catch (e) {
      const pause = options.retryDelaysMs[attempt];
      if (codeOf(e) !== 'holder_unavailable' || pause === undefined) throw e;
      ctx.log(`${what}: ${(e as Error).message} Trying again in ${pause} ms.`);
      await sleep(pause);
    }
  }
}
