import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSpaceFile } from '../testing/space-file.js';
import { startTestFoyer } from '../testing/test-foyer.js';
import type { CliIo } from './cli-io.js';
import { main } from './main.js';

describe('foyer ledger verify', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'foyer-cli-ledger-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      env: { FOYER_DATA_DIR: dataDir, FOYER_LOG_LEVEL: 'silent', ...env },
      ask: () => Promise.reject(new Error('no prompt expected')),
      readStdin: async () => '',
      stopSignal: () => new Promise(() => {}),
    };
    const code = await main(argv, io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  /** A Foyer on the data folder whose owner wrote and read a few documents, then stopped. */
  async function history(): Promise<void> {
    const f = await startTestFoyer({ config: { dataDir } });
    await f.ownerToken();
    for (const id of ['a', 'b', 'c']) {
      const body = {
        date: '2026-03-09T08:00:00Z',
        label: id,
        amount: -1,
        currency: 'EUR',
        accountId: 'x',
        type: 'card',
      };
      expect((await f.request(`/api/data/bank.transaction/${id}`, { method: 'PUT', json: body })).status).toBe(201);
      expect((await f.request(`/api/data/bank.transaction/${id}`)).status).toBe(200);
    }
    // close() removes the data folder of a Foyer it made, not one it was given.
    await f.foyer.close();
  }

  const tamper = async (sql: string, ...params: number[]) => {
    const db = await openSpaceFile(dataDir, 'default');
    try {
      db.prepare(sql).run(...params);
    } finally {
      db.close();
    }
  };

  it('exits 0 and says how many entries it checked when the ledger is intact', async () => {
    await history();
    const r = await run(['ledger', 'verify']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^The ledger of space "default" is intact: (\d+) entries checked/);
    expect(Number(/intact: (\d+)/.exec(r.out)![1])).toBeGreaterThanOrEqual(6);
  });

  it('exits 1 and lists each problem with its entry when rows were edited or removed', async () => {
    await history();
    await tamper('UPDATE ledger SET count = 7 WHERE seq = ?', 3);
    await tamper('DELETE FROM ledger WHERE seq = ?', 5);
    const r = await run(['ledger', 'verify', '--space', 'default']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/NOT intact: 2 problems/);
    expect(r.out).toMatch(/^ {2}entry 3 {2}edited {2}/m);
    expect(r.out).toMatch(/^ {2}entry 5 {2}missing {2}/m);
  });

  it('exits 2 on a missing or unknown subcommand', async () => {
    for (const argv of [['ledger'], ['ledger', 'check'], ['ledger', 'verify', 'extra']]) {
      const r = await run(argv);
      expect(r.code).toBe(2);
      expect(r.err).toContain('foyer ledger verify');
    }
  });

  it('exits 1 naming a space that does not exist', async () => {
    await history();
    const r = await run(['ledger', 'verify', '--space', 'nobody']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('There is no space "nobody"');
  });

  it('asks for the space in hosted mode', async () => {
    const r = await run(['ledger', 'verify'], { FOYER_MODE: 'hosted' });
    expect(r.code).toBe(1);
    expect(r.err).toContain('--space');
  });
});
