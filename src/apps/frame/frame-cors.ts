/**
 * CORS for app frames. An app's page runs on an opaque origin (a sandboxed frame, `Origin: null`)
 * and calls Foyer's API with its grant's bearer token. Only that origin is answered, never with
 * credentials: the owner's cookies are never sent or honoured cross-origin, so a frame has its
 * token and nothing else. Any other cross-origin caller gets no CORS headers (the browser blocks it).
 */
import type { MiddlewareHandler } from 'hono';
import { requestHeader } from '../../http/request-header.js';

const ALLOWED = {
  'access-control-allow-origin': 'null',
  'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE',
  'access-control-allow-headers': 'authorization, content-type, if-match, if-none-match',
  'access-control-expose-headers': 'etag',
  'access-control-max-age': '600',
  vary: 'origin',
};

export const frameCors: MiddlewareHandler = async (c, next) => {
  // From the raw request: `c.req.header()` builds a Headers object of every header, on every API request.
  if (requestHeader(c, 'origin') !== 'null') return next();
  if (c.req.method === 'OPTIONS') return new Response(null, { status: 204, headers: ALLOWED });
  await next();
  for (const [name, value] of Object.entries(ALLOWED)) c.res.headers.set(name, value);
};
