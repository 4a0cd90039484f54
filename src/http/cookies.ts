/** The session and CSRF cookies. */
export const SESSION_COOKIE = 'foyer_session';
export const CSRF_COOKIE = 'foyer_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * The session secret is HttpOnly (scripts never see it); the CSRF token is readable by the
 * page, which echoes it in a header that a cross-site form cannot set. Both SameSite=Strict.
 * They last as long as the session can (`maxExpiresAt`): the server ends an idle session sooner,
 * but a session kept alive by use must not lose its cookie at the end of its first idle window.
 */
export function sessionCookies(
  session: { secret: string; csrfToken: string; maxExpiresAt: string },
  secure: boolean,
): string[] {
  const common = `Path=/; SameSite=Strict; Expires=${new Date(session.maxExpiresAt).toUTCString()}${secure ? '; Secure' : ''}`;
  return [`${SESSION_COOKIE}=${session.secret}; HttpOnly; ${common}`, `${CSRF_COOKIE}=${session.csrfToken}; ${common}`];
}

export function clearedCookies(secure: boolean): string[] {
  const common = `Path=/; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
  return [`${SESSION_COOKIE}=; HttpOnly; ${common}`, `${CSRF_COOKIE}=; ${common}`];
}
