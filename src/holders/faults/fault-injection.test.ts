import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { parseFaultSpecs } from './fault-config.js';
import { abortableSleep, faultInjection, faultMarks, pageSize, type FaultOptions } from './fault-injection.js';

const items = Array.from({ length: 10 }, (_, i) => ({
  id: i,
  day: '2024-03-01',
  amount: 12.5,
  at: '2024-03-01T08:30:00Z',
}));

function holder(specs: string[], options: FaultOptions = {}, seed = 'test') {
  const faults = faultInjection(parseFaultSpecs(specs, seed), options);
  const app = new Hono();
  app.use('*', faults);
  app.get('/v1/items', (c) => c.json({ items: items.slice(0, pageSize(c, Number(c.req.query('limit') ?? 5))) }));
  app.post('/login', (c) => (faultMarks(c).secondFactor ? c.html('<form>code</form>', 200) : c.redirect('/done')));
  app.get('/page', (c) => c.html('<p>hello</p>'));
  return { app, faults };
}

const statuses = async (app: Hono, n: number, init?: RequestInit): Promise<number[]> => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await app.request('/v1/items', init)).status);
  return out;
};

describe('fault injection', () => {
  it('passes requests through when no fault is configured', async () => {
    const { app, faults } = holder([]);
    const res = await app.request('/v1/items');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-foyer-fault')).toBeNull();
    expect(((await res.json()) as { items: unknown[] }).items).toHaveLength(5);
    expect(faults.events).toEqual([]);
  });

  it('answers 500 on every N-th request', async () => {
    const { app, faults } = holder(['server-error=every:3']);
    expect(await statuses(app, 6)).toEqual([200, 200, 500, 200, 200, 500]);
    expect(faults.events.map((e) => e.n)).toEqual([3, 6]);
  });

  it('answers 429 with Retry-After, at most `times` times', async () => {
    const { app } = holder(['rate-limit=always,retry-after=12,times=2']);
    const first = await app.request('/v1/items');
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('12');
    expect(first.headers.get('x-foyer-fault')).toBe('rate-limit');
    expect(await statuses(app, 2)).toEqual([429, 200]);
  });

  it('uses the holder’s own error body when it gives one', async () => {
    const { app } = holder(['server-error=always'], {
      respond: { 'server-error': (c) => c.json({ tppMessages: [{ code: 'INTERNAL' }] }, 500) },
    });
    const res = await app.request('/v1/items');
    expect(await res.json()).toEqual({ tppMessages: [{ code: 'INTERNAL' }] });
  });

  it('draws probabilistic faults from the seed: same seed, same requests hit', async () => {
    const run = async (seed: string) => statuses(holder(['server-error=0.3'], {}, seed).app, 40);
    const a = await run('run-1');
    expect(await run('run-1')).toEqual(a);
    expect(a.filter((s) => s === 500).length).toBeGreaterThan(3);
    expect(a.filter((s) => s === 500).length).toBeLessThan(25);
    expect(await run('run-2')).not.toEqual(a);
  });

  it('limits a fault to the paths given', async () => {
    const { app } = holder(['server-error=always,paths=/page']);
    expect((await app.request('/v1/items')).status).toBe(200);
    expect((await app.request('/page')).status).toBe(500);
  });

  it('delays responses by the configured latency', async () => {
    const waits: number[] = [];
    const { app } = holder(['latency=always,ms=200-800'], {
      sleep: async (ms) => void waits.push(ms),
    });
    expect(await statuses(app, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(waits).toHaveLength(5);
    for (const ms of waits) expect(ms >= 200 && ms <= 800).toBe(true);
  });

  it('waits for real when no sleep is injected', async () => {
    const { app } = holder(['latency=always,ms=120']);
    const start = Date.now();
    expect((await app.request('/v1/items')).status).toBe(200);
    expect(Date.now() - start).toBeGreaterThanOrEqual(110);
  });

  it('expires credentials for good: the same token keeps failing, a new one works', async () => {
    const { app } = holder(['expired-credentials=every:2']);
    const withToken = (t: string) => ({ headers: { authorization: `Bearer ${t}` } });
    expect((await app.request('/v1/items', withToken('a'))).status).toBe(200);
    const expired = await app.request('/v1/items', withToken('a'));
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('invalid_token');
    expect((await app.request('/v1/items', withToken('a'))).status).toBe(401);
    expect((await app.request('/v1/items', withToken('b'))).status).toBe(200);
    // Requests without credentials are not eligible.
    expect((await app.request('/v1/items')).status).toBe(200);
  });

  it('marks the login so the holder asks for a second factor', async () => {
    const { app } = holder(['second-factor=always,times=1'], {
      applies: { 'second-factor': (c) => c.req.path === '/login' },
    });
    expect((await app.request('/v1/items')).status).toBe(200);
    const first = await app.request('/login', { method: 'POST' });
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('code');
    expect(first.headers.get('x-foyer-fault')).toBe('second-factor');
    expect((await app.request('/login', { method: 'POST' })).status).toBe(302);
  });

  it('shortens pages through pageSize', async () => {
    const { app } = holder(['short-page=always,size=2']);
    const res = await app.request('/v1/items?limit=5');
    expect(((await res.json()) as { items: unknown[] }).items).toHaveLength(2);
    expect(res.headers.get('x-foyer-fault')).toBe('short-page');
  });

  it('breaks JSON bodies and leaves other bodies alone', async () => {
    const { app } = holder(['malformed-json=always']);
    const res = await app.request('/v1/items');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.headers.get('x-foyer-fault')).toBe('malformed-json');
    await expect(res.clone().json()).rejects.toThrow();
    expect((await res.text()).startsWith('{"items":[')).toBe(true);
    expect(await (await app.request('/page')).text()).toBe('<p>hello</p>');
  });

  it('changes the format of dates and numbers', async () => {
    const { app } = holder(['changed-format=always']);
    const body = (await (await app.request('/v1/items')).json()) as { items: Record<string, unknown>[] };
    expect(body.items[0]).toEqual({ id: '0', day: '01/03/2024', amount: '12,5', at: '01/03/2024 08h30' });
  });
});

describe('timeouts on a real server', () => {
  const servers: ServerType[] = [];
  afterAll(async () => {
    for (const server of servers) {
      if ('closeAllConnections' in server) server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  const start = (specs: string[], options: FaultOptions = {}): Promise<string> => {
    const { app } = holder(specs, options);
    return new Promise((resolve) => {
      const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) =>
        resolve(`http://127.0.0.1:${info.port}`),
      );
      servers.push(server);
    });
  };

  it('hangs, then gives up with 504', async () => {
    const base = await start(['timeout=every:2,ms=300']);
    expect((await fetch(`${base}/v1/items`)).status).toBe(200);
    const t0 = Date.now();
    const hung = await fetch(`${base}/v1/items`);
    expect(hung.status).toBe(504);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    expect((await fetch(`${base}/v1/items`)).status).toBe(200);
  });

  it('releases a hung request as soon as its client gives up', async () => {
    let released: number | undefined;
    const base = await start(['timeout=always,ms=60000'], {
      sleep: async (ms, signal) => {
        await abortableSleep(ms, signal);
        released = Date.now();
      },
    });
    const t0 = Date.now();
    await expect(fetch(`${base}/v1/items`, { signal: AbortSignal.timeout(150) })).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 300));
    expect(released).toBeDefined();
    expect((released as number) - t0).toBeLessThan(2000);
  });
});
