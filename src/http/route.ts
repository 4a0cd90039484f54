/**
 * A route is data: its method, path, schemas and handler. The same definition registers the hono
 * handler and produces the OpenAPI operation, so the published API cannot drift from the code.
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import type { RequestContext } from '../core/principal.js';
import { FoyerError } from '../core/errors.js';
import { readJsonBody } from './read-body.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ResponseSpec {
  description: string;
  /** JSON body schema; omitted for empty or non-JSON responses. */
  json?: z.ZodType;
  /** Other content types, e.g. `application/octet-stream` for file downloads. */
  content?: string[];
}

export type BodySpec =
  | { kind: 'json'; schema: z.ZodType; maxBytes?: number; description?: string }
  /** Streamed raw bytes (files): the handler reads `c.req.raw.body` itself. */
  | { kind: 'raw'; description: string };

export interface RouteSpec<
  P extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  B extends BodySpec | undefined,
> {
  method: HttpMethod;
  /** Hono path syntax (`/api/data/:doctype/:id`). */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /**
   * `owner`: only the space's owner (401 without credentials, 403 `owner_only` for a grantee).
   * `grant`: the owner or a grantee; the gate decides what a grantee may do.
   */
  auth: 'none' | 'owner' | 'grant';
  params?: P;
  query?: Q;
  body?: B;
  responses: Record<number, ResponseSpec>;
}

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;
type InferBody<B> = B extends { kind: 'json'; schema: infer S } ? Infer<S> : undefined;

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  ctx: RequestContext;
}

export type Handler<P, Q, B> = (c: Context<AppEnv>, input: RouteInput<P, Q, B>) => Response | Promise<Response>;

export interface AppEnv {
  Variables: {
    ctx: RequestContext;
    /** The space the Host named, set before authentication (so a failed login is still ledgered there). */
    space?: string;
    /** The session secret when the request came with a session cookie (for logout, listing). */
    sessionSecret?: string;
  };
}

export interface Route {
  spec: RouteSpec<z.ZodType | undefined, z.ZodType | undefined, BodySpec | undefined>;
  handle(c: Context<AppEnv>): Promise<Response>;
}

export function defineRoute<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends BodySpec | undefined = undefined,
>(spec: RouteSpec<P, Q, B>, handler: Handler<Infer<P>, Infer<Q>, InferBody<B>>): Route {
  return {
    spec: spec as Route['spec'],
    async handle(c) {
      const ctx = c.get('ctx');
      if (spec.auth !== 'none' && ctx.principal === null) {
        throw new FoyerError(
          'unauthenticated',
          'Log in, or send a personal access token as "Authorization: Bearer <token>".',
        );
      }
      if (spec.auth === 'owner' && ctx.principal?.kind === 'grant') {
        throw new FoyerError('owner_only', 'Only the space’s owner can do this.');
      }
      const params = spec.params ? parseInput(spec.params, c.req.param(), 'path') : undefined;
      const query = spec.query ? parseInput(spec.query, c.req.query(), 'query') : undefined;
      let body: unknown;
      if (spec.body?.kind === 'json') {
        body = parseInput(spec.body.schema, await readJsonBody(c, spec.body.maxBytes), 'body');
      }
      return handler(c, { params, query, body, ctx } as RouteInput<Infer<P>, Infer<Q>, InferBody<B>>);
    },
  };
}

function parseInput(schema: z.ZodType, value: unknown, where: 'path' | 'query' | 'body'): unknown {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => {
    const path = i.path.map(String).join('.');
    return { path: `${where}${path ? '.' + path : ''}`, rule: i.code, message: `${path || where}: ${i.message}` };
  });
  throw new FoyerError('validation_failed', `Invalid ${where}: ${issues.map((i) => i.message).join('; ')}`, { issues });
}
