import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectFoyerError } from '../../storage/file-store.contract.js';
import {
  defaultKeyFile,
  encodeMasterKey,
  generateMasterKey,
  loadMasterKeyring,
  masterKeyId,
  parseKeyringText,
  parseMasterKey,
  writeKeyringFile,
  type KeyringSettings,
} from './master-keyring.js';

describe('master keys', () => {
  it('parses 32 bytes of base64, in the standard or the URL alphabet, padded or not', () => {
    const bytes = randomBytes(32);
    for (const text of [
      bytes.toString('base64'),
      bytes.toString('base64url'),
      `  ${bytes.toString('base64')}\n`,
      bytes.toString('base64').replace('=', ''),
    ]) {
      const key = parseMasterKey(text, 'test');
      expect(key.key).toEqual(bytes);
      expect(key.id).toBe(masterKeyId(bytes));
    }
  });

  it('names a key by a 16-hex fingerprint that differs from key to key and shows nothing of it', () => {
    const a = generateMasterKey();
    const b = generateMasterKey();
    expect(a.id).toMatch(/^[0-9a-f]{16}$/);
    expect(a.id).not.toBe(b.id);
    expect(a.key.toString('hex')).not.toContain(a.id);
  });

  it('refuses anything but 32 bytes of base64, without repeating the text', async () => {
    for (const text of [
      '',
      'short',
      randomBytes(31).toString('base64'),
      randomBytes(33).toString('base64'),
      randomBytes(32).toString('hex'),
      `${randomBytes(32).toString('base64').slice(0, 40)}!!!=`,
    ]) {
      const error = await expectFoyerError(async () => parseMasterKey(text, 'FOYER_MASTER_KEY'), 'bad_request');
      expect(error.message).toMatch(/^FOYER_MASTER_KEY: /);
      if (text.length > 4) expect(error.message).not.toContain(text.slice(0, 10));
    }
  });

  it('reads a ring from commas or lines, current first, skipping comments, blanks and repeats', () => {
    const [a, b] = [generateMasterKey(), generateMasterKey()];
    const fromEnv = parseKeyringText(`${encodeMasterKey(a)}, ${encodeMasterKey(b)},${encodeMasterKey(a)}`, 'env');
    expect(fromEnv.map((k) => k.id)).toEqual([a.id, b.id]);
    const fromFile = parseKeyringText(`# comment\n\n${encodeMasterKey(b)}\n  ${encodeMasterKey(a)}\n`, 'file');
    expect(fromFile.map((k) => k.id)).toEqual([b.id, a.id]);
  });

  it('refuses a ring with no key, or one bad key among good ones', async () => {
    await expectFoyerError(async () => parseKeyringText('# nothing\n\n', 'file'), 'bad_request');
    const error = await expectFoyerError(
      async () => parseKeyringText(`${encodeMasterKey(generateMasterKey())}\nnot-a-key`, 'file'),
      'bad_request',
    );
    expect(error.message).toContain('key 2');
  });
});

describe('loading the master key ring', () => {
  let dir: string;
  const settings = (over: Partial<KeyringSettings> = {}): KeyringSettings => ({
    dataDir: dir,
    defaultFileAllowed: true,
    ...over,
  });

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'foyer-keyring-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('takes FOYER_MASTER_KEY first and creates no file', async () => {
    const key = generateMasterKey();
    const ring = await loadMasterKeyring(settings({ masterKey: encodeMasterKey(key) }));
    expect(ring.keys.map((k) => k.id)).toEqual([key.id]);
    expect(ring.source).toEqual({ kind: 'env' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('reads FOYER_MASTER_KEY_FILE, and refuses a missing one rather than creating it', async () => {
    const key = generateMasterKey();
    const file = path.join(dir, 'operator.key');
    await writeFile(file, encodeMasterKey(key) + '\n');
    const ring = await loadMasterKeyring(settings({ masterKeyFile: file }));
    expect(ring.keys[0]?.id).toBe(key.id);
    expect(ring.source).toEqual({ kind: 'file', path: file, isDefault: false });
    const error = await expectFoyerError(
      () => loadMasterKeyring(settings({ masterKeyFile: path.join(dir, 'missing.key') })),
      'bad_request',
    );
    expect(error.message).toContain('FOYER_MASTER_KEY_FILE');
    expect(await readdir(dir)).toEqual(['operator.key']);
  });

  it('refuses both a key and a key file', async () => {
    await expectFoyerError(
      () => loadMasterKeyring(settings({ masterKey: encodeMasterKey(generateMasterKey()), masterKeyFile: '/x/y.key' })),
      'bad_request',
    );
  });

  it('creates <dataDir>/keys/master.key (0600, in a 0700 folder) on first use, then reads it', async () => {
    const first = await loadMasterKeyring(settings());
    const file = defaultKeyFile(dir);
    expect(first.source).toEqual({ kind: 'file', path: file, isDefault: true });
    expect(((await stat(file)).mode & 0o777).toString(8)).toBe('600');
    expect(((await stat(path.dirname(file))).mode & 0o777).toString(8)).toBe('700');
    const again = await loadMasterKeyring(settings());
    expect(again.keys.map((k) => k.id)).toEqual(first.keys.map((k) => k.id));
    expect(await readFile(file, 'utf8')).toContain(encodeMasterKey(first.keys[0]!));
  });

  it('agrees on one key when several processes start at once', async () => {
    const rings = await Promise.all(Array.from({ length: 8 }, () => loadMasterKeyring(settings())));
    expect(new Set(rings.map((r) => r.keys[0]?.id)).size).toBe(1);
  });

  it('refuses to make a key file when the data is not all in the data folder', async () => {
    const error = await expectFoyerError(
      () => loadMasterKeyring(settings({ defaultFileAllowed: false })),
      'bad_request',
    );
    expect(error.message).toMatch(/FOYER_MASTER_KEY/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a damaged default key file instead of replacing it', async () => {
    await mkdir(path.join(dir, 'keys'));
    await writeFile(defaultKeyFile(dir), 'garbage\n');
    await expectFoyerError(() => loadMasterKeyring(settings()), 'bad_request');
    expect(await readFile(defaultKeyFile(dir), 'utf8')).toBe('garbage\n');
  });

  it('rewrites a key file atomically, 0600, leaving no temporary file', async () => {
    const file = path.join(dir, 'keys', 'master.key');
    const [a, b] = [generateMasterKey(), generateMasterKey()];
    await writeKeyringFile(file, [a]);
    await writeKeyringFile(file, [b, a]);
    const ring = await loadMasterKeyring(settings({ masterKeyFile: file }));
    expect(ring.keys.map((k) => k.id)).toEqual([b.id, a.id]);
    expect(((await stat(file)).mode & 0o777).toString(8)).toBe('600');
    expect(await readdir(path.dirname(file))).toEqual(['master.key']);
  });
});
