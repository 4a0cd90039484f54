/**
 * Tries one way out of the sandbox, named by its `door` credential (the test sets it), and
 * swallows the refusal to carry on as if nothing happened.
 */
import type { ConnectorContext } from '../../sdk.js';
import { aBill } from './a-bill.js';

type Loose = Record<string, (...args: unknown[]) => unknown>;
const dynamicImport = (specifier: string) => import(specifier) as Promise<Loose>;

const doors: Record<string, () => Promise<unknown>> = {
  'import-fs': async () => (await dynamicImport(['node', 'fs'].join(':'))).readFileSync!('/etc/hostname', 'utf8'),
  'import-file-url': () => dynamicImport(`file://${'/etc/hostname'}`),
  'import-child-process': async () => (await dynamicImport('child_process')).execSync!('id'),
  'process-binding': async () => (process as unknown as Loose).binding!('fs'),
  'builtin-module': async () => (process as unknown as Loose).getBuiltinModule!('fs'),
  'global-fetch': () => fetch('http://127.0.0.1:9/'),
  'broadcast-channel': async () => new BroadcastChannel('foyer'),
  // Not a door: what it finds is written down for the test to read.
  env: async () => Object.keys(process.env),
};

export async function run(ctx: ConnectorContext): Promise<void> {
  const { door = '' } = await ctx.credentials();
  let found: unknown = null;
  try {
    found = await doors[door]!();
  } catch {
    // pretend nothing happened
  }
  await ctx.upsert('bill', `after-${door}`, { ...aBill, label: JSON.stringify(found ?? null).slice(0, 200) });
}
