/**
 * The web app's Content-Security-Policy: only Foyer's own origin for scripts, styles and API calls,
 * no inline script or style, no plugin, no base rewriting, never framed. Installed apps run in
 * frames of their own origin: the app platform passes that origin as `frameSrc`, which is the only
 * thing ever added to the policy.
 */
export interface WebAppCspOptions {
  /** Origins the app shell may frame (installed apps' frame origin), or `'self'` (opaque-origin frames served by Foyer). None by default. */
  frameSrc?: readonly string[];
}

export function webAppCsp(options: WebAppCspOptions = {}): string {
  const directives = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  const frames = options.frameSrc ?? [];
  for (const origin of frames) {
    // An origin only: a policy injected through configuration must not smuggle other directives.
    if (origin !== "'self'" && !/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/.test(origin))
      throw new Error(`frameSrc: not an origin: ${origin}`);
  }
  if (frames.length > 0) directives.push(`frame-src ${frames.join(' ')}`);
  return directives.join('; ');
}
