/**
 * The master key ring: the operator's key-encryption keys (KEKs), 32 random bytes each, written
 * as base64. The first key of the ring is the current one; the others are still accepted for
 * opening data keys, which is what lets a rotation happen while processes keep running (see
 * docs/security.md). A key is named by its id, a fingerprint that reveals nothing of the key.
 *
 * A ring comes from `FOYER_MASTER_KEY` (keys separated by commas), from `FOYER_MASTER_KEY_FILE`
 * (one key per line, `#` comments), or, when neither is given and every byte of data lives in the
 * data folder, from `<dataDir>/keys/master.key`, created (0600) on first start.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { FoyerError } from '../errors.js';

export const MASTER_KEY_BYTES = 32;

export interface MasterKey {
  /** 16 hex characters: the first 8 bytes of HMAC-SHA256(key, "foyer master key id"). */
  id: string;
  key: Buffer;
}

export type KeyringSource = { kind: 'env' } | { kind: 'file'; path: string; isDefault: boolean };

export interface MasterKeyring {
  /** Current key first; never empty; no two keys alike. */
  keys: MasterKey[];
  /** Where the ring came from: `foyer keys rotate` rewrites a file ring, and says what to change in an environment one. */
  source: KeyringSource;
}

export interface KeyringSettings {
  /** `FOYER_MASTER_KEY`: base64 keys separated by commas, current first. */
  masterKey?: string | undefined;
  /** `FOYER_MASTER_KEY_FILE`: a file with one base64 key per line, current first. */
  masterKeyFile?: string | undefined;
  dataDir: string;
  /**
   * Whether `<dataDir>/keys/master.key` may be used (and created) when no key is given. Only
   * when all the data is in the data folder: processes on several machines must share one key.
   */
  defaultFileAllowed: boolean;
}

const KEY_TEXT = /^[A-Za-z0-9+/_-]{43}=?$/;
const FILE_HEADER =
  '# Foyer master keys, current first, one base64 key per line. Keep secret: without them the data cannot be read.\n';

export const defaultKeyFile = (dataDir: string): string => path.join(dataDir, 'keys', 'master.key');

export function masterKeyId(key: Buffer): string {
  return createHmac('sha256', key).update('foyer master key id').digest('hex').slice(0, 16);
}

export function masterKeyOf(key: Buffer): MasterKey {
  return { id: masterKeyId(key), key };
}

/** A new random master key. */
export function generateMasterKey(): MasterKey {
  return masterKeyOf(randomBytes(MASTER_KEY_BYTES));
}

export const encodeMasterKey = (key: MasterKey): string => key.key.toString('base64');

/** One key from its base64 text (standard or URL alphabet); the message never repeats the text. */
export function parseMasterKey(text: string, where: string): MasterKey {
  const trimmed = text.trim();
  if (!KEY_TEXT.test(trimmed)) {
    throw new FoyerError('bad_request', `${where}: a master key is the base64 text of exactly 32 bytes.`);
  }
  const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== MASTER_KEY_BYTES) {
    throw new FoyerError('bad_request', `${where}: a master key is the base64 text of exactly 32 bytes.`);
  }
  return masterKeyOf(key);
}

/** The keys of a ring's text: separated by commas or lines; empty lines and `#` comments skipped. */
export function parseKeyringText(text: string, where: string): MasterKey[] {
  const parts = text
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .flatMap((line) => line.split(','))
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (parts.length === 0) throw new FoyerError('bad_request', `${where}: no master key in it.`);
  return dedupe(parts.map((part, i) => parseMasterKey(part, `${where} (key ${i + 1})`)));
}

function dedupe(keys: MasterKey[]): MasterKey[] {
  const seen = new Set<string>();
  return keys.filter((k) => (seen.has(k.id) ? false : (seen.add(k.id), true)));
}

export async function loadMasterKeyring(settings: KeyringSettings): Promise<MasterKeyring> {
  if (settings.masterKey && settings.masterKeyFile) {
    throw new FoyerError('bad_request', 'Give the master key in FOYER_MASTER_KEY or FOYER_MASTER_KEY_FILE, not both.');
  }
  if (settings.masterKey) {
    return { keys: parseKeyringText(settings.masterKey, 'FOYER_MASTER_KEY'), source: { kind: 'env' } };
  }
  if (settings.masterKeyFile) {
    const file = path.resolve(settings.masterKeyFile);
    return {
      keys: await readKeyringFile(file, 'FOYER_MASTER_KEY_FILE'),
      source: { kind: 'file', path: file, isDefault: false },
    };
  }
  if (!settings.defaultFileAllowed) {
    throw new FoyerError(
      'bad_request',
      'Hosted mode with PostgreSQL or S3 needs a master key shared by every process: set FOYER_MASTER_KEY or ' +
        'FOYER_MASTER_KEY_FILE (`foyer keys generate` prints a new key).',
    );
  }
  const file = defaultKeyFile(settings.dataDir);
  const keys = (await readKeyringFile(file, file, true)) ?? (await createDefaultKeyFile(file));
  return { keys, source: { kind: 'file', path: file, isDefault: true } };
}

async function readKeyringFile(file: string, where: string, missingOk: true): Promise<MasterKey[] | null>;
async function readKeyringFile(file: string, where: string): Promise<MasterKey[]>;
async function readKeyringFile(file: string, where: string, missingOk = false): Promise<MasterKey[] | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && missingOk) return null;
    throw new FoyerError(
      'bad_request',
      code === 'ENOENT' ? `${where}: no such key file.` : `${where}: the key file cannot be read.`,
      undefined,
      { cause: error },
    );
  }
  return parseKeyringText(text, where);
}

/**
 * First start: a new key in a new file. The file appears whole (written aside, then linked into
 * place, which fails if it exists); if another process made it first, theirs is used.
 */
async function createDefaultKeyFile(file: string): Promise<MasterKey[]> {
  const key = generateMasterKey();
  const temp = await writeTempFile(file, [key]);
  try {
    await link(temp, file);
    await syncFolder(path.dirname(file));
    return [key];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readKeyringFile(file, file);
  } finally {
    await rm(temp, { force: true });
  }
}

/** A synced hidden file beside `file` holding `keys`; returns its path. */
async function writeTempFile(file: string, keys: MasterKey[]): Promise<string> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(8).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(FILE_HEADER + keys.map((k) => encodeMasterKey(k) + '\n').join(''));
      await handle.sync();
    } finally {
      await handle.close();
    }
    return temp;
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

async function syncFolder(dir: string): Promise<void> {
  const folder = await open(dir, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}

/**
 * Replaces a key file with `keys` (current first), atomically: a new file beside it, synced, then
 * renamed over it. Readers see the old ring or the new one, whole.
 */
export async function writeKeyringFile(file: string, keys: MasterKey[]): Promise<void> {
  let temp: string | undefined;
  try {
    temp = await writeTempFile(file, keys);
    await rename(temp, file);
    await syncFolder(path.dirname(file));
  } catch (error) {
    if (temp) await rm(temp, { force: true });
    throw new FoyerError('internal', 'The master key file could not be written.', undefined, { cause: error });
  }
}

export const describeKeyring = (ring: MasterKeyring): string =>
  ring.keys.map((k, i) => (i === 0 ? `${k.id} (current)` : k.id)).join(', ') +
  (ring.source.kind === 'env' ? ' from FOYER_MASTER_KEY' : ` from ${ring.source.path}`);
