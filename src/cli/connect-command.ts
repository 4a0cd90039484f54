/**
 * `foyer connect CONNECTOR [--origin URL] [--yes] [--backfill] [--space ID]`: connects a data holder
 * in one go, on the data folder: installs the connector, shows its consent text and asks for
 * consent (`--yes` accepts), asks for the login (hidden for secrets) or, for an OAuth holder,
 * prints the address to open and waits for the holder to send the browser back to a one-off
 * loopback address; then makes the first run with a progress bar. Run again, it picks up where
 * it stopped (consent pending, login refused...). Exit code 0 when the first run succeeded.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFoyer, type Foyer, type FoyerOverrides } from '../app/create-foyer.js';
import type { FoyerConfig } from '../app/config.js';
import type { ConnectorListing } from '../connectors/connector-service.js';
import { FoyerError } from '../core/errors.js';
import type { GrantView } from '../core/grants/grant-service.js';
import type { RequestContext } from '../core/principal.js';
import type { CliIo } from './cli-io.js';
import { spaceFor } from './init-command.js';
import { runWithProgress } from './sync-command.js';

export interface ConnectCommandOptions {
  space?: string;
  origin?: string;
  yes: boolean;
  backfill: boolean;
}

/** How long the browser has to come back from the holder. */
const OAUTH_WAIT_MS = 15 * 60_000;
/** Attention codes after which the login is asked again. */
const ASK_LOGIN_AGAIN = new Set(['login_failed', 'user_action_needed']);

export async function runConnect(
  config: FoyerConfig,
  io: CliIo,
  args: string[],
  options: ConnectCommandOptions,
  overrides: FoyerOverrides = {},
): Promise<number> {
  const [id] = args;
  if (id === undefined || args.length > 1) {
    io.err('Use: foyer connect CONNECTOR [--origin URL] [--yes] [--backfill] [--space ID]');
    return 2;
  }
  const space = spaceFor(config, options.space);
  const foyer = await createFoyer({ ...config, logLevel: 'error' }, overrides);
  try {
    const ctx: RequestContext = { space, principal: { kind: 'system', reason: 'foyer connect' } };
    const find = async () => (await foyer.connectors.list(ctx)).find((c) => c.manifest.id === id);
    let listing = await find();
    if (!listing) {
      const known = foyer.connectors.registry.list().map((c) => c.manifest.id);
      io.err(`There is no connector "${id}". Connectors: ${known.length ? known.join(', ') : '(none)'}.`);
      return 2;
    }
    const stale = ['withdrawn', 'refused', 'missing'];
    if (!listing.installed || stale.includes(listing.installed.grantStatus)) {
      await foyer.connectors.install(ctx, id, options.origin !== undefined ? { origin: options.origin } : {});
      listing = (await find())!;
    } else if (options.origin !== undefined && options.origin !== listing.installed.origin) {
      io.err(
        `${id} is installed for ${listing.installed.origin ?? listing.manifest.api}: uninstall it to change that.`,
      );
      return 1;
    }
    const grant = await foyer.grants.get(ctx, listing.installed!.grant);
    if (grant.pending && !(await consent(foyer, ctx, io, grant, options.yes))) {
      io.out('Not connected: you did not accept.');
      return 1;
    }
    await logIn(foyer, ctx, io, listing);
    const run = await runWithProgress(foyer, ctx, id, options.backfill, io);
    return run.outcome === 'succeeded' ? 0 : 1;
  } finally {
    await foyer.close();
  }
}

async function consent(foyer: Foyer, ctx: RequestContext, io: CliIo, grant: GrantView, yes: boolean): Promise<boolean> {
  const pending = grant.pending!;
  io.out(pending.consentText.en);
  io.out('');
  const accepted = yes || /^(y|yes|o|oui)$/i.test((await io.ask('Accept? [y/N] ', false)).trim());
  if (!accepted) {
    await foyer.grants.refuse(ctx, grant.id, 'en');
    return false;
  }
  await foyer.grants.accept(ctx, grant.id, {
    version: pending.version,
    consentHash: pending.consentHash,
    language: 'en',
  });
  return true;
}

async function logIn(foyer: Foyer, ctx: RequestContext, io: CliIo, listing: ConnectorListing): Promise<void> {
  const { manifest, installed } = listing;
  const attention = installed?.attention?.code;
  if (installed?.credentials && !(attention && ASK_LOGIN_AGAIN.has(attention))) return;
  if (manifest.auth.kind === 'login') {
    io.out(`Your login at ${manifest.holder.name} (kept encrypted in your space):`);
    const values: Record<string, string> = {};
    for (const field of manifest.auth.fields) {
      values[field.name] = (await io.ask(`${field.label.en}: `, field.secret)).trim();
    }
    await foyer.connectors.setCredentials(ctx, manifest.id, values);
    return;
  }
  const { server, redirectUri, answer } = await loopback();
  try {
    const { authorizationUrl } = await foyer.connectors.startOAuth(ctx, manifest.id, redirectUri);
    io.out(`Open this address in your browser, log in at ${manifest.holder.name} and accept:`);
    io.out(authorizationUrl);
    const query = await Promise.race([
      answer,
      io.stopSignal().then(() => null),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), OAUTH_WAIT_MS).unref()),
    ]);
    if (query === null) throw new FoyerError('bad_request', `No answer came back from ${manifest.holder.name}.`);
    await foyer.connectors.finishOAuth(ctx.space, manifest.id, {
      state: query.get('state') ?? '',
      ...(query.get('code') !== null ? { code: query.get('code')! } : {}),
      ...(query.get('error') !== null ? { error: query.get('error')! } : {}),
      params: Object.fromEntries(query),
    });
    io.out(`Connected to ${manifest.holder.name}.`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** A one-off loopback address the holder sends the browser back to (RFC 8252, native apps). */
async function loopback(): Promise<{ server: Server; redirectUri: string; answer: Promise<URLSearchParams> }> {
  let deliver!: (query: URLSearchParams) => void;
  const answer = new Promise<URLSearchParams>((resolve) => (deliver = resolve));
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Foyer received the answer. You can close this window and go back to the terminal.\n');
    deliver(url.searchParams);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, redirectUri: `http://127.0.0.1:${port}/callback`, answer };
}
