import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readDataKeys } from '../core/keys/data-key-record.js';
import {
  defaultKeyFile,
  encodeMasterKey,
  generateMasterKey,
  parseKeyringText,
  parseMasterKey,
} from '../core/keys/master-keyring.js';
import { DEFAULT_SPACE } from '../core/spaces/space-service.js';
import { readAll } from '../storage/file-store.contract.js';
import { jsonBody as json } from '../testing/json-body.js';
import { startTestFoyer, type TestFoyer } from '../testing/test-foyer.js';
import type { CliIo } from './cli-io.js';
import { main } from './main.js';

describe('foyer keys', () => {
  let dataDir: string;
  let servers: TestFoyer[];

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'foyer-keys-cli-'));
    servers = [];
  });
  afterEach(async () => {
    for (const s of servers) await s.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function keys(args: string[], env: Record<string, string> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      env: { FOYER_DATA_DIR: dataDir, FOYER_LOG_LEVEL: 'silent', ...env },
      ask: async () => '',
      readStdin: async () => '',
      stopSignal: () => new Promise(() => {}),
    };
    const code = await main(['keys', ...args], io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  /** A server on the data folder, as `foyer serve` would run it; it reads the key ring once, at start. */
  async function serve(env: Record<string, string> = {}): Promise<TestFoyer> {
    const f = await startTestFoyer({ config: { dataDir }, env });
    servers.push(f);
    await f.ownerToken();
    return f;
  }
  async function stop(f: TestFoyer): Promise<void> {
    servers.splice(servers.indexOf(f), 1);
    await f.close();
  }

  async function upload(f: TestFoyer, text: string): Promise<string> {
    const res = await f.request('/api/files?name=note.txt', { method: 'POST', body: text });
    expect(res.status).toBe(201);
    return (await json(res)).id as string;
  }
  async function download(f: TestFoyer, id: string): Promise<{ status: number; text: string }> {
    const res = await f.request(`/api/files/${id}/content`);
    return { status: res.status, text: await res.text() };
  }
  const keyFileIds = async (): Promise<string[]> =>
    parseKeyringText(await readFile(defaultKeyFile(dataDir), 'utf8'), 'file').map((k) => k.id);

  it('generates a new master key each time', async () => {
    const a = await keys(['generate']);
    const b = await keys(['generate']);
    expect(a.code).toBe(0);
    expect(parseMasterKey(a.out, 'out').key.length).toBe(32);
    expect(a.out).not.toBe(b.out);
  });

  it('refuses unknown subcommands and misplaced options with the usage', async () => {
    for (const args of [[], ['frobnicate'], ['status', 'extra'], ['status', '--finish'], ['rotate', '--data-key']]) {
      const r = await keys(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(/foyer keys/);
    }
    expect((await keys(['rotate', '--space', 'default', '--data-key', '--finish'])).code).toBe(2);
  });

  it('rotates the master key in two steps while servers keep serving every file', async () => {
    const before = await serve();
    const old = (await keyFileIds())[0]!;
    const first = await upload(before, 'written before the rotation');

    const step1 = await keys(['rotate']);
    expect(step1.code).toBe(0);
    const [fresh, kept] = await keyFileIds();
    expect(kept).toBe(old);
    expect(step1.out).toContain(`New master key ${fresh}`);
    expect(step1.out).toMatch(/1 spaces: 1 data keys and 1 database keys wrapped/);

    // The server started before still has only the old key: it goes on, and makes a space's first data key under it.
    expect(await download(before, first)).toEqual({ status: 200, text: 'written before the rotation' });
    await before.foyer.documentStore.createSpace({
      id: 'late',
      hosts: [],
      timeZone: 'Europe/Paris',
      createdAt: new Date().toISOString(),
    });
    await before.foyer.fileStore.put('late/file-a/1', Readable.from([Buffer.from('made during the switch')]));
    expect(
      (await readDataKeys(before.foyer.documentStore, 'late')).record?.dataKeys[0]?.wrapped.map((w) => w.kek),
    ).toEqual([old]);

    // Restarted, one at a time: a new server reads the new key file while the old one still runs.
    const after = await serve();
    expect(await download(after, first)).toEqual({ status: 200, text: 'written before the rotation' });
    const second = await upload(after, 'written during the switch');
    expect(await download(before, second)).toEqual({ status: 200, text: 'written during the switch' });
    const status = await keys(['status']);
    expect(status.out).toContain(`${fresh} (current), ${old}`);
    expect(status.out).toMatch(/A rotation is under way/);
    await stop(before);

    const step2 = await keys(['rotate', '--finish']);
    expect(step2.code).toBe(0);
    expect(step2.out).toMatch(
      /2 spaces: every key is wrapped under .* only \(2 wrappings added, 4 under other keys dropped\)/,
    );
    expect(await keyFileIds()).toEqual([fresh]);
    for (const space of [DEFAULT_SPACE, 'late']) {
      const { record } = await readDataKeys(after.foyer.documentStore, space);
      expect(record?.dataKeys.map((k) => k.wrapped.map((w) => w.kek))).toEqual([[fresh]]);
    }

    // The running server goes on; a server started now (new key only) reads everything.
    expect(await download(after, second)).toEqual({ status: 200, text: 'written during the switch' });
    const next = await serve();
    expect(await download(next, first)).toEqual({ status: 200, text: 'written before the rotation' });
    expect(String(await readAll(await next.foyer.fileStore.get('late/file-a/1')))).toBe('made during the switch');
    const done = await keys(['status']);
    expect(done.code).toBe(0);
    expect(done.out).toContain('2 data keys; 0 also wrapped under another master key');
  });

  it('rotates a master key given in the environment, saying what to set', async () => {
    const old = generateMasterKey();
    const fresh = generateMasterKey();
    const f = await serve({ FOYER_MASTER_KEY: encodeMasterKey(old) });
    const id = await upload(f, 'kept in the environment');

    const refused = await keys(['rotate'], { FOYER_MASTER_KEY: encodeMasterKey(old) });
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('FOYER_NEW_MASTER_KEY');

    const step1 = await keys(['rotate'], {
      FOYER_MASTER_KEY: encodeMasterKey(old),
      FOYER_NEW_MASTER_KEY: encodeMasterKey(fresh),
    });
    expect(step1.code).toBe(0);
    expect(step1.out).toContain('set FOYER_MASTER_KEY to the new key followed by the old one');
    expect(step1.out).not.toContain(encodeMasterKey(fresh));

    const both = `${encodeMasterKey(fresh)},${encodeMasterKey(old)}`;
    const step2 = await keys(['rotate', '--finish'], { FOYER_MASTER_KEY: both });
    expect(step2.code).toBe(0);
    expect(step2.out).toContain(`Now remove ${old.id} from FOYER_MASTER_KEY`);
    await stop(f);

    const onNew = await serve({ FOYER_MASTER_KEY: encodeMasterKey(fresh) });
    expect(await download(onNew, id)).toEqual({ status: 200, text: 'kept in the environment' });
    await stop(onNew);
    // The old key opens nothing any more, starting with the space's own database.
    await expect(serve({ FOYER_MASTER_KEY: encodeMasterKey(old) })).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining('wrapped under none of the configured master keys'),
    });
  });

  it('finishes nothing for a data key the ring cannot open, and says so', async () => {
    const lost = generateMasterKey();
    const f = await serve({ FOYER_MASTER_KEY: encodeMasterKey(lost) });
    await upload(f, 'under a key that will be lost');
    const other = encodeMasterKey(generateMasterKey());
    const status = await keys(['status'], { FOYER_MASTER_KEY: other });
    expect(status.code).toBe(1);
    expect(status.out).toContain('NOT OPENABLE');
    const finish = await keys(['rotate', '--finish'], { FOYER_MASTER_KEY: other });
    expect(finish.code).toBe(1);
    expect(finish.err).toContain(`wrapped only under ${lost.id}`);
    const { record } = await readDataKeys(f.foyer.documentStore, DEFAULT_SPACE);
    expect(record?.dataKeys[0]?.wrapped.map((w) => w.kek)).toEqual([lost.id]);
  });

  it("rotates a space's data key: new files under the new version, old ones still readable", async () => {
    const f = await serve();
    const before = await upload(f, 'under version 1');
    const r = await keys(['rotate', '--space', DEFAULT_SPACE, '--data-key']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('data key version 2 made');
    // A server started now writes under version 2 (a running one picks it up within a minute).
    await stop(f);
    const g = await serve();
    const after = await upload(g, 'under version 2');
    expect(await download(g, before)).toEqual({ status: 200, text: 'under version 1' });
    expect(await download(g, after)).toEqual({ status: 200, text: 'under version 2' });
    const blobs = await g.foyer.fileStore.list(DEFAULT_SPACE);
    const versions = await Promise.all(
      blobs.map(async (key) => (await readFile(path.join(dataDir, 'files', key))).readUInt32BE(5)),
    );
    expect(versions.sort()).toEqual([1, 2]);

    const missing = await keys(['rotate', '--space', 'nobody', '--data-key']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('No space "nobody"');
  });

  it("re-encrypts a space's credential vault under its newest data key while a server reads it", async () => {
    const f = await serve();
    const login = { kind: 'password' as const, values: { password: 'Quetzalcoatl-7731-secret' }, label: 'Banque' };
    await f.foyer.vault.put(DEFAULT_SPACE, 'bank', login);
    const rotated = await keys(['rotate', '--space', DEFAULT_SPACE, '--data-key']);
    expect(rotated.out).toContain(`foyer keys rotate --space ${DEFAULT_SPACE} --data-key --rewrap`);
    expect((await keys(['status'])).out).toContain(
      `${DEFAULT_SPACE}: credential vault: 1 credentials, 1 under an older data key than v2`,
    );

    const rewrap = await keys(['rotate', '--space', DEFAULT_SPACE, '--data-key', '--rewrap']);
    expect(rewrap.code).toBe(0);
    expect(rewrap.out).toContain('1 of 1 credentials re-encrypted under data key v2');
    // The running server opens it under the version it now names; no third version was made.
    expect(await f.foyer.vault.get(DEFAULT_SPACE, 'bank')).toMatchObject({ keyVersion: 2, values: login.values });
    expect((await readDataKeys(f.foyer.documentStore, DEFAULT_SPACE)).record?.dataKeys).toHaveLength(2);
    expect((await keys(['status'])).out).toContain('1 credentials, 0 under an older data key than v2');

    for (const args of [
      ['rotate', '--rewrap'],
      ['rotate', '--space', DEFAULT_SPACE, '--rewrap'],
      ['status', '--rewrap'],
    ]) {
      expect((await keys(args)).code, args.join(' ')).toBe(2);
    }
    const missing = await keys(['rotate', '--space', 'nobody', '--data-key', '--rewrap']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('No space "nobody"');
  });
});
