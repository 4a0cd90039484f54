import { z } from 'zod';
import type { OwnerAuth } from '../../core/auth/owner-auth.js';
import { defineRoute, type Route } from '../route.js';
import { json } from '../respond.js';

const tokenInfo = z.object({
  tokenId: z.string(),
  label: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  expired: z.boolean(),
});

export function tokenRoutes(deps: { ownerAuth: OwnerAuth }): Route[] {
  const { ownerAuth } = deps;
  return [
    defineRoute(
      {
        method: 'get',
        path: '/api/tokens',
        operationId: 'listTokens',
        summary: 'Personal access tokens (never their secrets).',
        tag: 'auth',
        auth: 'owner',
        responses: { 200: { description: 'Tokens.', json: z.object({ tokens: z.array(tokenInfo) }) } },
      },
      async (c, { ctx }) => json({ tokens: await ownerAuth.listTokens(ctx.space) }),
    ),
    defineRoute(
      {
        method: 'post',
        path: '/api/tokens',
        operationId: 'createToken',
        summary: 'Create a personal access token for a script or the CLI; its secret is shown once.',
        tag: 'auth',
        auth: 'owner',
        body: {
          kind: 'json',
          schema: z.object({
            label: z.string().min(1).max(100),
            expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
          }),
        },
        responses: {
          201: {
            description: 'Created. Keep `token`: it cannot be shown again.',
            json: z.object({
              token: z.string(),
              tokenId: z.string(),
              label: z.string(),
              createdAt: z.string(),
              expiresAt: z.string().nullable(),
            }),
          },
        },
      },
      async (c, { body, ctx }) => json(await ownerAuth.createToken(ctx.space, body), 201),
    ),
    defineRoute(
      {
        method: 'delete',
        path: '/api/tokens/:tokenId',
        operationId: 'revokeToken',
        summary: 'Revoke a token: the very next request with it fails.',
        tag: 'auth',
        auth: 'owner',
        params: z.object({ tokenId: z.string().max(100) }),
        responses: { 200: { description: 'Revoked.', json: z.object({ ok: z.literal(true) }) } },
      },
      async (c, { params, ctx }) => {
        await ownerAuth.revokeToken(ctx.space, params.tokenId);
        return json({ ok: true as const });
      },
    ),
  ];
}
