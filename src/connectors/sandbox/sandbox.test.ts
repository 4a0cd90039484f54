/**
 * The sandbox holds: connectors that reach for the network, files, sockets, unbounded memory or
 * time are stopped with the documented code, and whatever they had written before is not kept.
 * Real Foyer (SQLite), real worker threads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonBody } from '../../testing/json-body.js';
import type { RunRecord } from '../connector-records.js';
import { startConnectorHarness, type ConnectorHarness } from '../testing/connector-harness.js';
import { HOLDER_OTP } from '../testing/test-holder.js';
import { createConnectorBundler } from './bundle.js';
import { runInSandbox, type SandboxHandlers } from './sandbox.js';
import { fileURLToPath } from 'node:url';

describe('connector sandbox', () => {
  let h: ConnectorHarness;
  beforeAll(async () => {
    h = await startConnectorHarness();
    for (const id of [
      'bad-global-fetch',
      'bad-socket',
      'bad-static-import',
      'bad-memory',
      'bad-forever',
      'bad-crash',
      'test-quick',
    ]) {
      await h.install(id);
    }
    await h.install('bad-doors', { credentials: { door: 'none' } });
  });
  afterAll(() => h.close());

  const expectStopped = async (id: string, code: string, detail: string | RegExp): Promise<RunRecord> => {
    const run = await h.run(id);
    expect(run, id).toMatchObject({ outcome: 'failed', counts: {}, error: { code } });
    expect(run.error!.detail, id).toMatch(detail);
    expect(await h.documents('bill'), id).toEqual([]);
    return run;
  };

  it('stops a connector calling the global fetch, and keeps none of what it wrote before', async () => {
    await expectStopped('bad-global-fetch', 'not_allowed', 'Not allowed in a connector: global fetch');
  });

  it('shuts every other door, even when the connector swallows the refusal', async () => {
    const doors: [string, string][] = [
      ['import-fs', 'import node:fs'],
      ['import-file-url', 'import file:///etc/hostname'],
      ['import-child-process', 'import child_process'],
      ['process-binding', 'process.binding'],
      ['builtin-module', 'process.getBuiltinModule'],
      ['global-fetch', 'global fetch'],
      ['broadcast-channel', 'global BroadcastChannel'],
    ];
    for (const [door, what] of doors) {
      await h.f.request('/api/connectors/bad-doors/credentials', { method: 'POST', json: { values: { door } } });
      await expectStopped('bad-doors', 'not_allowed', what);
    }
    // The same connector with no door to try runs well, and finds no environment.
    await h.f.request('/api/connectors/bad-doors/credentials', { method: 'POST', json: { values: { door: 'env' } } });
    expect(await h.run('bad-doors')).toMatchObject({ outcome: 'succeeded' });
    expect((await h.documents('bill')).map((b) => b.label)).toEqual(['[]']);
    for (const bill of await h.documents('bill')) {
      await h.f.request(`/api/data/bill/${bill._id}?rev=${bill._rev}`, { method: 'DELETE' });
    }
  });

  it('stops a connector opening a socket to a host it did not declare', async () => {
    const before = h.holder.requests.length;
    await expectStopped('bad-socket', 'not_allowed', 'import node:net');
    expect(h.holder.requests.length).toBe(before);
  });

  it('refuses a connector importing a Node built-in before it runs', async () => {
    await expectStopped('bad-static-import', 'not_allowed', 'The connector imports node:fs');
  });

  it('stops a connector at its memory limit', async () => {
    await expectStopped('bad-memory', 'memory_limit', 'memory limit of 32 MB');
  });

  it('stops a connector looping forever at its time limit', async () => {
    const started = performance.now();
    await expectStopped('bad-forever', 'time_limit', 'after 1 s');
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('ends a connector that throws a plain error as internal', async () => {
    await expectStopped('bad-crash', 'internal', /SyntaxError/);
  });

  it('does not count the wait for a second factor against the time limit', async () => {
    h.holder.mode = 'second-factor';
    try {
      const running = h.run('test-quick');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await h.f.request('/api/connectors/test-quick/second-factor', { method: 'POST', json: { answer: HOLDER_OTP } });
      expect(await running).toMatchObject({ outcome: 'succeeded' });
    } finally {
      h.holder.mode = 'ok';
    }
  });

  it('cancels a run when asked (Foyer closing, uninstall), writing nothing', async () => {
    h.holder.mode = 'second-factor';
    try {
      const controller = new AbortController();
      const running = h.f.foyer.connectors.runConnector(
        { space: 'default', principal: { kind: 'system', reason: 'test' } },
        'test-quick',
        { signal: controller.signal, backfill: true },
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      controller.abort();
      expect(await running).toMatchObject({ outcome: 'failed', error: { code: 'cancelled', retry: 'next' } });
      const runs = (await jsonBody(await h.f.request('/api/connectors/test-quick/runs?limit=1'))).runs;
      expect(runs[0].error.code).toBe('cancelled');
    } finally {
      h.holder.mode = 'ok';
    }
  });
});

describe('runInSandbox', () => {
  const entry = (file: string) => fileURLToPath(new URL(`../testing/misbehaving/${file}.js`, import.meta.url));
  const handlers = (calls: string[]): SandboxHandlers => ({
    async call(op) {
      calls.push(op);
      return null;
    },
    cursor: () => undefined,
    progress: () => undefined,
    log: () => undefined,
    violation: (what) => calls.push(`violation ${what}`),
  });

  it('reports the violation through its handler and terminates the worker', async () => {
    const calls: string[] = [];
    const code = await createConnectorBundler()(entry('global-fetch'));
    await expect(
      runInSandbox({
        code,
        init: { startedAt: 0, backfill: false, api: 'http://holder.test', cursor: null },
        limits: { timeMs: 5000, memoryMb: 32 },
        handlers: handlers(calls),
      }),
    ).rejects.toMatchObject({ code: 'not_allowed' });
    expect(calls).toEqual(['upsert', 'violation global fetch']);
  });

  it('refuses a module without run(ctx)', async () => {
    await expect(
      runInSandbox({
        code: 'export const nothing = 1;',
        init: { startedAt: 0, backfill: false, api: 'http://holder.test', cursor: null },
        limits: { timeMs: 5000, memoryMb: 32 },
        handlers: handlers([]),
      }),
    ).rejects.toMatchObject({ code: 'internal', message: expect.stringContaining('exports no run(ctx)') });
  });

  it('fails on a malformed message from the worker', async () => {
    await expect(
      runInSandbox({
        code: 'export async function run(ctx) { ctx.cursor.set("x".repeat(70000)); }',
        init: { startedAt: 0, backfill: false, api: 'http://holder.test', cursor: null },
        limits: { timeMs: 5000, memoryMb: 32 },
        handlers: handlers([]),
      }),
    ).rejects.toMatchObject({ code: 'internal', message: expect.stringContaining('malformed message') });
  });
});
