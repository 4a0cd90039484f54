/**
 * A connector's code as the worker receives it: its entry module and everything it imports,
 * bundled by esbuild into one ES module (TypeScript or JavaScript alike), for a platform with no
 * Node built-ins: a connector that imports `fs`, `net` or `http` is refused before it runs.
 * Bundles are kept per entry while the file is unchanged.
 */
import { stat } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { RunFailure } from '../run-errors.js';

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

export type ConnectorBundler = (entry: string) => Promise<string>;

export function createConnectorBundler(): ConnectorBundler {
  const cache = new Map<string, { mtimeMs: number; code: string }>();
  return async function bundle(entry) {
    const file = await existing(entry);
    const { mtimeMs } = await stat(file);
    const cached = cache.get(file);
    if (cached && cached.mtimeMs === mtimeMs) return cached.code;
    // Loaded on the first run only: esbuild's module costs a serving Foyer ~13 MiB of memory at idle.
    const { build } = await import('esbuild');
    const result = await build({
      entryPoints: [file],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      mainFields: ['module', 'main'],
      logLevel: 'silent',
      legalComments: 'none',
    }).catch((e: { errors?: { text: string }[] }) => {
      const texts = (e.errors ?? []).map((x) => x.text);
      const builtin = texts
        .map((t) => /Could not resolve "([^"]+)"/.exec(t)?.[1])
        .find((name) => name !== undefined && BUILTINS.has(name));
      if (builtin)
        throw new RunFailure('not_allowed', `The connector imports ${builtin}, which connectors may not use.`);
      throw new RunFailure('internal', `The connector could not be prepared: ${texts[0] ?? 'unknown error'}`);
    });
    const code = result.outputFiles[0]?.text ?? '';
    cache.set(file, { mtimeMs, code });
    return code;
  };
}

/** `connector.js` names its TypeScript source when run from the sources (tests, `npm run dev`). */
async function existing(entry: string): Promise<string> {
  try {
    await stat(entry);
    return entry;
  } catch {
    const ts = entry.replace(/\.js$/, '.ts');
    if (ts !== entry) {
      try {
        await stat(ts);
        return ts;
      } catch {
        // fall through
      }
    }
    throw new RunFailure('internal', `The connector's code is missing (${entry.split(/[\\/]/).slice(-2).join('/')}).`);
  }
}
