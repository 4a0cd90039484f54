/**
 * `createHolderKit(options)`: the Holder Kit v1 restitution API as a Hono app an organisation mounts
 * in its Node server (docs/holder-kit.md). It serves discovery, OAuth2 (authorization code with
 * PKCE S256, the customer's login and consent pages, refresh, revocation), the per-doctype data
 * endpoints with cursor paging and `since`, and files. The organisation brings its customers'
 * logins and data; the Kit brings the protocol.
 */
import { Hono } from 'hono';
import { authorizationRoutes } from './authorization-routes.js';
import { dataRoutes } from './data-routes.js';
import type { DiscoveryDocument } from './discovery-document.js';
import type { HolderKitOptions } from './holder-kit-options.js';
import { KitError } from './kit-error.js';
import { baseUrlOf, KIT_VERSION, resolveSettings, type KitSettings } from './kit-settings.js';
import { tokenRoutes } from './token-routes.js';

export function discoveryDocument(s: KitSettings, base: string): DiscoveryDocument {
  return {
    kitVersion: KIT_VERSION,
    holder: s.holder,
    issuer: base,
    endpoints: {
      authorization: `${base}/oauth/authorize`,
      token: `${base}/oauth/token`,
      revocation: `${base}/oauth/revoke`,
      data: `${base}/v1/data/{doctype}`,
      ...(s.files ? { files: `${base}/v1/files/{id}` } : {}),
      oauthMetadata: `${base}/.well-known/oauth-authorization-server`,
    },
    oauth: {
      responseTypes: ['code'],
      grantTypes: ['authorization_code', 'refresh_token'],
      codeChallengeMethods: ['S256'],
      tokenEndpointAuthMethods: ['none'],
      accessTokenLifetime: s.lifetimes.access,
      refreshTokenRotation: true,
    },
    doctypes: [...s.datasets.values()].map((d) => ({
      name: d.doctype,
      title: d.title,
      ...(d.description ? { description: d.description } : {}),
      scope: d.doctype,
      schemaVersion: d.schemaVersion,
      schemaId: s.schemaIds.get(d.doctype)!,
      endpoint: `${base}/v1/data/${d.doctype}`,
    })),
    paging: { maxPageSize: s.maxPageSize, defaultPageSize: s.defaultPageSize, since: true, order: 'updatedAt,key' },
    rateLimits: { requestsPerMinute: s.requestsPerMinute, per: 'consent' },
  };
}

/** RFC 8414 §2, for OAuth client libraries. */
function authorizationServerMetadata(s: KitSettings, base: string) {
  return {
    issuer: base,
    authorization_endpoint: `${base}/oauth/authorize`,
    token_endpoint: `${base}/oauth/token`,
    revocation_endpoint: `${base}/oauth/revoke`,
    scopes_supported: [...s.datasets.keys()],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['none'],
    revocation_endpoint_auth_methods_supported: ['none'],
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    service_documentation: `${base}/.well-known/holder-kit`,
  };
}

export function createHolderKit(options: HolderKitOptions): Hono {
  const s = resolveSettings(options);
  const app = new Hono();

  app.get('/.well-known/holder-kit', (c) =>
    c.json(discoveryDocument(s, baseUrlOf(s, c.req.url)), 200, { 'cache-control': 'public, max-age=300' }),
  );
  app.get('/.well-known/oauth-authorization-server', (c) =>
    c.json(authorizationServerMetadata(s, baseUrlOf(s, c.req.url)), 200, { 'cache-control': 'public, max-age=300' }),
  );
  authorizationRoutes(app, s);
  tokenRoutes(app, s);
  dataRoutes(app, s);

  app.notFound(() => new KitError('not_found', 'No such endpoint.').response());
  app.onError((error) => {
    if (error instanceof KitError) return error.response();
    s.onError(error);
    return new KitError('server_error', 'The holder failed to answer; try again later.').response();
  });
  return app;
}
