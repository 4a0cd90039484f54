/**
 * Connecting to a holder whose consent is not plain OAuth 2 (manifest `auth.kind: 'redirect'`): a
 * PSD2 bank, where a consent is created first and the person authorises it at the bank; an
 * energy distributor, whose consent page sends the person back with a usage point and no code.
 * The connector supplies the two steps as plain code (its `connection`); Foyer runs them in its
 * own process when the person connects, with HTTP limited to the manifest's hosts and recorded
 * in the ledger. The person still logs in only at the holder: their password never reaches Foyer.
 */
import type { HolderNet } from './holder-net.js';
import { ConnectorError, type FetchInit, type FetchResponse } from './sdk.js';

export interface ConnectionContext {
  /** The holder's API base URL for this installation. */
  readonly api: string;
  /** Foyer's clock (epoch ms). */
  readonly now: number;
  /** As `ctx.fetch` in a run: declared hosts only, no redirects followed. */
  fetch(url: string, init?: FetchInit): Promise<FetchResponse>;
}

export interface ConnectionFlow {
  /**
   * Where to send the person. The holder must send them back to `redirectUri` with `state` in its
   * query (and `error` when they refused); `keep` waits in the vault until then.
   */
  start(
    ctx: ConnectionContext,
    input: { redirectUri: string; state: string },
  ): Promise<{ url: string; keep?: Record<string, string> }>;
  /**
   * The person is back (`params`: the query the holder sent them back with, `state` checked):
   * answers what the runs need, sealed in the vault and given to them by `ctx.credentials()`.
   * Throws a ConnectorError (a message for the person) when the holder did not grant access.
   */
  finish(
    ctx: ConnectionContext,
    input: { params: Record<string, string>; keep: Record<string, string> },
  ): Promise<Record<string, string>>;
}

/** The steps' context over a holder net (the manifest's hosts, the ledger). */
export function connectionContext(net: HolderNet, api: string, now: number): ConnectionContext {
  return {
    api,
    now,
    async fetch(url, init = {}) {
      const answer = await net.fetch(url, init);
      return {
        status: answer.status,
        ok: answer.status >= 200 && answer.status < 300,
        headers: answer.headers,
        text: () => answer.body,
        json: () => {
          try {
            return JSON.parse(answer.body) as unknown;
          } catch {
            throw new ConnectorError('holder_format_changed', `The answer of ${url.split('?')[0]} is not JSON.`);
          }
        },
      };
    },
  };
}
