/**
 * A simulated holder on the Holder Kit (insurer, telecom operator, gas distributor, water utility,
 * retailer), each its own HTTP server on 127.0.0.1: the household's data for its customers, who
 * log in with their login at that holder, behind the run's fault injection. `foyer holders` starts
 * them (docs/holder-kit.md for the API, docs/synthetic-household.md for the data).
 */
import { Hono } from 'hono';
import type { Catalog } from '../../core/catalog/catalog.js';
import { defaultCatalogDir, loadCatalog } from '../../core/catalog/load-catalog.js';
import { createHolderKit } from '../../holder-kit/holder-kit.js';
import type { HolderKitClient, HolderKitDataset } from '../../holder-kit/holder-kit-options.js';
import { bearerError, KitError } from '../../holder-kit/kit-error.js';
import { pageRecords } from '../../holder-kit/page-records.js';
import { DEFAULT_REDIRECT_URI } from '../../holder-kit/conformance/run-conformance.js';
import type { Clock } from '../../platform/clock.js';
import type { FaultConfig } from '../faults/fault-config.js';
import { faultInjection, faultMarks, pageSize, type FaultInjection } from '../faults/fault-injection.js';
import type { Household } from '../household/household.js';
import { serveHolder } from '../serve-holder.js';
import { createHouseholdItems } from './household-items.js';
import { kitHolderProfiles, type KitHolderId } from './kit-holder-profiles.js';

export interface KitHolderOptions {
  household: Household;
  clock: Clock;
  faults: FaultConfig;
  /** Default 0: an ephemeral port. */
  port?: number;
  /** Redirect URIs of a Foyer that is not on a loopback address (loopback ones are all accepted). */
  redirectUris?: string[];
  /** The catalog (schema versions, titles); loaded when not given. */
  catalog?: Catalog;
}

export interface KitHolder {
  holder: KitHolderId;
  url: string;
  /** The faults injected so far. */
  faults: FaultInjection;
  close(): Promise<void>;
}

const MAX_PAGE_SIZE = 1000;
const DEFAULT_PAGE_SIZE = 100;
/** Set by the fault wrapper, read by the Kit's second-factor rule; never taken from a client. */
const SECOND_FACTOR_HEADER = 'x-foyer-simulated-second-factor';

/** Any http address on this machine: a local Foyer, whatever its port and connector path. */
function isLoopback(uri: string): boolean {
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname) && url.hash === '';
  } catch {
    return false;
  }
}

export async function startKitHolder(holder: KitHolderId, options: KitHolderOptions): Promise<KitHolder> {
  const { household, clock } = options;
  const profile = kitHolderProfiles[holder];
  const catalog = options.catalog ?? (await loadCatalog(defaultCatalogDir(), { verify: false }));
  const client = household.customers.find((c) => c.holders.includes(holder));
  if (!client) throw new Error(`No customer of this household is a client of the ${holder}.`);
  const source = createHouseholdItems(household, holder);

  const datasets: HolderKitDataset[] = household.doctypes(client.id, holder).map((doctype) => {
    const entry = catalog.get(doctype);
    if (!entry) throw new Error(`The ${holder} serves ${doctype}, which the catalog does not hold.`);
    return {
      doctype,
      schemaVersion: entry.version,
      schemaId: String(entry.schema.$id),
      title: entry.title.en,
      ...(profile.descriptions[doctype] ? { description: profile.descriptions[doctype] } : {}),
      list: (customerId, query) => pageRecords(source.items(customerId, doctype, clock.now()), query),
    };
  });

  const foyer: HolderKitClient = {
    clientId: 'foyer',
    name: 'Foyer',
    purpose: 'Keep a copy of your data in your own Foyer space, where only you decide who uses it.',
    redirectUris: [DEFAULT_REDIRECT_URI, ...(options.redirectUris ?? [])],
    acceptsRedirectUri: isLoopback,
  };

  const loginOf = (customerId: string) => household.customer(customerId).logins[holder];
  const kit = createHolderKit({
    holder: { id: holder, name: profile.name, contact: `mailto:dpo@${holder}.invalid` },
    clock,
    clients: [foyer],
    datasets,
    authenticate: (username, password) =>
      household.customers.find((c) => {
        const login = c.logins[holder];
        return login !== undefined && login.username === username && login.password === password;
      })?.id ?? null,
    secondFactor: {
      required: (_customerId, request) => request.headers.get(SECOND_FACTOR_HEADER) === '1',
      verify: (customerId, code) => code !== '' && loginOf(customerId)?.otp === code,
    },
    files: {
      get(customerId, fileId) {
        const info = source.file(customerId, fileId, clock.now());
        if (!info) return undefined;
        return { ...info, content: household.file(customerId, holder, fileId) };
      },
    },
    paging: { maxPageSize: MAX_PAGE_SIZE, defaultPageSize: DEFAULT_PAGE_SIZE },
  });

  const faults = faultInjection(options.faults, {
    applies: {
      'second-factor': (c) => c.req.method === 'POST' && c.req.path === '/oauth/login',
      'short-page': (c) => c.req.path.startsWith('/v1/data/'),
    },
    respond: {
      'rate-limit': () => new KitError('rate_limited', 'Too many requests.').response(),
      'server-error': () => new KitError('server_error', 'The holder failed to answer; try again later.').response(),
      'expired-credentials': () => bearerError('invalid_token', 'The access token has expired.').response(),
    },
  });
  const app = new Hono();
  app.use('*', faults);
  // The two faults the holder acts out itself reach the Kit as a changed request.
  app.all('*', (c) => {
    const url = new URL(c.req.url);
    if (url.pathname.startsWith('/v1/data/')) {
      const asked = Number(url.searchParams.get('limit') ?? DEFAULT_PAGE_SIZE);
      if (Number.isInteger(asked) && pageSize(c, asked) < asked)
        url.searchParams.set('limit', String(pageSize(c, asked)));
    }
    const request = new Request(url, c.req.raw);
    request.headers.delete(SECOND_FACTOR_HEADER);
    if (faultMarks(c).secondFactor) request.headers.set(SECOND_FACTOR_HEADER, '1');
    return kit.fetch(request);
  });

  const server = await serveHolder(app, options.port ?? 0);
  return { holder, url: server.url, faults, close: server.close };
}
