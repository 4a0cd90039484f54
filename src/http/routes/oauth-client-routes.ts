/**
 * The owner's side of OAuth: the space's clients (list, create, approve, reject, remove) and the
 * deletion requests sent to them on withdrawal. Also the registration metadata (RFC 7591) that a
 * client sends to `POST /oauth/register` and the owner to `POST /api/oauth/clients`.
 */
import { z } from 'zod';
import { FoyerError } from '../../core/errors.js';
import { clientView, type ClientMetadata } from '../../core/oauth/oauth-client.js';
import { isOAuthError } from '../../core/oauth/oauth-error.js';
import type { OAuth } from '../../core/oauth/oauth.js';
import { defineRoute, type Route } from '../route.js';
import { json } from '../respond.js';
import { requestHeader } from '../request-header.js';
import { terms } from './grant-routes.js';

const clientTerms = terms.omit({ validUntil: true }).extend({
  validity: z.string().max(40).meta({ description: 'ISO 8601 duration each consent lasts, e.g. P1Y.' }),
});

/** RFC 7591 client metadata, with Foyer's own fields (`terms`, `publisher`, `deletion_endpoint`). */
export const clientMetadata = z.object({
  client_name: z.string().min(1).max(200),
  redirect_uris: z.array(z.string().max(2000)).min(1).max(10),
  token_endpoint_auth_method: z
    .enum(['none', 'client_secret_basic', 'client_secret_post'])
    .default('client_secret_basic')
    .meta({ description: '`none` for a public client (PKCE only).' }),
  grant_types: z.array(z.enum(['authorization_code', 'refresh_token'])).optional(),
  response_types: z.array(z.literal('code')).optional(),
  client_uri: z.url().max(500).optional(),
  publisher: z.string().min(1).max(200).optional(),
  deletion_endpoint: z.string().max(2000).optional(),
  jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1).max(10) }).optional(),
  jwks_uri: z.string().max(2000).optional(),
  /** Accepted for RFC 7591 clients that send it; the scopes come from `terms`. */
  scope: z.string().max(4000).optional(),
  terms: clientTerms,
});

export type ClientMetadataBody = z.infer<typeof clientMetadata>;

export function toClientMetadata(body: ClientMetadataBody): ClientMetadata {
  return {
    name: body.client_name,
    ...(body.publisher ? { publisher: body.publisher } : {}),
    ...(body.client_uri ? { uri: body.client_uri } : {}),
    redirectUris: body.redirect_uris,
    authMethod: body.token_endpoint_auth_method,
    terms: body.terms,
    ...(body.deletion_endpoint ? { deletionEndpoint: body.deletion_endpoint } : {}),
    ...(body.jwks ? { jwks: body.jwks } : {}),
    ...(body.jwks_uri ? { jwksUri: body.jwks_uri } : {}),
  };
}

const clientJson = z.looseObject({
  id: z.string(),
  name: z.string(),
  status: z.enum(['pending', 'approved', 'rejected']),
  registeredBy: z.enum(['client', 'owner']),
  redirectUris: z.array(z.string()),
  authMethod: z.string(),
  terms: z.unknown(),
  issuer: z.string(),
  createdAt: z.string(),
  grant: z.string().optional(),
});

const deletionRequestJson = z.looseObject({
  id: z.string(),
  grant: z.string(),
  client: z.string(),
  endpoint: z.string(),
  status: z.enum(['pending', 'failed', 'confirmed', 'overdue']),
  requestedAt: z.string(),
  dueBy: z.string(),
  attempts: z.number(),
});

const idParams = z.object({ id: z.string().min(1).max(100) });

/** The owner's two decisions on a pending client. */
const DECISIONS = [
  {
    verb: 'approve',
    status: 'approved',
    summary: 'Approve a pending client: it may then ask for consent (each grant still needs yours).',
  },
  { verb: 'reject', status: 'rejected', summary: 'Reject a pending client: it can never start an authorization here.' },
] as const;

