/**
 * `foyer keys`: the key hierarchy seen and rotated by the operator, against the configured stores,
 * while servers keep running (docs/security.md, "Rotating keys").
 *
 *   keys status                        the master keys, and each space's data keys and what wraps them
 *   keys generate                      prints a new random master key (for FOYER_MASTER_KEY / key files)
 *   keys rotate                        step 1: a new master key; every data key wrapped under it too
 *   keys rotate --finish               step 2, once every process runs with the new key first:
 *                                      data keys wrapped under the current key only; old keys dropped
 *   keys rotate --space ID --data-key  a new data key version for one space
 *   keys rotate --space ID --data-key --rewrap
 *                                      then, once servers use it: the space's credential vault
 *                                      re-encrypted under the newest data key (no new version)
 */
import type { FoyerConfig } from '../app/config.js';
import { openDocumentStore, openMasterKeyring } from '../app/create-foyer.js';
import {
  finishRotation,
  keyStatus,
  rotateDataKey,
  wrapAllUnder,
  type RewrapReport,
} from '../core/keys/key-rotation.js';
import {
  describeKeyring,
  encodeMasterKey,
  generateMasterKey,
  parseMasterKey,
  writeKeyringFile,
  type MasterKey,
  type MasterKeyring,
} from '../core/keys/master-keyring.js';
import { FoyerError } from '../core/errors.js';
import { createSpaceKeys } from '../core/keys/space-keys.js';
import { createCredentialVault, type CredentialVault } from '../core/vault/credential-vault.js';
import { systemClock } from '../platform/clock.js';
import type { DocumentStore } from '../storage/document-store.js';
import type { CliIo } from './cli-io.js';

const USE =
  'Use: foyer keys status | keys generate | keys rotate [--finish] | keys rotate --space ID --data-key [--rewrap]';

export async function runKeys(
  config: FoyerConfig,
  io: CliIo,
  args: string[],
  options: { space?: string | undefined; finish: boolean; dataKey: boolean; rewrap: boolean },
): Promise<number> {
  const [sub, extra] = args;
  if (extra !== undefined || (sub !== 'status' && sub !== 'generate' && sub !== 'rotate')) {
    io.err(USE);
    return 2;
  }
  if (sub !== 'rotate' && (options.finish || options.dataKey || options.rewrap)) {
    io.err(`--finish, --data-key and --rewrap go with keys rotate.\n${USE}`);
    return 2;
  }
  if (options.dataKey ? !options.space || options.finish : options.space !== undefined || options.rewrap) {
    io.err(
      `A data key rotation is: foyer keys rotate --space ID --data-key, then foyer keys rotate --space ID --data-key --rewrap (without --finish).`,
    );
    return 2;
  }
  if (sub === 'generate') {
    io.out(encodeMasterKey(generateMasterKey()));
    return 0;
  }

  const keyring = await openMasterKeyring(config);
  const store = await openDocumentStore(config, keyring);
  try {
    if (sub === 'status') return await status(store, keyring, config, io);
    if (options.dataKey && options.rewrap) return await rewrapVault(store, keyring, options.space!, io);
    if (options.dataKey) {
      const version = await rotateDataKey(store, keyring, options.space!, systemClock);
      io.out(
        `Space "${options.space}": data key version ${version} made. Running servers use it for new files within a minute; ` +
          'older files stay readable under the version they were written with.',
      );
      io.out(
        `Then, to re-encrypt the space's credential vault under it: foyer keys rotate --space ${options.space} --data-key --rewrap`,
      );
      return 0;
    }
    return options.finish ? await finish(store, keyring, io) : await rotate(store, keyring, io);
  } finally {
    await store.close();
  }
}

/** The vault as this process sees it: data keys read afresh, so the newest version is the stored one. */
const vaultOf = (store: DocumentStore, keyring: MasterKeyring): CredentialVault =>
  createCredentialVault({
    store,
    spaceKeys: createSpaceKeys({ store, keyring, clock: systemClock }),
    clock: systemClock,
  });

