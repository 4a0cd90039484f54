/**
 * Consent over HTTP: grants asked, read, accepted (optional scopes deselectable), refused,
 * renewed and withdrawn; grant tokens issued, refreshed and revoked; the list of purposes.
 */
import { z } from 'zod';
import type { GrantService } from '../../core/grants/grant-service.js';
import { PURPOSES } from '../../core/grants/purposes.js';
import { defineRoute, type Route } from '../route.js';
import { json } from '../respond.js';
import { doctypeName } from '../schemas.js';

const bilingual = z.object({ en: z.string().min(1).max(2000), fr: z.string().min(1).max(2000) });

const scope = z.object({
  doctype: z.union([doctypeName, z.literal('foyer.file')]),
  verbs: z
    .array(z.enum(['read', 'create', 'update', 'delete']))
    .min(1)
    .max(4),
  filter: z
    .record(z.string(), z.unknown())
    .optional()
    .meta({ description: 'Mango-like selector the documents must match.' }),
  fields: z.array(z.string().max(200)).min(1).max(100).optional(),
  optional: z.boolean().optional(),
  reason: bilingual.optional(),
});

/** Grant terms as the API takes them (also the base of an OAuth client's registered terms). */
export const terms = z.object({
  scopes: z.array(scope).min(1).max(50),
  purpose: z.object({ code: z.string().max(60), text: bilingual }),
  storage: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('space') }),
    z.object({
      kind: z.literal('recipient'),
      name: z.string().min(1).max(200),
      country: z.string().max(60).optional(),
      url: z.url().max(500).optional(),
    }),
  ]),
  retention: z.string().max(40).meta({ description: 'ISO 8601 duration the grantee may keep what it derives.' }),
  validUntil: z.iso.datetime({ offset: true }),
  onWithdraw: z.enum(['delete', 'keep']),
});

const grantee = z.object({
  kind: z.enum(['app', 'service', 'connector', 'client', 'collective', 'person']),
  id: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9._:@-]+$/, 'letters, digits and . _ : @ -'),
  name: z.string().min(1).max(200),
  publisher: z.string().max(200).optional(),
  deletionEndpoint: z.url().max(500).optional(),
});

const grantView = z.looseObject({
  id: z.string(),
  status: z.enum(['pending', 'active', 'expired', 'withdrawn', 'refused']),
  grantee,
  scopes: z.array(scope),
  needsRenewal: z.boolean(),
  active: z.unknown(),
  pending: z.unknown(),
  history: z.array(z.unknown()),
  receipts: z.array(z.unknown()),
});

const tokens = z.object({
  tokenType: z.literal('Bearer'),
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresIn: z.number(),
  grant: z.string(),
});

const idParams = z.object({ id: z.string().min(1).max(100) });

