/**
 * `foyer app ...`: apps from the command line, on the data folder (like `foyer connect`).
 *   app list                         the registry's apps and those installed, with their state
 *   app install ID|FOLDER [--yes]    asks for the grants, shows the consent text, accepts when told
 *   app uninstall ID [--keep]        withdraws: what the app created is deleted unless --keep
 *   app dev FOLDER                   serves the app against a throwaway space filled with the
 *                                    synthetic household, the app installed and consented
 */
import { serve } from '@hono/node-server';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFoyer, type Foyer, type FoyerOverrides } from '../app/create-foyer.js';
import type { FoyerConfig } from '../app/config.js';
import type { RequestContext } from '../core/principal.js';
import { DEFAULT_SPACE } from '../core/spaces/space-service.js';
import { randomHex } from '../platform/random-hex.js';
import { createFoyerClient } from '../sdk/client.js';
import type { CliIo } from '../cli/cli-io.js';
import { spaceFor } from '../cli/init-command.js';
import type { AppView } from './app-service.js';
import { fillWithHousehold } from './dev/fill-household.js';

const USAGE = 'Use: foyer app list | install ID|FOLDER [--yes] | uninstall ID [--keep] | dev FOLDER [--port N]';

export async function runApp(
  config: FoyerConfig,
  io: CliIo,
  args: string[],
  options: { space?: string; yes: boolean; keep: boolean },
  overrides: FoyerOverrides = {},
): Promise<number> {
  const [sub, target, ...extra] = args;
  if (sub === 'dev' && target && extra.length === 0) return runDev(config, io, target, overrides);
  const ok =
    (sub === 'list' && target === undefined) ||
    ((sub === 'install' || sub === 'uninstall') && target && extra.length === 0);
  if (!ok) {
    io.err(USAGE);
    return 2;
  }
  const space = spaceFor(config, options.space);
  const foyer = await createFoyer({ ...config, logLevel: 'error' }, overrides);
  const ctx: RequestContext = { space, principal: { kind: 'system', reason: `foyer app ${sub}` } };
  try {
    if (sub === 'list') {
      for (const app of await foyer.apps.list(ctx)) io.out(line(app));
      return 0;
    }
    if (sub === 'uninstall') {
      const { receipts } = await foyer.apps.uninstall(ctx, target!, options.keep ? 'keep' : 'delete');
      const count = receipts.flatMap((r) => r.deleted).reduce((n, d) => n + d.count, 0);
      io.out(
        options.keep
          ? `${target} uninstalled; what it created is kept.`
          : `${target} uninstalled; ${count} items deleted.`,
      );
      return 0;
    }
    const folder = target!.includes('/') || target!.startsWith('.');
    const view = await foyer.apps.install(ctx, folder ? '' : target!, folder ? { folder: target! } : {});
    return (await consent(foyer, ctx, io, view, options.yes)) ? 0 : 1;
  } finally {
    await foyer.close();
  }
}

function line(app: AppView): string {
  const state = app.installed ? `${app.installed.status} (${app.installed.version})` : 'not installed';
  return `${app.id.padEnd(16)} ${app.version.padEnd(8)} ${state.padEnd(28)} ${app.name}`;
}

/** Shows the text of each grant asked and accepts them all (asked once, or `--yes`). */
async function consent(foyer: Foyer, ctx: RequestContext, io: CliIo, view: AppView, yes: boolean): Promise<boolean> {
  const asked = view.installed!.grants.filter((g) => g.pending);
  for (const g of asked) io.out(`${g.pending!.consentText.en}\n`);
  for (const s of view.installed!.pending?.services ?? []) {
    const when = s.triggers.map((t) => (t.kind === 'schedule' ? `at "${t.cron}" (UTC)` : `when ${t.doctype} changes`));
    io.out(`Service ${s.name} runs ${when.join(', ')}.`);
  }
  const accepted = yes || /^(y|yes|o|oui)$/i.test((await io.ask('Accept? [y/N] ', false)).trim());
  if (!accepted) {
    for (const g of asked) await foyer.grants.refuse(ctx, g.id, 'en');
    io.out(`Not installed: you did not accept.`);
    return false;
  }
  const after = await foyer.apps.accept(ctx, view.id, {
    language: 'en',
    grants: asked.map((g) => ({ id: g.id, version: g.pending!.version, consentHash: g.pending!.consentHash })),
  });
  io.out(`${view.name} is ${after.installed!.status}.`);
  return true;
}

async function runDev(config: FoyerConfig, io: CliIo, folder: string, overrides: FoyerOverrides): Promise<number> {
  const stopSignal = io.stopSignal();
  const dataDir = await mkdtemp(join(tmpdir(), 'foyer-app-dev-'));
  const foyer = await createFoyer(
    { ...config, mode: 'embedded', dataDir, logLevel: 'warn' },
    { ...overrides, appDev: true },
  );
  try {
    const server = serve({ fetch: foyer.app.fetch, port: config.port, hostname: config.host });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    const port = (server.address() as AddressInfo).port;
    const url = `http://127.0.0.1:${port}`;
    const passphrase = `dev-${randomHex(12)}`;
    await foyer.ownerAuth.init(DEFAULT_SPACE, passphrase);
    const { token } = await foyer.ownerAuth.createToken(DEFAULT_SPACE, { label: 'foyer app dev' });
    io.out('Filling a throwaway space with the synthetic household...');
    const filled = await fillWithHousehold(createFoyerClient({ baseUrl: url, token }), foyer.catalog);
    const total = Object.values(filled.written).reduce((a, b) => a + b, 0);
    io.out(`  ${total} records, ${filled.from} to ${filled.to}.`);
    const ctx: RequestContext = { space: DEFAULT_SPACE, principal: { kind: 'system', reason: 'foyer app dev' } };
    const view = await foyer.apps.install(ctx, '', { folder });
    await consent(foyer, ctx, io, view, true);
    foyer.startAppServices(15_000);
    io.out('');
    io.out(`Serving ${view.name} at ${url}/apps/${view.id}`);
    io.out(`Log in with the passphrase: ${passphrase}`);
    io.out(`Owner token for scripts: ${token}`);
    io.out(
      'The page is bundled again on every load; services run on their triggers. Ctrl-C stops and deletes the space.',
    );
    const signal = await stopSignal;
    io.out(`${signal}: stopping`);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return 0;
  } finally {
    await foyer.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
