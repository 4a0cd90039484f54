/**
 * Calls to a bank's NextGenPSD2 account information API (Berlin Group XS2A, redirect approach)
 * and what its answers mean in Foyer's error taxonomy:
 *   - 401 `CONSENT_EXPIRED`: `user_action_needed`, renew the consent at the bank;
 *   - 401 `CONSENT_INVALID` (rejected, terminated, not covering the account) and 403
 *     `CONSENT_UNKNOWN` (the bank forgot it): `user_action_needed`, connect again;
 *   - 429 `ACCESS_EXCEEDED` (more than `frequencyPerDay` unattended reads): `quota`, until the
 *     holder's Retry-After or the next day;
 *   - no answer or 5xx, after retries: `holder_unavailable`;
 *   - any other refusal (400 `FORMAT_ERROR`, 404...): the bank no longer takes what it took,
 *     `holder_format_changed`.
 * Every request names itself with a fresh `X-Request-ID`, as the standard requires.
 */
import { nextParisMidnight } from '../../../catalog/synthetic/time.js';
import { callHolder, quotaError, type CallPolicy, type HolderCaller } from '../holder-call.js';
import { ConnectorError, type FetchResponse } from '../sdk.js';

export interface Psd2Client {
  caller: HolderCaller;
  /** The API's base URL; `_links` hrefs are resolved against it. */
  api: string;
  /** The bank's name, for messages to the person. */
  bank: string;
  policy: CallPolicy;
  /** Foyer's clock at the start (epoch ms): "today" and "tomorrow" for the frequency limit. */
  now: number;
}

interface TppMessage {
  code?: string;
  text?: string;
}

function tppMessageOf(res: FetchResponse): TppMessage {
  try {
    const body = JSON.parse(res.text()) as { tppMessages?: TppMessage[] };
    const first = body.tppMessages?.[0];
    return { code: String(first?.code ?? '').slice(0, 60), text: String(first?.text ?? '').slice(0, 200) };
  } catch {
    return {};
  }
}

/** Throws the taxonomy's error for an answer that is not a success. */
export function judgePsd2(client: Psd2Client, res: FetchResponse, what: string): void {
  if (res.ok) return;
  const { code, text } = tppMessageOf(res);
  const said = `${what}: ${client.bank} answered ${res.status}${code ? ` ${code}` : ''}${text ? ` (${text})` : ''}`;
  const renew = `renew your consent at ${client.bank} (connect the connector again; you log in at ${client.bank}).`;
  if (res.status === 401 && code === 'CONSENT_EXPIRED') {
    throw new ConnectorError('user_action_needed', `Your consent at ${client.bank} has expired: ${renew} ${said}.`);
  }
  if ((res.status === 401 && code?.startsWith('CONSENT')) || res.status === 403) {
    throw new ConnectorError(
      'user_action_needed',
      `${client.bank} no longer accepts Foyer's consent: ${renew} ${said}.`,
    );
  }
  if (res.status === 401) throw new ConnectorError('login_failed', `${said}.`);
  // A daily limit without Retry-After lasts until the bank's next day.
  if (res.status === 429)
    throw quotaError(res, `${said}.`, Math.ceil((nextParisMidnight(client.now + 1) - client.now) / 1000));
  if (res.status >= 500) throw new ConnectorError('holder_unavailable', `${said}.`);
  throw new ConnectorError('holder_format_changed', `${said}, which the NextGenPSD2 interface does not say it would.`);
}

/** A request to the API (a path, or a `_links` href), judged; answers the JSON body. */
export async function psd2(
  client: Psd2Client,
  pathOrHref: string,
  what: string,
  options: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: unknown; consentId?: string } = {},
): Promise<unknown> {
  const url = new URL(pathOrHref, client.api).href;
  const res = await callHolder(
    client.caller,
    url,
    {
      method: options.method ?? 'GET',
      headers: {
        accept: 'application/json',
        'x-request-id': crypto.randomUUID(),
        ...(options.consentId ? { 'consent-id': options.consentId } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    },
    what,
    client.policy,
  );
  judgePsd2(client, res, what);
  return res.json();
}