export function grantRoutes(deps: { grants: GrantService }): Route[] {
  const { grants } = deps;
  return [
    defineRoute(
      {
        method: 'get',
        path: '/api/purposes',
        operationId: 'listPurposes',
        summary: 'The purposes a grant may name, with their DPV terms.',
        tag: 'consent',
        auth: 'none',
        responses: {
          200: {
            description: 'Purposes.',
            json: z.object({
              purposes: z.array(
                z.object({ code: z.string(), dpv: z.string().nullable(), en: z.string(), fr: z.string() }),
              ),
            }),
          },
        },
      },
      () => json({ purposes: PURPOSES }),
    ),
    defineRoute(
      {
        method: 'get',
        path: '/api/grants',
        operationId: 'listGrants',
        summary: 'Every grant: who, which data, for what, where it goes, how long, until when, and its history.',
        tag: 'consent',
        auth: 'owner',
        responses: { 200: { description: 'Grants, newest first.', json: z.object({ grants: z.array(grantView) }) } },
      },
      async (c, { ctx }) => json({ grants: await grants.list(ctx) }),
    ),
    defineRoute(
      {
        method: 'post',
        path: '/api/grants',
        operationId: 'requestGrant',
        summary: 'Ask for a grant: it is pending, with its consent text, until the owner accepts.',
        tag: 'consent',
        auth: 'owner',
        body: { kind: 'json', schema: z.object({ grantee, terms }) },
        responses: { 201: { description: 'Pending grant.', json: grantView } },
      },
      async (c, { body, ctx }) => json(await grants.request(ctx, body), 201),
    ),
    defineRoute(
      {
        method: 'get',
        path: '/api/grants/:id',
        operationId: 'getGrant',
        summary: 'One grant (the owner, or the grantee holding it).',
        tag: 'consent',
        auth: 'grant',
        params: idParams,
        responses: { 200: { description: 'The grant.', json: grantView } },
      },
      async (c, { params, ctx }) => json(await grants.get(ctx, params.id)),
    ),
    defineRoute(
      {
        method: 'post',
        path: '/api/grants/:id/versions',
        operationId: 'proposeGrantTerms',
        summary: 'New terms: narrower ones apply at once; wider ones wait for consent while the old ones keep working.',
        tag: 'consent',
        auth: 'grant',
        params: idParams,
        body: { kind: 'json', schema: z.object({ terms }) },
        responses: { 200: { description: 'The grant.', json: grantView } },
      },
      async (c, { params, body, ctx }) => json(await grants.propose(ctx, params.id, body.terms)),
    ),
    defineRoute(
      {
        method: 'post',
        path: '/api/grants/:id/accept',
        operationId: 'acceptGrant',
        summary:
          'The owner consents to the pending version, naming the text read (its hash); optional scopes may be left out.',
        tag: 'consent',
        auth: 'owner',
        params: idParams,
        body: {
          kind: 'json',
          schema: z.object({
            version: z.number().int().min(1),
            consentHash: z.string().regex(/^[0-9a-f]{64}$/),
            language: z.enum(['en', 'fr']),
            omit: z.array(z.number().int().min(0)).max(50).optional(),
          }),
        },
        responses: { 200: { description: 'Active.', json: grantView } },
      },
      async (c, { params, body, ctx }) => json(await grants.accept(ctx, params.id, body)),
    ),
    defineRoute(
      {
        method: 'post',
        path: '/api/grants/:id/refuse',
        operationId: 'refuseGrant',
        summary: 'The owner refuses the pending version; consented terms, if any, stay as they were.',
        tag: 'consent',
        auth: 'owner',
        params: idParams,
        body: { kind: 'json', schema: z.object({ language: z.enum(['en', 'fr']).optional() }) },
        responses: { 200: { description: 'The grant.', json: grantView } },
      },
      async (c, { params, body, ctx }) => json(await grants.refuse(ctx, params.id, body.language)),
    ),
    defineRoute(
      {
        method: 'post',
        path: '/api/grants/:id/renew',
        operationId: 'renewGrant',
        summary: 'Ask to renew: the same terms with a later end, pending until the owner accepts.',
        tag: 'consent',
        auth: 'grant',
        params: idParams,
        body: { kind: 'json', schema: z.object({ validUntil: z.iso.datetime({ offset: true }) }) },
        responses: { 200: { description: 'The grant, with its pending renewal.', json: grantView } },
      },
      async (c, { params, body, ctx }) => json(await grants.renew(ctx, params.id, body.validUntil)),
    ),
    defineRoute(
      {
        method: 'post',
        path: '/api/grants/:id/withdraw',
        operationId: 'withdrawGrant',
        summary:
          'Withdraw consent: every token dies at once; what the grantee created is deleted unless kept; returns the receipt.',
        tag: 'consent',
        auth: 'owner',
        params: idParams,
        body: { kind: 'json', schema: z.object({ choice: z.enum(['delete', 'keep']).optional() }) },
        responses: {
          200: {
            description: 'Withdrawn, with the deletion receipt.',
            json: z.object({ grant: grantView, receipt: z.record(z.string(), z.unknown()) }),
          },
        },
      },
      async (c, { params, body, ctx }) => json(await grants.withdraw(ctx, params.id, body.choice)),
    ),
    defineRoute(
      {
        method: 'post',
        path: '/api/grants/:id/tokens',
        operationId: 'issueGrantTokens',
        summary: 'Tokens for an active grant (an access token of 15 minutes and a refresh token).',
        tag: 'consent',
        auth: 'owner',
        params: idParams,
        responses: { 201: { description: 'Tokens; keep the refresh token secret.', json: tokens } },
      },
      async (c, { params, ctx }) => json(await grants.issueTokens(ctx, params.id), 201),
    ),
    defineRoute(
      {
        method: 'delete',
        path: '/api/grants/:id/tokens',
        operationId: 'revokeGrantTokens',
        summary: 'Revoke every token of the grant without withdrawing it.',
        tag: 'consent',
        auth: 'owner',
        params: idParams,
        responses: { 200: { description: 'Revoked.', json: z.object({ ok: z.literal(true) }) } },
      },
      async (c, { params, ctx }) => {
        await grants.revokeTokens(ctx, params.id);
        return json({ ok: true as const });
      },
    ),
    defineRoute(
      {
        method: 'post',
        path: '/api/grant-tokens/refresh',
        operationId: 'refreshGrantTokens',
        summary: 'Trade a refresh token for a new pair while the grant is active (the old one is spent).',
        tag: 'consent',
        auth: 'none',
        body: { kind: 'json', schema: z.object({ refreshToken: z.string().max(200) }) },
        responses: { 200: { description: 'New tokens.', json: tokens } },
      },
      async (c, { body, ctx }) => json(await grants.refresh(ctx.space, body.refreshToken)),
    ),
  ];
}
