/**
 * Calls to a distributor's metering API in the Enedis Data Connect style: a client-credentials
 * token (Foyer's registration at the distributor, not the person's login), then GETs naming the
 * usage point. What its answers mean in Foyer's error taxonomy:
 *   - 401 `invalid_token`: a new token, once; refused again, `login_failed`;
 *   - 403 `ADAM-DC-0008` (no consent for this usage point, or its duration is over):
 *     `user_action_needed`, renew the consent at the distributor;
 *   - 404 `no_data_found`: nothing published for the period, not an error;
 *   - 429: `quota` with the Retry-After;  no answer or 5xx, after retries: `holder_unavailable`;
 *   - the token endpoint refusing Foyer's client: `internal` (the operator's registration, not the
 *     person's to fix); any other refusal (400 `ADAM-ERR0069`...): `holder_format_changed`.
 */
import { callHolder, quotaError, type CallPolicy, type HolderCaller } from '../holder-call.js';
import { ConnectorError, type ConnectorContext, type FetchResponse } from '../sdk.js';

export interface EnedisClient {
  caller: HolderCaller;
  api: string;
  /** The distributor's name, for messages to the person. */
  distributor: string;
  policy: CallPolicy;
  /** Foyer's application at the distributor. */
  clientId: string;
  clientSecret: string;
  usagePointId: string;
  /** The current access token, taken when first needed. */
  token?: string;
}

function errorOf(res: FetchResponse): { error: string; description: string } {
  try {
    const body = JSON.parse(res.text()) as { error?: unknown; error_description?: unknown };
    return {
      error: String(body.error ?? '').slice(0, 60),
      description: String(body.error_description ?? '').slice(0, 200),
    };
  } catch {
    return { error: '', description: '' };
  }
}

function said(client: EnedisClient, res: FetchResponse, what: string): string {
  const { error, description } = errorOf(res);
  return `${what}: ${client.distributor} answered ${res.status}${error ? ` ${error}` : ''}${description ? ` (${description})` : ''}`;
}

/** The failures shared by the token endpoint and the data calls. */
function judgeCommon(client: EnedisClient, res: FetchResponse, what: string): void {
  if (res.status === 429) throw quotaError(res, `${said(client, res, what)}.`);
  if (res.status >= 500) throw new ConnectorError('holder_unavailable', `${said(client, res, what)}.`);
}

async function takeToken(client: EnedisClient): Promise<string> {
  const what = 'the access token';
  const res = await callHolder(
    client.caller,
    new URL('/oauth2/v3/token', client.api).href,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_secret: client.clientSecret,
      }).toString(),
    },
    what,
    client.policy,
  );
  judgeCommon(client, res, what);
  if (res.status === 401 || res.status === 400) {
    throw new ConnectorError(
      'internal',
      `${said(client, res, what)}: Foyer's registration at the distributor was refused.`,
    );
  }
  const token = (res.json() as { access_token?: unknown } | null)?.access_token;
  if (!res.ok || typeof token !== 'string' || token === '') {
    throw new ConnectorError('holder_format_changed', `${said(client, res, what)}: no access_token.`);
  }
  return token;
}

/** GET a metering or supplier path for the usage point; null when nothing is published for it. */
export async function enedisGet(
  client: EnedisClient,
  path: string,
  params: Record<string, string>,
  what: string,
): Promise<unknown> {
  const url = new URL(path, client.api);
  url.search = new URLSearchParams({ usage_point_id: client.usagePointId, ...params }).toString();
  for (let renewed = false; ; renewed = true) {
    client.token ??= await takeToken(client);
    const res = await callHolder(
      client.caller,
      url.href,
      { headers: { accept: 'application/json', authorization: `Bearer ${client.token}` } },
      what,
      client.policy,
    );
    if (res.ok) return res.json();
    const { error } = errorOf(res);
    if (res.status === 401 && !renewed) {
      client.token = undefined;
      continue;
    }
    if (res.status === 401)
      throw new ConnectorError('login_failed', `${said(client, res, what)}, even with a new token.`);
    if (res.status === 403) {
      throw new ConnectorError(
        'user_action_needed',
        `${client.distributor} holds no consent for Foyer on this usage point any more (it was withdrawn or its ` +
          `duration is over): renew your consent at ${client.distributor} (connect the connector again). ` +
          `${said(client, res, what)}.`,
      );
    }
    if (res.status === 404 && error === 'no_data_found') return null;
    judgeCommon(client, res, what);
    throw new ConnectorError(
      'holder_format_changed',
      `${said(client, res, what)}, which its API does not say it would.`,
    );
  }
}

/**
 * Keeps a file the API serves (a bill's PDF) in the space (`ctx.file`, Foyer fetching it): tried
 * again like the other calls when the holder gives no answer or a 5xx, with a new token once if
 * the current one is refused; answers the file's id.
 */
export async function enedisFile(
  ctx: ConnectorContext,
  client: EnedisClient,
  file: { key: string; href: string; name: string; contentType?: string },
): Promise<string> {
  let renewed = false;
  for (let attempt = 0; ; attempt++) {
    client.token ??= await takeToken(client);
    try {
      return await ctx.file({
        key: file.key,
        url: new URL(file.href, client.api).href,
        headers: { authorization: `Bearer ${client.token}` },
        name: file.name,
        ...(file.contentType ? { contentType: file.contentType } : {}),
        timeoutMs: client.policy.timeoutMs,
      });
    } catch (e) {
      const code = (e as { code?: unknown } | null)?.code;
      const pause = client.policy.retryDelaysMs[attempt];
      if (code === 'login_failed' && !renewed) {
        renewed = true;
        client.token = undefined;
      } else if (code === 'holder_unavailable' && pause !== undefined) {
        ctx.log(`${file.name}: no answer or a server error, trying again in ${pause} ms`);
        await new Promise((resolve) => setTimeout(resolve, pause));
      } else {
        throw e;
      }
    }
  }
}
