import { describe, expect, it } from 'vitest';
import { runInSandbox, type HostFunctions } from './quickjs-sandbox.js';

const limits = { timeoutMs: 1000, memoryBytes: 16 * 1024 * 1024 };
/** A service whose default export runs `body`. */
const service = (body: string) => `globalThis.__service = { default: async function run() { ${body} } };`;
const run = (body: string, host: HostFunctions = {}, over: Partial<typeof limits> = {}) =>
  runInSandbox({ code: service(body), host, trigger: { kind: 'manual' }, limits: { ...limits, ...over } });

describe('QuickJS sandbox for app services', () => {
  it('runs a service that calls host functions and logs', async () => {
    const calls: unknown[][] = [];
    const host: HostFunctions = {
      query: async (...args) => {
        calls.push(args);
        return [{ _id: 'a', amount: -120 }];
      },
    };
    const r = await run(
      `const docs = await foyer.query('bank.transaction', { limit: 1 }); foyer.log('got', docs.length, docs[0]); foyer.log(foyer.trigger.kind);`,
      host,
    );
    expect(r).toMatchObject({ ok: true, logs: ['got 1 {"_id":"a","amount":-120}', 'manual'] });
    expect(calls).toEqual([['bank.transaction', { limit: 1 }]]);
  });

  it('has no require, process, fetch, XMLHttpRequest, timers or the host bridge', async () => {
    const r = await run(
      `foyer.log([typeof require, typeof process, typeof fetch, typeof XMLHttpRequest, typeof setTimeout, typeof __host, typeof __log, typeof WebAssembly].join(','));`,
    );
    expect(r.logs).toEqual(['undefined,undefined,undefined,undefined,undefined,undefined,undefined,undefined']);
  });

  it('fails a service that tries to reach the network or Node', async () => {
    expect((await run(`await fetch('https://example.org');`)).error).toMatch(/ReferenceError: .*fetch/);
    expect((await run(`require('node:fs').readFileSync('/etc/passwd');`)).error).toMatch(/ReferenceError: .*require/);
    expect((await run(`process.exit(1);`)).error).toMatch(/ReferenceError: .*process/);
    expect((await run(`return import('node:fs');`)).ok).toBe(false);
  });

  it('interrupts an infinite loop at the deadline', async () => {
    const r = await run(`for (;;) {}`, {}, { timeoutMs: 200 });
    expect(r).toMatchObject({ ok: false, error: 'timeout' });
    expect(r.durationMs).toBeLessThan(2000);
  });

  it('abandons a run that waits forever on a host call past the deadline', async () => {
    const r = await run(`await foyer.wait();`, { wait: () => new Promise(() => undefined) }, { timeoutMs: 200 });
    expect(r).toMatchObject({ ok: false, error: 'timeout' });
  });

  it('stops a memory bomb at the memory limit', async () => {
    const r = await run(`const a = []; let i = 0; for (;;) a.push(i++);`, {}, { timeoutMs: 10_000 });
    expect(r).toMatchObject({ ok: false, error: 'memory' });
    // The next run gets a sound sandbox of its own.
    expect((await run(`foyer.log('fine');`)).logs).toEqual(['fine']);
  });

  it('gives the host errors to the service as exceptions with their code', async () => {
    const host: HostFunctions = {
      create: async () => {
        throw Object.assign(new Error('Grant g does not allow create on bill.'), { code: 'scope_denied' });
      },
    };
    const r = await run(
      `try { await foyer.create('bill', {}); } catch (e) { foyer.log(e.name, e.message); throw e; }`,
      host,
    );
    expect(r.logs).toEqual(['scope_denied Grant g does not allow create on bill.']);
    expect(r.error).toBe('scope_denied: Grant g does not allow create on bill.');
  });

  it('refuses code without a default export', async () => {
    const r = await runInSandbox({ code: 'globalThis.__service = {};', host: {}, trigger: {}, limits });
    expect(r.error).toContain('no default export');
  });
});
