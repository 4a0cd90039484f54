/**
 * An app's page, served for a sandboxed frame of the Apps screen: `GET /app-frame/<id>` answers the
 * app's `index.html` with its bundled script inlined, and `GET /app-frame/<id>/assets/<path>` the
 * other files of its `web/` folder. The page's CSP makes its origin opaque (`sandbox allow-scripts`,
 * even if opened outside a frame) and lets it reach one destination, Foyer's API; every
 * violation is reported to `POST /api/apps/<id>/csp-report`, which writes a denied ledger entry.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { Hono } from 'hono';
import type { AppEnv } from '../../http/route.js';
import type { AppRegistry } from '../app-registry.js';
import type { WebBundler } from './web-bundle.js';

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.json': 'application/json; charset=utf-8',
  '.geojson': 'application/geo+json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export const framePath = (app: string) => `/app-frame/${app}`;

/** The frame page's policy: its own inline script, its assets, Foyer's API, and nothing else. */
export function frameCsp(origin: string, app: string, scriptHash: string): string {
  const assets = `${origin}${framePath(app)}/assets/`;
  return [
    "default-src 'none'",
    `script-src 'sha256-${scriptHash}'`,
    `style-src 'unsafe-inline' ${assets}`,
    `img-src data: blob: ${assets}`,
    `font-src ${assets}`,
    `connect-src ${origin}/api/ ${assets}`,
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${origin}`,
    'sandbox allow-scripts',
    `report-uri ${origin}/api/apps/${app}/csp-report`,
  ].join('; ');
}

const FRAME_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const notFound = () =>
  new Response('Not found', {
    status: 404,
    headers: { ...FRAME_HEADERS, 'content-type': 'text/plain; charset=utf-8' },
  });

export function appFramePages(deps: { registry: AppRegistry; bundle: WebBundler; dev?: boolean }) {
  return (app: Hono<AppEnv>) => {
    app.get('/app-frame/:id', async (c) => {
      const pkg = deps.registry.get(c.req.param('id'));
      if (!pkg?.manifest.web) return notFound();
      const web = pkg.manifest.web;
      const [html, script] = await Promise.all([
        readFile(join(pkg.dir, web.html), 'utf8'),
        deps.bundle(join(pkg.dir, web.script), { fresh: deps.dev === true }),
      ]);
      const hash = createHash('sha256').update(script).digest('base64');
      const tag = `<script>${script}</script>`;
      // A function, not a string: a minified script holds `$&` or `$'`, which a replacement string expands.
      const page = /<\/body>/i.test(html) ? html.replace(/<\/body>/i, () => `${tag}</body>`) : `${html}${tag}`;
      const origin = new URL(c.req.url).origin;
      return new Response(page, {
        headers: {
          ...FRAME_HEADERS,
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': frameCsp(origin, pkg.manifest.id, hash),
        },
      });
    });
    app.get('/app-frame/:id/assets/*', async (c) => {
      const pkg = deps.registry.get(c.req.param('id'));
      if (!pkg?.manifest.web) return notFound();
      const root = resolve(pkg.dir, 'web');
      const relative = decodeURIComponent(c.req.path.slice(`${framePath(pkg.manifest.id)}/assets/`.length));
      const file = resolve(root, relative);
      const type = TYPES[extname(file).toLowerCase()];
      // Only listed types, only inside web/: never the app's code, never a file outside its folder.
      if (!type || !file.startsWith(root + sep)) return notFound();
      const found = await stat(file).catch(() => null);
      if (!found?.isFile()) return notFound();
      return new Response(new Uint8Array(await readFile(file)), {
        headers: {
          ...FRAME_HEADERS,
          'content-type': type,
          'content-security-policy': "default-src 'none'; sandbox",
          'cross-origin-resource-policy': 'cross-origin',
          'access-control-allow-origin': 'null',
        },
      });
    });
  };
}
