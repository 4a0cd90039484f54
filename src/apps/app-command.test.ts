import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../cli/cli-io.js';
import { main } from '../cli/main.js';
import { createFoyerClient } from '../sdk/client.js';
import { copyTutorialApp, TUTORIAL_DIR, type TutorialCopy } from './testing/app-fixtures.js';

describe('foyer app', () => {
  let dataDir: string;
  let copy: TutorialCopy;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'foyer-cli-app-'));
    copy = await copyTutorialApp();
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Runs the CLI with scripted answers; `stop` resolves the stop signal (for `app dev`). */
  async function run(argv: string[], answers: string[] = [], stop?: Promise<string>) {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      env: { FOYER_DATA_DIR: dataDir, FOYER_LOG_LEVEL: 'silent', FOYER_PORT: '0', FOYER_HOST: '127.0.0.1' },
      ask: async () => answers.shift() ?? '',
      readStdin: async () => '',
      stopSignal: () => stop ?? new Promise(() => {}),
    };
    const code = await main(argv, io, { appRegistryFile: copy.registryFile });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('lists, installs after showing the consent text, and uninstalls with the receipt', async () => {
    expect((await run(['app', 'list'])).out).toMatch(/big-spends\s+1\.0\.0\s+not installed/);
    const refused = await run(['app', 'install', 'big-spends'], ['n']);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('Large debit');
    expect(refused.out).toContain('Service flag runs at "0 7 * * *" (UTC), when bank.transaction changes.');
    expect((await run(['app', 'list'])).out).toMatch(/big-spends.*refused/);
    const installed = await run(['app', 'install', 'big-spends'], ['y']);
    expect(installed.code).toBe(0);
    expect(installed.out).toContain('Big spends is active.');
    expect((await run(['app', 'list'])).out).toMatch(/big-spends.*active \(1\.0\.0\)/);
    const removed = await run(['app', 'uninstall', 'big-spends']);
    expect(removed).toMatchObject({ code: 0, out: 'big-spends uninstalled; 0 items deleted.' });
    expect((await run(['app', 'uninstall', 'big-spends'])).code).toBe(1);
  });

  it('installs from a folder with --yes, and refuses bad usage and unknown apps', async () => {
    const r = await run(['app', 'install', TUTORIAL_DIR, '--yes']);
    expect(r.code).toBe(0);
    expect((await run(['app'])).code).toBe(2);
    expect((await run(['app', 'install'])).err).toContain('Use: foyer app');
    const unknown = await run(['app', 'install', 'nope', '--yes']);
    expect(unknown).toMatchObject({ code: 1, err: 'There is no app "nope".' });
  });

  it('dev serves the app against a throwaway space filled with the household, installed and consented', async () => {
    const lines: string[] = [];
    let stopNow: (signal: string) => void = () => undefined;
    const io: CliIo = {
      out: (t) => lines.push(t),
      err: (t) => lines.push(t),
      env: { FOYER_DATA_DIR: dataDir, FOYER_LOG_LEVEL: 'silent', FOYER_PORT: '0', FOYER_HOST: '127.0.0.1' },
      ask: () => Promise.reject(new Error('no prompt expected')),
      readStdin: async () => '',
      stopSignal: () => new Promise((resolve) => (stopNow = resolve)),
    };
    const running = main(['app', 'dev', copy.dir], io, { appRegistryFile: copy.registryFile });
    const found = (re: RegExp) => lines.map((l) => re.exec(l)).find((m) => m)?.[1];
    await expect
      .poll(() => found(/^Owner token for scripts: (\S+)/) ?? lines.find((l) => /Failed|error/i.test(l)), {
        timeout: 90_000,
      })
      .toMatch(/^foyer_pat_/);
    const url = found(/^Serving Big spends at (http:\/\/[^/]+)\/apps\/big-spends$/)!;
    const owner = createFoyerClient({ baseUrl: url, token: found(/^Owner token for scripts: (\S+)/)! });
    expect((await owner.documents('bank.transaction').find({ limit: 5 })).docs).toHaveLength(5);
    expect((await owner.series('energy.electricity.load-curve').read({ limit: 1 })).points).toHaveLength(1);
    expect((await fetch(`${url}/app-frame/big-spends`)).status).toBe(200);
    const run = await fetch(`${url}/api/apps/big-spends/services/flag/run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${found(/^Owner token for scripts: (\S+)/)!}` },
    });
    expect(((await run.json()) as { ok: boolean }).ok).toBe(true);
    expect((await owner.documents('app.big-spends.alert').find({ limit: 1 })).docs).toHaveLength(1);
    stopNow('SIGINT');
    expect(await running).toBe(0);
    await expect(fetch(`${url}/api/health`)).rejects.toThrow();
  }, 120_000);
});
