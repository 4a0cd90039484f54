import type { Context } from 'hono';

/**
 * A request header, read from Node's own parsed headers when served by @hono/node-server.
 * `c.req.header()` builds a web `Headers` object on first use (validating and sorting every
 * header), which measured as a noticeable share of a small request; Node has already parsed them.
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as { incoming?: { headers: Record<string, string | string[] | undefined> } } | undefined)
    ?.incoming;
  if (!incoming) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * The revision a client says it holds, for a replace or a delete: `?rev=` when the route has it,
 * else `If-Match` (`"rev"` or `W/"rev"`).
 */
export function clientRevision(c: Context, fromQuery?: string): string | undefined {
  return (
    fromQuery ??
    requestHeader(c, 'if-match')
      ?.replace(/^W\//, '')
      .replace(/^"(.*)"$/, '$1')
  );
}
