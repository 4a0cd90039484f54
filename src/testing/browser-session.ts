/**
 * What a browser does with Foyer's login cookies, for HTTP tests: read the Set-Cookie lines a
 * login answered, send the cookies back, and echo the readable CSRF cookie in the header.
 */
export interface SetCookie {
  name: string;
  value: string;
  /** Attribute names in lower case; flags (HttpOnly, Secure) map to `true`. */
  attributes: Map<string, string | true>;
}

export interface BrowserSession {
  /** The Cookie header a browser sends back. */
  cookie: string;
  /** The `foyer_csrf` cookie's value, which the page sends as `x-csrf-token`. */
  csrfToken: string;
}

export function parseSetCookie(line: string): SetCookie {
  const [pair = '', ...rest] = line.split(';');
  const eq = pair.indexOf('=');
  const attributes = new Map<string, string | true>();
  for (const part of rest) {
    const at = part.indexOf('=');
    if (at < 0) attributes.set(part.trim().toLowerCase(), true);
    else attributes.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attributes };
}

export function browserSession(setCookieLines: string[]): BrowserSession {
  const cookies = setCookieLines.map(parseSetCookie);
  const value = (name: string) => {
    const found = cookies.find((c) => c.name === name);
    if (!found) throw new Error(`No ${name} cookie was set (got: ${cookies.map((c) => c.name).join(', ') || 'none'}).`);
    return found.value;
  };
  const session = value('foyer_session');
  const csrfToken = value('foyer_csrf');
  return { cookie: `foyer_session=${session}; foyer_csrf=${csrfToken}`, csrfToken };
}
