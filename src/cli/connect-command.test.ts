import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testConnectors } from '../connectors/testing/test-connectors.js';
import { HOLDER_LOGIN, HOLDER_OTP, startTestHolder, type TestHolder } from '../connectors/testing/test-holder.js';
import type { CliIo } from './cli-io.js';
import { main } from './main.js';

describe('foyer connect and foyer sync', () => {
  let dataDir: string;
  let holder: TestHolder;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'foyer-cli-connect-'));
    holder = await startTestHolder();
  });
  afterAll(async () => {
    await holder.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    holder.mode = 'ok';
  });

  async function cli(
    argv: string[],
    answers: string[] = [],
    options: { tty?: boolean; onOut?: (line: string) => void } = {},
  ) {
    const out: string[] = [];
    const err: string[] = [];
    const progress: string[] = [];
    const asked: [string, boolean][] = [];
    const io: CliIo = {
      out: (t) => {
        out.push(t);
        options.onOut?.(t);
      },
      err: (t) => err.push(t),
      progress: (t) => progress.push(t),
      tty: options.tty ?? false,
      env: { FOYER_DATA_DIR: dataDir, FOYER_LOG_LEVEL: 'silent' },
      async ask(prompt, secret) {
        asked.push([prompt, secret]);
        const answer = answers.shift();
        if (answer === undefined) throw new Error(`unexpected prompt: ${prompt}`);
        return answer;
      },
      readStdin: async () => '',
      stopSignal: () => new Promise(() => {}),
    };
    const code = await main(argv, io, { connectors: testConnectors() });
    return { code, out: out.join('\n'), err: err.join('\n'), progress, asked };
  }

  it('connects a holder: consent, login (the password asked hidden), first run; then syncs with nothing new', async () => {
    const connect = await cli(
      ['connect', 'test-login', '--origin', holder.url],
      ['y', HOLDER_LOGIN.username, HOLDER_LOGIN.password],
    );
    expect(connect.err).toMatch(/test-login: 2\/3 bills/);
    expect(connect.code).toBe(0);
    expect(connect.asked).toEqual([
      ['Accept? [y/N] ', false],
      ['Email: ', false],
      ['Password: ', true],
    ]);
    expect(connect.out).toContain('The connector “Test test-login” (Test Holder) asks for access to your data.');
    expect(connect.out).toMatch(
      /test-login: done in [\d.]+ s: bill 3 new, 0 updated, 0 same; energy\.electricity\.daily 2 new/,
    );
    expect(connect.out).not.toContain(HOLDER_LOGIN.password);

    const sync = await cli(['sync'], [], { tty: true });
    expect(sync.code).toBe(0);
    expect(sync.out).toMatch(/test-login: done in [\d.]+ s, nothing new\./);

    holder.bills.push({ seq: 10, number: 'F-010', issued: '2024-05-05', amount: 70 });
    const bars = await cli(['sync', 'test-login', '--backfill'], [], { tty: true });
    expect(bars.progress.some((p) => /^\[#+\.*\] +\d+% test-login: \d\/\d bills$/.test(p))).toBe(true);
    expect(bars.progress.at(-1)).toBe('');
    expect(bars.out).toMatch(/bill 1 new, 0 updated, 3 same/);
  });

  it('asks the second factor at the terminal during a sync', async () => {
    holder.mode = 'second-factor';
    const sync = await cli(['sync', 'test-login'], [HOLDER_OTP]);
    expect(sync.asked).toEqual([['Enter the code the holder sent you by SMS. ', false]]);
    expect(sync.code).toBe(0);
  });

  it('reports a failed run with its actionable message and exit code 1', async () => {
    holder.mode = 'down';
    const sync = await cli(['sync']);
    expect(sync.code).toBe(1);
    expect(sync.out).toContain('test-login: failed (holder_unavailable)');
    expect(sync.out).toContain('Foyer will try again later');
  });

  it('connects an OAuth holder through a loopback address, never asking a password', async () => {
    const connect = await cli(['connect', 'test-oauth', '--origin', holder.url, '--yes'], [], {
      onOut(line) {
        if (!line.startsWith(`${holder.url}/oauth/authorize`)) return;
        // The person's browser: to the holder, and back to the command's loopback address.
        void fetch(line, { redirect: 'manual' }).then((res) => fetch(res.headers.get('location')!));
      },
    });
    expect(connect.asked).toEqual([]);
    expect(connect.out).toContain('Connected to Test Holder.');
    expect(connect.code).toBe(0);
  });

  it('stops when consent is refused, and refuses bad use', async () => {
    const refused = await cli(['connect', 'test-quick', '--origin', holder.url], ['n']);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('Not connected: you did not accept.');
    expect((await cli(['sync', 'test-quick'])).code).toBe(1);
    const unknown = await cli(['connect', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('Connectors: bad-crash');
    expect((await cli(['connect'])).code).toBe(2);
    expect((await cli(['sync', 'a', 'b'])).code).toBe(2);
    const moved = await cli(['connect', 'test-login', '--origin', 'http://127.0.0.1:1']);
    expect(moved.code).toBe(1);
    expect(moved.err).toContain('uninstall it to change that');
  });
});