async function rewrapVault(store: DocumentStore, keyring: MasterKeyring, space: string, io: CliIo): Promise<number> {
  if (!(await store.getSpace(space))) throw new FoyerError('space_not_found', `No space "${space}".`);
  const report = await vaultOf(store, keyring).rewrap(space);
  io.out(
    `Space "${space}": ${report.rewrapped} of ${report.records} credentials re-encrypted under data key ` +
      `v${report.keyVersion}; readers went on using the version each one named.`,
  );
  for (const ref of report.damaged) io.err(`Credential "${ref}" does not open (altered or misplaced): left as it is.`);
  if (report.older.length > 0) {
    io.err(
      `${report.older.length} credentials were written meanwhile under an older data key (${report.older.join(', ')}) ` +
        'by a server that had not picked up the new one yet (within a minute of the rotation): run this again.',
    );
  }
  return report.damaged.length + report.older.length > 0 ? 1 : 0;
}

async function status(store: DocumentStore, keyring: MasterKeyring, config: FoyerConfig, io: CliIo): Promise<number> {
  const known = new Set(keyring.keys.map((k) => k.id));
  const current = keyring.keys[0]!.id;
  const vault = vaultOf(store, keyring);
  io.out(`Master keys: ${describeKeyring(keyring)}`);
  io.out(`File encryption: ${config.encryptFiles ? 'on' : 'off (FOYER_ENCRYPT_FILES=false)'}`);
  let dataKeys = 0;
  let elsewhere = 0;
  let unopenable = 0;
  for (const space of await keyStatus(store)) {
    if (space.databaseKey) {
      const under = space.databaseKey.wrappedUnder;
      const notes: string[] = [];
      if (under.some((id) => id !== current)) notes.push('also under a key that is not current');
      if (!under.some((id) => known.has(id))) {
        unopenable++;
        notes.push('NOT OPENABLE with the configured master keys');
      }
      io.out(
        `  ${space.space}: database key wrapped under ${under.join(', ')}` +
          (notes.length ? ` - ${notes.join('; ')}` : ''),
      );
    }
    if (!space.dataKeys) continue;
    if (space.dataKeys.length === 0) io.out(`  ${space.space}: no data key yet`);
    for (const key of space.dataKeys) {
      dataKeys++;
      const notes: string[] = [];
      if (key.wrappedUnder.some((id) => id !== current)) {
        elsewhere++;
        notes.push('also under a key that is not current');
      }
      if (!key.wrappedUnder.some((id) => known.has(id))) {
        unopenable++;
        notes.push('NOT OPENABLE with the configured master keys');
      }
      io.out(
        `  ${space.space}: data key v${key.version} (made ${key.createdAt}) wrapped under ${key.wrappedUnder.join(', ')}` +
          (notes.length ? ` - ${notes.join('; ')}` : ''),
      );
    }
    const credentials = await vault.list(space.space);
    if (credentials.length > 0) {
      const newest = Math.max(...space.dataKeys.map((k) => k.version));
      const older = credentials.filter((c) => c.keyVersion < newest).length;
      io.out(
        `  ${space.space}: credential vault: ${credentials.length} credentials, ${older} under an older data key than v${newest}` +
          (older > 0 ? ` (foyer keys rotate --space ${space.space} --data-key --rewrap)` : ''),
      );
    }
  }
  io.out(`${dataKeys} data keys; ${elsewhere} also wrapped under another master key than ${current}.`);
  if (elsewhere > 0) {
    io.out(
      'A rotation is under way: once every process runs with the current key first, run foyer keys rotate --finish.',
    );
  }
  if (unopenable > 0) {
    io.err(`${unopenable} keys cannot be opened with the configured master keys.`);
    return 1;
  }
  return 0;
}

