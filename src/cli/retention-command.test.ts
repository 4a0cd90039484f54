import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestFoyer } from '../testing/test-foyer.js';
import type { CliIo } from './cli-io.js';
import { main } from './main.js';

const tx = (date: string) => ({ date, label: 'CB', amount: -1, currency: 'EUR', accountId: 'x' });

describe('foyer retention run', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'foyer-cli-retention-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  async function run(argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      env: { FOYER_DATA_DIR: dataDir, FOYER_LOG_LEVEL: 'silent' },
      ask: () => Promise.reject(new Error('no prompt expected')),
      readStdin: async () => '',
      stopSignal: () => new Promise(() => {}),
    };
    const code = await main(argv, io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  /** Status of each transaction, read by a Foyer on the data folder (writing them first if given). */
  async function transactions(write: Record<string, string> = {}): Promise<Record<string, number>> {
    const f = await startTestFoyer({ config: { dataDir } });
    try {
      await f.ownerToken();
      for (const [id, date] of Object.entries(write)) {
        const res = await f.request(`/api/data/bank.transaction/${id}`, { method: 'PUT', json: tx(date) });
        expect(res.status).toBe(201);
      }
      const status: Record<string, number> = {};
      for (const id of ['old', 'fresh']) status[id] = (await f.request(`/api/data/bank.transaction/${id}`)).status;
      return status;
    } finally {
      // close() removes the data folder of a Foyer it made, not one it was given.
      await f.foyer.close();
    }
  }

  it('deletes now what has expired in every space, and says what', async () => {
    const fresh = new Date(Date.now() - 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    expect(await transactions({ old: '2010-01-05T10:00:00Z', fresh })).toEqual({ old: 200, fresh: 200 });
    const r = await run(['retention', 'run']);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/^Space "default": 1 deleted \(run at \d{4}-/);
    expect(r.out).toMatch(/^ {2}bank\.transaction: 1 documents dated before \S+ \(date; P10Y, default\)$/m);
    expect(await transactions()).toEqual({ old: 404, fresh: 200 });
    const again = await run(['retention', 'run', '--space', 'default']);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/^Space "default": 0 deleted/);
  });

  it('exits 1 naming a space that does not exist', async () => {
    const r = await run(['retention', 'run', '--space', 'nowhere']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/nowhere/);
  });

  it('exits 2 with its usage on anything but run', async () => {
    for (const argv of [['retention'], ['retention', 'purge'], ['retention', 'run', 'extra']]) {
      const r = await run(argv);
      expect(r.code).toBe(2);
      expect(r.err).toBe('Use: foyer retention run [--space ID]');
    }
    expect((await run(['--help'])).out).toContain('retention run [--space ID]');
  });
});
