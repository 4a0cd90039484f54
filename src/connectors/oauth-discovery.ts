/**
 * The OAuth endpoints and scopes of a connector whose manifest says `auth.discovery`: read from the
 * holder's Holder Kit discovery document on the installation's origin when the person connects.
 * The endpoints must stay on that origin (a document cannot send the person's consent, or the
 * tokens, elsewhere); the scopes asked are the manifest's that the holder offers as doctypes, since
 * the Kit refuses a scope it does not offer (`invalid_scope`). The token endpoint is then kept with
 * the tokens in the vault, so a refresh before each run needs no new discovery.
 */
import { z } from 'zod';
import type { HolderAnswer, HolderRequest } from './holder-net.js';
import type { ConnectorManifest } from './manifest.js';
import type { OAuthAuth, OAuthEndpoints } from './oauth-link.js';
import { RunFailure } from './run-errors.js';

type Send = (url: string, init: HolderRequest) => Promise<HolderAnswer>;

/** Only the members read here; the rest of the document is the connector's business. */
const discoverySchema = z.object({
  endpoints: z.object({ authorization: z.url(), token: z.url() }),
  doctypes: z.array(z.object({ name: z.string() })),
});

/** The manifest's endpoints, or those its discovery document names, with the scopes to ask. */
export async function oauthEndpointsOf(
  send: Send,
  manifest: ConnectorManifest,
  auth: OAuthAuth,
): Promise<OAuthEndpoints> {
  if (auth.discovery === undefined) {
    return {
      authorizationUrl: auth.authorizationUrl!,
      tokenUrl: auth.tokenUrl!,
      clientId: auth.clientId,
      scopes: auth.scopes,
    };
  }
  const origin = new URL(manifest.api).origin;
  const url = origin + auth.discovery;
  let answer: HolderAnswer;
  try {
    answer = await send(url, { headers: { accept: 'application/json' } });
  } catch (e) {
    if (e instanceof RunFailure) throw e;
    throw new RunFailure('holder_unavailable', `${url} did not answer: ${(e as Error).message}`);
  }
  if (answer.status >= 500 || answer.status === 429) {
    throw new RunFailure(answer.status === 429 ? 'quota' : 'holder_unavailable', `${url} answered ${answer.status}.`);
  }
  let body: unknown = null;
  try {
    body = JSON.parse(answer.body);
  } catch {
    // judged below
  }
  const doc = answer.status === 200 ? discoverySchema.safeParse(body) : null;
  if (!doc?.success) {
    throw new RunFailure('holder_format_changed', `${url} is not a Holder Kit discovery document (${answer.status}).`);
  }
  const { authorization, token } = doc.data.endpoints;
  for (const endpoint of [authorization, token]) {
    if (new URL(endpoint).origin !== origin) {
      throw new RunFailure(
        'not_allowed',
        `${manifest.holder.name}'s discovery document sends you to ${new URL(endpoint).origin}, not to ${origin} where it was installed: refused.`,
      );
    }
  }
  const offered = new Set(doc.data.doctypes.map((d) => d.name));
  const scopes = auth.scopes.filter((s) => offered.has(s));
  if (scopes.length === 0) {
    throw new RunFailure(
      'not_allowed',
      `${origin} offers none of the data ${manifest.name} collects (it offers ${[...offered].join(', ').slice(0, 300) || 'nothing'}).`,
    );
  }
  return { authorizationUrl: authorization, tokenUrl: token, clientId: auth.clientId, scopes };
}