export function oauthClientRoutes(deps: { oauth: OAuth; issuerOf: (host: string | undefined) => string }): Route[] {
  const { oauth } = deps;
  return [
    defineRoute(
      {
        method: 'get',
        path: '/api/oauth/clients',
        operationId: 'listOAuthClients',
        summary: 'The OAuth clients of this space, newest first, with their status and terms.',
        tag: 'oauth',
        auth: 'owner',
        responses: { 200: { description: 'Clients.', json: z.object({ clients: z.array(clientJson) }) } },
      },
      async (c, { ctx }) => json({ clients: (await oauth.clients.list(ctx.space)).map(clientView) }),
    ),
    defineRoute(
      {
        method: 'post',
        path: '/api/oauth/clients',
        operationId: 'createOAuthClient',
        summary: 'Register a client as the owner: approved at once. Same metadata as POST /oauth/register.',
        tag: 'oauth',
        auth: 'owner',
        body: { kind: 'json', schema: clientMetadata },
        responses: {
          201: {
            description: 'The client; `clientSecret` (confidential clients) is shown this once.',
            json: z.object({ client: clientJson, clientSecret: z.string().optional() }),
          },
        },
      },
      async (c, { body, ctx }) => {
        try {
          const { client, secret } = await oauth.clients.register(ctx.space, toClientMetadata(body), {
            registeredBy: 'owner',
            issuer: deps.issuerOf(requestHeader(c, 'host')),
          });
          return json({ client: clientView(client), ...(secret ? { clientSecret: secret } : {}) }, 201);
        } catch (e) {
          if (isOAuthError(e)) {
            throw new FoyerError('validation_failed', e.message, {
              issues: [{ path: 'body', rule: e.error, message: e.message }],
            });
          }
          throw e;
        }
      },
    ),
    defineRoute(
      {
        method: 'get',
        path: '/api/oauth/clients/:id',
        operationId: 'getOAuthClient',
        summary: 'One client.',
        tag: 'oauth',
        auth: 'owner',
        params: idParams,
        responses: { 200: { description: 'The client.', json: clientJson } },
      },
      async (c, { params, ctx }) => {
        const client = await oauth.clients.get(ctx.space, params.id);
        if (!client) throw new FoyerError('not_found', `No OAuth client "${params.id}".`, { id: params.id });
        return json(clientView(client));
      },
    ),
    ...DECISIONS.map((d) =>
      defineRoute(
        {
          method: 'post',
          path: `/api/oauth/clients/:id/${d.verb}`,
          operationId: `${d.verb}OAuthClient`,
          summary: d.summary,
          tag: 'oauth',
          auth: 'owner',
          params: idParams,
          responses: { 200: { description: 'The client.', json: clientJson } },
        },
        async (c, { params, ctx }) => json(clientView(await oauth.clients.decide(ctx.space, params.id, d.status))),
      ),
    ),
    defineRoute(
      {
        method: 'delete',
        path: '/api/oauth/clients/:id',
        operationId: 'removeOAuthClient',
        summary:
          'Remove a client: its grant is withdrawn (tokens die, a deletion request goes out) or refused if pending.',
        tag: 'oauth',
        auth: 'owner',
        params: idParams,
        responses: { 200: { description: 'Removed.', json: z.object({ ok: z.literal(true) }) } },
      },
      async (c, { params, ctx }) => {
        await oauth.removeClient(ctx, params.id);
        return json({ ok: true as const });
      },
    ),
    defineRoute(
      {
        method: 'get',
        path: '/api/oauth/deletion-requests',
        operationId: 'listDeletionRequests',
        summary:
          'Deletion requests sent to outside recipients on withdrawal: pending, failed (retried), confirmed or overdue.',
        tag: 'oauth',
        auth: 'owner',
        responses: {
          200: { description: 'Newest first.', json: z.object({ requests: z.array(deletionRequestJson) }) },
        },
      },
      async (c, { ctx }) =>
        json({
          requests: (await oauth.deletions.list(ctx.space)).map(({ jwks: _k, ...rest }) => rest),
        }),
    ),
  ];
}
