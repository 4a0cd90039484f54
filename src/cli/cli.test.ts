import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readlink, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultCatalogDir, loadCatalog } from '../core/catalog/load-catalog.js';
import { packageRoot, packageVersion } from '../platform/package-root.js';
import { startTestFoyer, type TestFoyer } from '../testing/test-foyer.js';
import type { CliIo } from './cli-io.js';
import { main } from './main.js';

const PASSPHRASE = 'a passphrase typed at the terminal';

/** Files under `dir` this process holds open (Linux: through /proc). */
async function openFilesUnder(dir: string): Promise<string[]> {
  const fds = await readdir('/proc/self/fd');
  const targets = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  return targets.filter((t) => t.startsWith(dir + path.sep));
}

/** A terminal the test scripts: typed answers, piped stdin, captured output, a stop signal on demand. */
function scriptedIo(env: NodeJS.ProcessEnv, input: { answers?: string[]; stdin?: string } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const prompts: string[] = [];
  const answers = [...(input.answers ?? [])];
  const waiters: (() => void)[] = [];
  let stop: (signal: string) => void = () => {};
  const stopped = new Promise<string>((resolve) => (stop = resolve));
  const io: CliIo = {
    out: (text) => {
      out.push(text);
      for (const w of waiters.splice(0)) w();
    },
    err: (text) => err.push(text),
    env,
    async ask(prompt) {
      prompts.push(prompt);
      const answer = answers.shift();
      if (answer === undefined) throw new Error(`Unexpected prompt: ${prompt}`);
      return answer;
    },
    readStdin: async () => input.stdin ?? '',
    stopSignal: () => stopped,
  };
  /** Resolves with the first output line matching `re`, waiting for it if need be. */
  async function line(re: RegExp): Promise<RegExpExecArray> {
    for (;;) {
      for (const l of out) {
        const m = re.exec(l);
        if (m) return m;
      }
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  }
  return { io, out, err, prompts, stop, line };
}

describe('foyer CLI', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let servers: TestFoyer[];
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'foyer-cli-'));
    env = { FOYER_DATA_DIR: dataDir, FOYER_LOG_LEVEL: 'silent' };
    servers = [];
  });
  afterEach(async () => {
    for (const s of servers) await s.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function run(argv: string[], input?: { answers?: string[]; stdin?: string; env?: NodeJS.ProcessEnv }) {
    const s = scriptedIo({ ...env, ...input?.env }, input);
    const code = await main(argv, s.io);
    return { code, out: s.out.join('\n'), err: s.err.join('\n'), prompts: s.prompts };
  }

  /** A server on the CLI's data folder, as `foyer serve` would run it. */
  async function serveDataDir(extraEnv: Record<string, string> = {}): Promise<TestFoyer> {
    const f = await startTestFoyer({ env: extraEnv, config: { dataDir } });
    servers.push(f);
    return f;
  }

  describe('usage', () => {
    it('prints the usage with --help and exits 0', async () => {
      const r = await run(['--help']);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^foyer <command>/);
      for (const command of ['serve', 'init', 'doctypes', 'token create', 'space create'])
        expect(r.out).toContain(command);
      expect(r.out).toContain('FOYER_DATA_DIR');
    });

    it('prints the package version with --version', async () => {
      const r = await run(['--version']);
      expect(r).toMatchObject({ code: 0, out: packageVersion() });
      expect(r.out).toMatch(/^\d+\.\d+\.\d+/);
    });

    it('prints the usage and exits 2 without a command', async () => {
      const r = await run([]);
      expect(r.code).toBe(2);
      expect(r.out).toMatch(/^foyer <command>/);
    });

    it('exits 2 on an unknown command, naming it', async () => {
      const r = await run(['frobnicate']);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/Unknown command "frobnicate"/);
    });

    it('exits 2 on an unknown flag, naming it', async () => {
      const r = await run(['serve', '--colour', 'blue']);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/--colour/);
    });

    it.each([
      [['serve', '--port', 'eighty'], /--port/],
      [['serve', '--port', '70000'], /--port/],
      [['serve', '--mode', 'cloud'], /--mode/],
      [['serve', '--log-level', 'loud'], /--log-level/],
      [['serve', '--database-url', 'mysql://x'], /--database-url/],
    ])('exits 2 on a bad flag value, naming the flag: %j', async (argv, flag) => {
      const r = await run(argv);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(flag);
      expect(r.err).toMatch(/Invalid configuration/);
    });
  });

  describe('doctypes', () => {
    it('lists every doctype of the catalog, one a line', async () => {
      const r = await run(['doctypes']);
      expect(r.code).toBe(0);
      const lines = r.out.split('\n');
      const catalog = await loadCatalog(defaultCatalogDir(), { verify: false });
      expect(lines).toHaveLength(catalog.list().length);
      expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(
        expect.arrayContaining(['bank.transaction', 'energy.electricity.load-curve']),
      );
      expect(lines.find((l) => l.startsWith('bank.transaction'))).toMatch(/^bank\.transaction\s+v1\s+document\s/);
    });

    it("prints one doctype's JSON Schema", async () => {
      const r = await run(['doctypes', 'bank.transaction']);
      expect(r.code).toBe(0);
      const schema = JSON.parse(r.out) as { $id: string; properties: Record<string, unknown> };
      expect(schema.$id).toBe('urn:foyer:doctype:bank.transaction:1');
      expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['amount', 'currency', 'date']));
    });

    it('exits 1 for an unknown doctype, pointing to the list', async () => {
      const r = await run(['doctypes', 'bank.nothing']);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/no doctype named "bank.nothing".*foyer doctypes/);
    });
  });

  describe('init', () => {
    it('sets the passphrase from stdin, then refuses to set it again', async () => {
      const first = await run(['init', '--passphrase-stdin'], { stdin: `${PASSPHRASE}\n` });
      expect(first.code).toBe(0);
      expect(first.out).toMatch(/Passphrase set for space "default"/);

      const again = await run(['init', '--passphrase-stdin'], { stdin: 'another good passphrase\n' });
      expect(again.code).toBe(1);
      expect(again.err).toMatch(/already has a passphrase/);

      // The trailing newline was not part of it, and the second one changed nothing.
      const f = await serveDataDir();
      const login = (passphrase: string) =>
        f.request('/api/auth/login', { method: 'POST', json: { passphrase }, token: null });
      expect((await login(PASSPHRASE)).status).toBe(200);
      expect((await login('another good passphrase')).status).toBe(401);
    });

    it('asks twice at the terminal, and changes nothing when the answers differ', async () => {
      const differ = await run(['init'], { answers: [PASSPHRASE, `${PASSPHRASE}!`] });
      expect(differ.code).toBe(1);
      expect(differ.err).toMatch(/differ; nothing was changed/);
      expect(differ.prompts).toHaveLength(2);

      const same = await run(['init'], { answers: [PASSPHRASE, PASSPHRASE] });
      expect(same.code).toBe(0);
    });

    it('refuses a weak passphrase, naming the rule', async () => {
      const r = await run(['init', '--passphrase-stdin'], { stdin: 'short\n' });
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/at least 12 characters/);
      expect((await run(['init', '--passphrase-stdin'], { stdin: `${PASSPHRASE}\n` })).code).toBe(0);
    });
  });

  describe('tokens', () => {
    it('creates a token that works against a server on the same data folder', async () => {
      const r = await run(['token', 'create', '--label', 'x']);
      expect(r.code).toBe(0);
      // Only the secret on stdout, so `TOKEN=$(foyer token create ...)` works; the rest on stderr.
      expect(r.out).toMatch(/^foyer_pat_[A-Za-z0-9_-]{43}$/);
      expect(r.err).toMatch(/Token "x" \([0-9a-f]{12}\) created.*shown once/);

      const f = await serveDataDir();
      const res = await f.request('/api/tokens', { token: r.out });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { tokens: { label: string }[] }).tokens.map((t) => t.label)).toEqual(['x']);
    });

    it('lists tokens without their secrets, and revokes one while the server runs', async () => {
      const created = await run(['token', 'create', '--label', 'nightly import', '--expires', '2099-01-01T00:00:00Z']);
      const tokenId = /\(([0-9a-f]{12})\)/.exec(created.err)![1]!;
      const f = await serveDataDir();
      expect((await f.request('/api/tokens', { token: created.out })).status).toBe(200);

      const list = await run(['token', 'list']);
      expect(list.code).toBe(0);
      expect(list.out).toMatch(
        new RegExp(`^${tokenId}  nightly import  created \\S+  expires 2099-01-01T00:00:00.000Z  last used \\S+Z$`),
      );
      expect(list.out).not.toContain(created.out);

      const revoke = await run(['token', 'revoke', tokenId]);
      expect(revoke).toMatchObject({ code: 0, out: `Token ${tokenId} revoked.` });
      expect((await f.request('/api/tokens', { token: created.out })).status).toBe(401);
      expect((await run(['token', 'list'])).out).toBe('');
    });

    it.each([
      [['token', 'create'], 2, /needs --label/],
      [['token', 'revoke'], 2, /needs the token id/],
      [['token', 'rotate'], 2, /Use: foyer token create/],
      [['token', 'revoke', '0123456789ab'], 1, /no such token/],
      [['token', 'create', '--label', 'old', '--expires', '2001-01-01T00:00:00Z'], 1, /expiry must be in the future/],
      [['token', 'create', '--label', 'vague', '--expires', 'next week'], 1, /ISO 8601/],
    ])('refuses %j with exit code %i and a message', async (argv, code, message) => {
      const r = await run(argv);
      expect(r.code).toBe(code);
      expect(r.err).toMatch(message);
      expect(r.out).toBe('');
    });
  });

  describe('spaces (hosted mode)', () => {
    const hosted = { env: { FOYER_MODE: 'hosted' } };

    it('creates spaces, lists them, and serves each at its host', async () => {
      const created = await run(
        [
          'space',
          'create',
          'alice',
          '--host',
          'alice.test',
          '--host',
          'www.alice.test',
          '--time-zone',
          'America/New_York',
        ],
        hosted,
      );
      expect(created.code).toBe(0);
      expect(created.out).toMatch(/Space "alice" created for alice.test, www.alice.test.*foyer init --space alice/);
      expect((await run(['space', 'create', 'bob', '--host', 'bob.test'], hosted)).code).toBe(0);

      const list = await run(['space', 'list'], hosted);
      expect(list.code).toBe(0);
      expect(list.out.split('\n')).toEqual([
        expect.stringMatching(/^alice {2}alice\.test,www\.alice\.test {2}America\/New_York {2}created /),
        expect.stringMatching(/^bob {2}bob\.test {2}Europe\/Paris {2}created /),
      ]);

      expect(
        (await run(['init', '--space', 'alice', '--passphrase-stdin'], { ...hosted, stdin: PASSPHRASE })).code,
      ).toBe(0);
      const token = await run(['token', 'create', '--space', 'alice', '--label', 'cli'], hosted);
      expect(token.code).toBe(0);
      const f = await serveDataDir({ FOYER_MODE: 'hosted' });
      expect(await f.foyer.spaces.resolve('www.alice.test')).toBe('alice');
      expect(await f.foyer.ownerAuth.authenticateToken('alice', token.out)).toMatchObject({ label: 'cli' });
      expect(await f.foyer.ownerAuth.authenticateToken('bob', token.out)).toBeNull();
    });

    it.each([
      [['space', 'create', 'Bad_Id'], 1, /space id is 1 to 63 lower-case/],
      [['space', 'create', 'carol', '--host', 'not a host'], 1, /not a valid host name/],
      [['space', 'create', 'carol', '--time-zone', 'Mars/Olympus'], 1, /not an IANA time zone/],
      [['space', 'create'], 2, /needs an id/],
      [['space', 'rename', 'alice'], 2, /Use: foyer space create/],
      [['space', 'delete'], 2, /needs an id/],
      [['token', 'create', '--label', 'x'], 1, /name the space with --space/],
      [['init', '--space', 'nobody', '--passphrase-stdin'], 1, /no space "nobody"/],
    ])('refuses %j with exit code %i and a message', async (argv, code, message) => {
      const r = await run(argv, { ...hosted, stdin: PASSPHRASE });
      expect(r.code).toBe(code);
      expect(r.err).toMatch(message);
      expect((await run(['space', 'list'], hosted)).out).toBe('');
    });

    it('refuses a second space on a host already in use', async () => {
      expect((await run(['space', 'create', 'alice', '--host', 'alice.test'], hosted)).code).toBe(0);
      const r = await run(['space', 'create', 'mallory', '--host', 'alice.test'], hosted);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/alice\.test.*already routes to another space/);
    });
  });

  describe('serve', () => {
    it('prints the real URL and a setup code that initialises the space, then stops on a signal', async () => {
      const s = scriptedIo(env);
      const exit = main(['serve', '--port', '0'], s.io);
      const [, url] = await s.line(/running at (http:\/\/localhost:\d+) /);
      expect(url).not.toMatch(/:0$/);
      const [, code] = await s.line(/Create it at http:\/\/localhost:\d+\/\?setup=(\S+)$/);

      const health = await fetch(`${url}/api/health`);
      expect(health.status).toBe(200);
      const init = await fetch(`${url}/api/auth/init`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ setupCode: code, passphrase: PASSPHRASE }),
      });
      expect(init.status).toBe(201);

      s.stop('SIGTERM');
      expect(await exit).toBe(0);
      expect(s.out.at(-1)).toBe('SIGTERM: stopping');
      await expect(fetch(`${url}/api/health`)).rejects.toThrow();
    });

    it('prints the address it listens on when that is not a loopback or wildcard one', async () => {
      const s = scriptedIo(env);
      const exit = main(['serve', '--port', '0', '--host', '127.0.0.2'], s.io);
      const [, url] = await s.line(/running at (http:\/\/\S+) /);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.2:\d+$/);
      expect((await fetch(`${url}/api/health`)).status).toBe(200);
      s.stop('SIGINT');
      expect(await exit).toBe(0);
    });

    it('exits 1 naming the address when the port is taken, and releases the data folder', async () => {
      const blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      const port = (blocker.address() as { port: number }).port;
      try {
        const r = await run(['serve', '--port', String(port)]);
        expect(r.code).toBe(1);
        expect(r.err).toMatch(new RegExp(`${port}`));
        expect(r.err).toMatch(/in use/);
        expect(await openFilesUnder(dataDir)).toEqual([]);
      } finally {
        await new Promise<void>((resolve) => blocker.close(() => resolve()));
      }
    });

    it('runs as a real process: prints the URL and the setup hint, serves, and exits 0 on SIGTERM', async () => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'src/cli/entry.ts', 'serve', '--port', '0', '--data-dir', dataDir],
        {
          cwd: packageRoot(),
          env: { ...process.env, FOYER_LOG_LEVEL: 'error' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      try {
        const deadline = Date.now() + 20_000;
        while (!/setup=\S+\n[^\n]*foyer init[^\n]*\n/.test(stdout)) {
          if (Date.now() > deadline || child.exitCode !== null)
            throw new Error(`serve did not start:\n${stdout}\n${stderr}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const url = /running at (http:\/\/localhost:(\d+)) /.exec(stdout)?.[1];
        expect(url).toBeDefined();
        expect(stdout).toMatch(/No passphrase yet\. Create it at http:\/\/localhost:\d+\/\?setup=\S+/);
        expect(stdout).toContain(`npx foyer init --data-dir ${dataDir}`);
        expect((await fetch(`${url}/api/health`)).status).toBe(200);

        child.kill('SIGTERM');
        expect(await exited).toBe(0);
        expect(stdout).toMatch(/SIGTERM: stopping\n$/);
        expect(stderr).not.toMatch(/error/i);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    }, 30_000);
  });
});