/** The new master key: FOYER_NEW_MASTER_KEY, or a generated one when the ring is a file this command can rewrite. */
function newMasterKey(keyring: MasterKeyring, io: CliIo): MasterKey | string {
  const given = io.env.FOYER_NEW_MASTER_KEY;
  if (given) return parseMasterKey(given, 'FOYER_NEW_MASTER_KEY');
  if (keyring.source.kind === 'file') return generateMasterKey();
  return (
    'The master key comes from FOYER_MASTER_KEY, which this command cannot change: give the new key in ' +
    'FOYER_NEW_MASTER_KEY (foyer keys generate prints one).'
  );
}

async function rotate(store: DocumentStore, keyring: MasterKeyring, io: CliIo): Promise<number> {
  const newKey = newMasterKey(keyring, io);
  if (typeof newKey === 'string') {
    io.err(newKey);
    return 2;
  }
  if (newKey.id === keyring.keys[0]!.id) {
    io.err(`${newKey.id} is the current master key already.`);
    return 2;
  }
  const older = keyring.keys.filter((k) => k.id !== newKey.id);
  const next: MasterKeyring = { ...keyring, keys: [newKey, ...older] };
  // The key is saved before anything depends on it: if the re-wrapping stops halfway, --finish completes it.
  if (keyring.source.kind === 'file') {
    await writeKeyringFile(keyring.source.path, next.keys);
    io.out(`New master key ${newKey.id} written first in ${keyring.source.path} (kept after it: ${ids(older)}).`);
  }
  const report = await wrapAllUnder(store, next, newKey, systemClock);
  io.out(
    `${report.spaces} spaces: ${report.wrapped} data keys${databaseKeys(report)} wrapped under ${newKey.id} too; their wrappings under ` +
      `${ids(older)} are kept, so running processes go on working.`,
  );
  const restart =
    keyring.source.kind === 'file'
      ? 'restart every Foyer process (one at a time is fine) so that it reads the new key file'
      : `set FOYER_MASTER_KEY to the new key followed by the old one ("<new>,<old>") on every process and restart them one at a time`;
  io.out(`Next: ${restart}; then run foyer keys rotate --finish (with that same setting).`);
  return reportStuck(report, io);
}

async function finish(store: DocumentStore, keyring: MasterKeyring, io: CliIo): Promise<number> {
  const current = keyring.keys[0]!;
  const older = keyring.keys.slice(1);
  const report = await finishRotation(store, keyring, systemClock);
  io.out(
    `${report.spaces} spaces: every key is wrapped under ${current.id} only ` +
      `(${report.wrapped + report.database.wrapped} wrappings added, ${report.dropped + report.database.dropped} under other keys dropped).`,
  );
  if (report.stuck.length > 0) return reportStuck(report, io);
  if (older.length > 0) {
    if (keyring.source.kind === 'file') {
      await writeKeyringFile(keyring.source.path, [current]);
      io.out(`Old master keys ${ids(older)} removed from ${keyring.source.path}: destroy any other copy of them.`);
    } else {
      io.out(`Now remove ${ids(older)} from FOYER_MASTER_KEY (keep only ${current.id}) and destroy them.`);
    }
    io.out(
      'Processes still running with an old key in their ring may wrap new data keys under it: restart them, then run --finish again.',
    );
  }
  return 0;
}

const databaseKeys = (report: RewrapReport): string =>
  report.database.wrapped > 0 ? ` and ${report.database.wrapped} database keys` : '';

function reportStuck(report: RewrapReport, io: CliIo): number {
  if (report.stuck.length === 0) return 0;
  for (const s of report.stuck) {
    const what = s.version === 0 ? 'database key' : `data key v${s.version}`;
    io.err(
      `Space "${s.space}", ${what}: wrapped only under ${s.wrappedUnder.join(', ')}, which are not in the ring; left as it is.`,
    );
  }
  io.err('Add the missing master key to the ring (after the current one) and run the command again.');
  return 1;
}

const ids = (keys: MasterKey[]): string => (keys.length ? keys.map((k) => k.id).join(', ') : 'none');
