/**
 * One call of a connector to a holder that has its own API shape (the PSD2 bank, the Enedis-style
 * distributor): tried again within the run when the holder gives no answer in time or a server
 * error (a bounded number of times, with pauses; the holder's requests here are reads or create a
 * consent, safe to repeat), then `holder_unavailable`. Every other answer is returned for the
 * connector to judge in its holder's terms. Plain code, bundled into connectors and used by their
 * connection steps.
 */
import { retryAfterSeconds } from './holder-kit/kit-calls.js';
import { ConnectorError, type FetchInit, type FetchResponse } from './sdk.js';

export interface CallPolicy {
  /** Deadline of one try. */
  timeoutMs: number;
  /** The pauses before each new try; its length bounds the tries. */
  retryDelaysMs: readonly number[];
}

export const DEFAULT_CALL_POLICY: CallPolicy = { timeoutMs: 15_000, retryDelaysMs: [500, 2_000] };

/** What a call needs of a run's `ctx`, or of a connection step's. */
export interface HolderCaller {
  fetch(url: string, init?: FetchInit): Promise<FetchResponse>;
  log?(message: string): void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function callHolder(
  caller: HolderCaller,
  url: string,
  init: FetchInit,
  what: string,
  policy: CallPolicy,
): Promise<FetchResponse> {
  for (let attempt = 0; ; attempt++) {
    const pause = policy.retryDelaysMs[attempt];
    let res: FetchResponse;
    try {
      res = await caller.fetch(url, { ...init, timeoutMs: policy.timeoutMs });
    } catch (e) {
      if ((e as { code?: unknown } | null)?.code !== 'holder_unavailable') throw e;
      if (pause === undefined) {
        throw new ConnectorError('holder_unavailable', `${what}: no answer after ${attempt + 1} tries.`);
      }
      caller.log?.(`${what}: no answer, trying again in ${pause} ms`);
      await sleep(pause);
      continue;
    }
    if (res.status < 500 || pause === undefined) return res;
    caller.log?.(`${what}: the holder answered ${res.status}, trying again in ${pause} ms`);
    await sleep(pause);
  }
}

/** `quota` for a 429, with the holder's Retry-After, or `fallbackSeconds` when it gave none. */
export function quotaError(res: FetchResponse, said: string, fallbackSeconds?: number): ConnectorError {
  const seconds = retryAfterSeconds(res.headers['retry-after'], Date.now()) ?? fallbackSeconds;
  return new ConnectorError('quota', said, seconds !== undefined ? { retryAfterSeconds: seconds } : {});
}
