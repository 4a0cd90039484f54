/**
 * Serves the built web app (`web/dist`, made by `npm run build`) at `/`: hashed assets with an
 * immutable cache, other files of the build as they are, and `index.html` for every client route, all under the web app's strict CSP. It never answers under
 * `/api`, `/oauth` or `/.well-known`, and lets the requests it does not know fall through to the
 * pages mounted after it. Without a build, client routes answer a page saying how to build it,
 * while `/` falls through to the server-rendered first-run page so the setup link keeps working.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Hono } from 'hono';
import { respond, SECURITY_HEADERS } from '../respond.js';
import type { AppEnv } from '../route.js';
import { webAppCsp, type WebAppCspOptions } from './web-app-csp.js';

export interface WebAppOptions extends WebAppCspOptions {
  /** The build folder (`<package>/web/dist`). */
  distDir: string;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
};

/** Paths the web app never answers: the API, the OAuth provider and its discovery. */
const NOT_OURS = /^\/(api|oauth|\.well-known)(\/|$)/;
/** One path segment of a plain name: nothing that could climb out of the build folder. */
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;

export function webApp(options: WebAppOptions): (app: Hono<AppEnv>) => void {
  const csp = webAppCsp(options);
  const { distDir } = options;
  const htmlHeaders = {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': csp,
    'cache-control': 'no-cache',
  };

  async function file(relative: string): Promise<Buffer | null> {
    try {
      return await readFile(path.join(distDir, relative));
    } catch {
      return null;
    }
  }

  return (app) => {
    app.on(['GET', 'HEAD'], '*', async (c, next) => {
      const pathname = c.req.path;
      if (NOT_OURS.test(pathname)) return next();
      const segments = pathname.split('/').slice(1);
      const last = segments.at(-1) ?? '';
      const ext = path.extname(last);

      // Files of the build: `/assets/<hashed name>`, or a known type at the build's root. Other
      // dotted paths are client routes (`/data/bank.transaction`).
      const hashed = segments[0] === 'assets';
      if (hashed || TYPES[ext]) {
        if (segments.length !== (hashed ? 2 : 1) || !FILE_NAME.test(last) || last === 'index.html') return next();
        const body = await file(hashed ? path.join('assets', last) : last);
        if (!body) return next();
        return new Response(c.req.method === 'HEAD' ? null : new Uint8Array(body), {
          status: 200,
          headers: {
            ...SECURITY_HEADERS,
            'content-type': TYPES[ext] ?? 'application/octet-stream',
            'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
          },
        });
      }

      // A client route: the app's page, whichever screen the path names.
      const index = await file('index.html');
      if (index) return respond(c.req.method === 'HEAD' ? null : index.toString('utf8'), 200, htmlHeaders);
      if (pathname === '/') return next();
      return respond(notBuiltPage, 503, {
        ...htmlHeaders,
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      });
    });
  };
}

const notBuiltPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Foyer: the web app is not built</title></head>
<body><h1>The web app is not built</h1>
<p>Foyer cannot find its web app (the folder <code>web/dist</code>). Build it with <code>npm run build</code>
(<code>npm ci</code> does it too), then reload this page.</p>
<p>Meanwhile <a href="/">the basic page</a> lets you create your passphrase or log in, and the API answers at <code>/api</code>.</p>
</body></html>`;

/** Where the build is, from the package root. */
export const webDistDir = (packageRoot: string): string => path.join(packageRoot, 'web', 'dist');

export const webAppBuilt = (distDir: string): boolean => existsSync(path.join(distDir, 'index.html'));
