/**
 * An app page's script: its entry (TS, TSX with Preact, or JS) and what it imports, bundled by
 * esbuild into one browser script, inlined in the frame's page under a CSP hash. Bundles are kept
 * per entry while the file is unchanged; `foyer app dev` bundles again whenever any source changed.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FoyerError } from '../../core/errors.js';
import { packageRoot } from '../../platform/package-root.js';

export type WebBundler = (entry: string, options?: { fresh?: boolean }) => Promise<string>;

export function createWebBundler(): WebBundler {
  const cache = new Map<string, { mtimeMs: number; code: string }>();
  return async function bundle(entry, options = {}) {
    const { mtimeMs } = await stat(entry);
    const cached = cache.get(entry);
    if (cached && cached.mtimeMs === mtimeMs && !options.fresh) return cached.code;
    // Loaded on first use: esbuild weighs on an idle server.
    const { build } = await import('esbuild');
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      // Apps import the SDK by name, wherever their folder is.
      alias: { '@foyer/sdk': join(packageRoot(), 'src', 'sdk', 'index.ts') },
      nodePaths: [join(packageRoot(), 'node_modules')],
      minify: true,
      logLevel: 'silent',
      legalComments: 'none',
    }).catch((e: { errors?: { text: string }[] }) => {
      throw new FoyerError(
        'validation_failed',
        `The app's page could not be bundled: ${e.errors?.[0]?.text ?? 'unknown error'}`,
      );
    });
    // Inlined in a <script>: no "</script" may end it early (same string, escaped).
    const code = (result.outputFiles[0]?.text ?? '').replace(/<\/script/gi, '<\\/script');
    cache.set(entry, { mtimeMs, code });
    return code;
  };
}
