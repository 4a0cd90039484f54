import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCatalogDir, loadCatalog } from '../../core/catalog/load-catalog.js';
import { manualClock } from '../../platform/clock.js';
import { createHolderKit } from '../holder-kit.js';
import type { HolderKitDataset, HolderKitOptions } from '../holder-kit-options.js';
import { createMemoryHolderKitStore, type HolderKitStore } from '../holder-kit-store.js';
import { Hono } from 'hono';
import { serveHolder, type RunningHolder } from '../../holders/serve-holder.js';
import { createReferenceHolder } from '../reference-holder.js';
import { s256 } from '../secrets.js';
import { catalogValidator } from './catalog-validator.js';
import { runHolderKitConformance } from './run-conformance.js';

const servers: RunningHolder[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

let validate: (schemaId: string, data: unknown) => Promise<string[] | null>;
beforeAll(async () => {
  validate = catalogValidator(await loadCatalog(defaultCatalogDir(), { verify: false }));
});

type Fetch = (request: Request) => Promise<Response>;

/** A holder built with the Kit, optionally changed (its datasets, its store) or put behind a proxy. */
async function holder(
  change: { options?: (o: HolderKitOptions) => HolderKitOptions; proxy?: (kit: Fetch) => Fetch } = {},
) {
  const clock = manualClock(Date.UTC(2026, 2, 10, 12));
  const reference = createReferenceHolder({ clock });
  const kit = createHolderKit(change.options ? change.options(reference.options) : reference.options);
  const kitFetch: Fetch = async (request) => kit.fetch(request);
  const server = await serveHolder(new Hono().mount('/', change.proxy ? change.proxy(kitFetch) : kitFetch));
  servers.push(server);
  return server.url;
}

const run = (baseUrl: string) =>
  runHolderKitConformance({ baseUrl, username: 'alice', password: 'alice-password', validate });

async function failedChecks(baseUrl: string): Promise<string[]> {
  const report = await run(baseUrl);
  expect(report.passed).toBe(false);
  return report.checks.filter((c) => c.status === 'fail').map((c) => c.id);
}

const withDatasets = (wrap: (list: HolderKitDataset['list']) => HolderKitDataset['list']) => (o: HolderKitOptions) => ({
  ...o,
  datasets: o.datasets.map((d) => ({ ...d, list: wrap(d.list.bind(d)) })),
});

const withStore = (wrap: (store: HolderKitStore) => HolderKitStore) => (o: HolderKitOptions) => ({
  ...o,
  store: wrap(createMemoryHolderKitStore({ clock: o.clock })),
});

/** A proxy that rewrites requests on their way to the Kit. */
const rewriting =
  (rewrite: (url: URL, body: URLSearchParams | null) => void) =>
  (kit: Fetch): Fetch =>
  async (request) => {
    const url = new URL(request.url);
    const isForm = (request.headers.get('content-type') ?? '').startsWith('application/x-www-form-urlencoded');
    const body = isForm ? new URLSearchParams(await request.text()) : null;
    rewrite(url, body);
    return kit(
      new Request(url, {
        method: request.method,
        headers: request.headers,
        ...(body ? { body: body.toString() } : {}),
      }),
    );
  };

describe('Holder Kit conformance test', () => {
  it('passes every check against a holder built with the library', async () => {
    const report = await run(await holder());
    expect(report.checks.filter((c) => c.status !== 'pass')).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.kitVersion).toBe('1.0');
    // Every doctype of the reference holder was checked, schema included.
    expect(report.checks.map((c) => c.id)).toEqual(
      expect.arrayContaining(['data.water.daily.since', 'data.bill.schema', 'files.served', 'token.reused-code']),
    );
    expect(report.counts.pass).toBe(report.checks.length);
  });

  it('fails "since" on a holder whose datasets ignore since', async () => {
    const url = await holder({ options: withDatasets((list) => (c, q) => list(c, { ...q, since: undefined })) });
    expect(await failedChecks(url)).toEqual(['data.water.daily.since', 'data.bill.since']);
  });

  it('fails the walk and paging checks on a holder that repeats an item across pages', async () => {
    const url = await holder({
      options: withDatasets((list) => async (c, q) => {
        const page = await list(c, q);
        const before = page.items[page.items.length - 2];
        // The next page starts one item too early: its first item is this page's last.
        return page.next !== null && before ? { ...page, next: `${before.updatedAt}~${before.key}` } : page;
      }),
    });
    const failed = await failedChecks(url);
    expect(failed).toContain('data.water.daily.walk');
    expect(failed.every((id) => /^data\.(water\.daily|bill)\.(walk|paging)$/.test(id))).toBe(true);
  });

  it('fails "token.reused-code" on a holder that accepts a code twice', async () => {
    const url = await holder({
      options: withStore((store) => ({
        ...store,
        consume: (kind, id, at) => (kind === 'code' ? store.get(kind, id) : store.consume(kind, id, at)),
      })),
    });
    expect(await failedChecks(url)).toEqual(['token.reused-code']);
  });

  it('fails "token.refresh-rotated" on a holder that lets a refresh token be used again', async () => {
    const url = await holder({
      options: withStore((store) => ({
        ...store,
        consume: (kind, id, at) => (kind === 'refresh' ? store.get(kind, id) : store.consume(kind, id, at)),
      })),
    });
    expect(await failedChecks(url)).toEqual(['token.refresh-rotated']);
  });

  it('fails "token.wrong-verifier" on a holder that accepts any code_verifier', async () => {
    const known = 'k'.repeat(43);
    const url = await holder({
      proxy: rewriting((url, body) => {
        if (url.pathname === '/oauth/authorize' && url.searchParams.has('code_challenge')) {
          url.searchParams.set('code_challenge', s256(known));
        }
        if (url.pathname === '/oauth/token' && body?.has('code_verifier')) body.set('code_verifier', known);
      }),
    });
    expect(await failedChecks(url)).toEqual(['token.wrong-verifier']);
  });

  it('fails "authorize.pkce-required" on a holder where PKCE is optional', async () => {
    const known = 'k'.repeat(43);
    const url = await holder({
      proxy: rewriting((url, body) => {
        if (url.pathname === '/oauth/authorize' && !url.searchParams.has('code_challenge')) {
          url.searchParams.set('code_challenge', s256(known));
          url.searchParams.set('code_challenge_method', 'S256');
        }
        if (url.pathname === '/oauth/token' && body && !body.has('code_verifier')) body.set('code_verifier', known);
      }),
    });
    // Accepting a code exchange without code_verifier is the other half of optional PKCE.
    expect(await failedChecks(url)).toEqual(['authorize.pkce-required', 'token.missing-verifier']);
  });

  it('fails "limits" on a holder that clamps a limit above the maximum instead of refusing it', async () => {
    const url = await holder({
      proxy: rewriting((url) => {
        if (Number(url.searchParams.get('limit')) > 50) url.searchParams.set('limit', '50');
      }),
    });
    expect(await failedChecks(url)).toEqual(['data.water.daily.limits', 'data.bill.limits']);
  });

  it('fails "bad-cursor" on a holder that restarts from the first page on a cursor it does not know', async () => {
    const url = await holder({
      proxy: (kit) => async (request) => {
        const url = new URL(request.url);
        const cursor = url.searchParams.get('cursor');
        if (cursor !== null && !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/.test(cursor)) url.searchParams.delete('cursor');
        return kit(new Request(url, request));
      },
    });
    const failed = await failedChecks(url);
    expect(failed).toEqual(['data.water.daily.bad-cursor', 'data.bill.bad-cursor']);
  });

  it('fails the revocation checks on a holder whose store ignores revocation', async () => {
    const url = await holder({
      options: withStore((store) => ({ ...store, delete: async () => {}, revokeGrant: async () => {} })),
    });
    expect(await failedChecks(url)).toEqual(['revoke.access-token', 'revoke.refresh-token']);
  });

  it('fails "consent.page" when the consent page does not list a doctype asked for', async () => {
    const url = await holder({
      proxy: (kit) => async (request) => {
        const response = await kit(request);
        if (new URL(request.url).pathname !== '/oauth/consent' || request.method !== 'GET') return response;
        const html = (await response.text()).replace(/<dt>Bills[\s\S]*?<\/dd>/, '');
        return new Response(html, { status: response.status, headers: response.headers });
      },
    });
    expect(await failedChecks(url)).toEqual(['consent.page']);
  });

  it('stops after discovery, reporting the rest as not run, when there is no discovery document', async () => {
    const url = await holder({
      proxy: (kit) => async (request) =>
        new URL(request.url).pathname === '/.well-known/holder-kit'
          ? new Response('nope', { status: 404 })
          : kit(request),
    });
    const report = await run(url);
    expect(report.passed).toBe(false);
    expect(report.checks[0]).toMatchObject({ id: 'discovery.document', status: 'fail' });
    expect(report.checks[0]!.reason).toContain('404');
    expect(report.checks.slice(1).every((c) => c.status === 'skip')).toBe(true);
  });

  it('fails "login.page" and reports what depends on it as not run when the login form has no password field', async () => {
    const url = await holder({
      proxy: (kit) => async (request) => {
        const response = await kit(request);
        if (new URL(request.url).pathname !== '/oauth/authorize' || response.status !== 200) return response;
        const html = (await response.text()).replace('name="password"', 'name="secret"');
        return new Response(html, { status: response.status, headers: response.headers });
      },
    });
    const report = await run(url);
    const failed = report.checks.filter((c) => c.status === 'fail').map((c) => c.id);
    expect(failed[0]).toBe('login.page');
    expect(report.checks.find((c) => c.id === 'data.bill.walk')?.status).toBe('skip');
  });
});
