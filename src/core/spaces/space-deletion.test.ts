/**
 * Deleting a space, through the real HTTP server, on SQLite and disk and on PostgreSQL and S3:
 * afterwards nothing of it is found (every file of the data folder, every table of the schema,
 * every object of the bucket), a neighbour space on the same server is untouched, the receipt
 * counts what was removed, and an interrupted deletion is finished by running it again.
 */
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { Readable } from 'node:stream';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import type { CliIo } from '../../cli/cli-io.js';
import { encodeMasterKey, generateMasterKey } from '../keys/master-keyring.js';
import type { DocumentStore } from '../../storage/document-store.js';
import type { FileStore } from '../../storage/file-store.js';
import { createDiskFileStore } from '../../storage/disk/disk-file-store.js';
import { makeTestPostgresStore, type TestPostgresStore } from '../../testing/postgres.js';
import { startTestS3, type TestS3 } from '../../testing/s3.js';
import { filesHolding, rowsHolding } from '../../testing/stored-data-search.js';
import { startTestFoyer, TEST_PASSPHRASE, type TestFoyer } from '../../testing/test-foyer.js';
import { activeGrant, testGrantee, testTerms } from '../../testing/grants.js';
import { jsonBody as json, type JsonBody } from '../../testing/json-body.js';
import { receiptHash, type DeletionReceipt } from './deletion-receipt.js';

interface Answer {
  status: number;
  body: JsonBody;
}

/** One request with a Host header (fetch cannot set it), JSON in and out, or raw bytes in. */
function hostRequest(
  f: TestFoyer,
  host: string,
  method: string,
  pathname: string,
  init: { token?: string; json?: unknown; bytes?: Buffer } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { host };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let body: Buffer | undefined = init.bytes;
  if (init.json !== undefined) {
    body = Buffer.from(JSON.stringify(init.json));
    headers['content-type'] = 'application/json';
  } else if (body) headers['content-type'] = 'application/octet-stream';
  if (body) headers['content-length'] = String(body.length);
  const { port } = new URL(f.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path: pathname, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const isJson = /json/.test(res.headers['content-type'] ?? '');
        resolve({ status: res.statusCode ?? 0, body: isJson && text ? (JSON.parse(text) as JsonBody) : { text } });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const secret = (what: string) => `FOYER-${what}-${randomBytes(6).toString('hex')}`;

interface Filled {
  id: string;
  host: string;
  token: string;
  secrets: string[];
}

/** A space with a bit of everything: documents, a series, a file, a grant, a session, a vault record, a ledger. */
async function fillSpace(f: TestFoyer, id: string): Promise<Filled> {
  const host = `${id}.test`;
  await f.foyer.spaces.create(id, [host]);
  const token = await f.ownerToken(id);
  const s = {
    label: secret('LABEL'),
    note: secret('NOTE'),
    file: secret('FILE'),
    password: secret('PASSWORD'),
    purpose: secret('PURPOSE'),
  };
  const call = (method: string, p: string, init: { json?: unknown; bytes?: Buffer } = {}) =>
    hostRequest(f, host, method, p, { token, ...init });
  const tx = {
    date: '2026-03-09T08:00:00Z',
    label: s.label,
    amount: -42.5,
    currency: 'EUR',
    accountId: 'FR7630006000011234567890189',
  };
  expect((await call('PUT', '/api/data/bank.transaction/t1', { json: tx })).status).toBe(201);
  expect(
    (await call('PUT', '/api/data/contact/c1', { json: { displayName: 'Camille Martin', note: s.note } })).status,
  ).toBe(201);
  expect((await call('PUT', '/api/data/contact/c2', { json: { displayName: 'Gone' } })).status).toBe(201);
  const c2 = await call('GET', '/api/data/contact/c2');
  expect((await call('DELETE', `/api/data/contact/c2?rev=${c2.body._rev}`)).status).toBe(200);
  const point = { usagePointId: '09876543210987', t: '2026-03-09T08:00:00Z', powerW: 1234, quality: 'measured' };
  expect((await call('POST', '/api/series/energy.electricity.load-curve', { json: { points: [point] } })).status).toBe(
    200,
  );
  const uploaded = await call('POST', '/api/files?name=note.txt', { bytes: Buffer.from(`${s.file} in a file`) });
  expect(uploaded.status).toBe(201);
  const terms = testTerms({ purpose: { code: 'personal-insight', text: { en: s.purpose, fr: s.purpose } } });
  expect((await call('POST', '/api/grants', { json: { grantee: testGrantee, terms } })).status).toBe(201);
  const login = await hostRequest(f, host, 'POST', '/api/auth/login', { json: { passphrase: TEST_PASSPHRASE } });
  expect(login.status).toBe(200);
  await f.foyer.vault.put(id, 'bank-login', {
    kind: 'password',
    label: 'Bank',
    values: { username: 'camille', password: s.password },
  });
  return { id, host, token, secrets: Object.values(s) };
}

function deleteRequest(f: TestFoyer, space: Filled, body: unknown, token: string | undefined = space.token) {
  return hostRequest(f, space.host, 'POST', '/api/space/delete', { json: body, ...(token ? { token } : {}) });
}

async function stillThere(f: TestFoyer, space: Filled): Promise<void> {
  const tx = await hostRequest(f, space.host, 'GET', '/api/data/bank.transaction/t1', { token: space.token });
  expect(tx.status).toBe(200);
  expect(tx.body.label).toBe(space.secrets[0]);
  const files = await hostRequest(f, space.host, 'GET', '/api/files', { token: space.token });
  expect(files.body.files).toHaveLength(1);
}

function expectReceipt(receipt: DeletionReceipt, space: string): void {
  expect(receipt).toMatchObject({
    kind: 'foyer.space-deletion-receipt',
    space,
    requestedBy: 'owner',
    resumed: false,
    deleted: {
      tombstones: 1,
      points: { 'energy.electricity.load-curve': 1 },
      files: 1,
      fileBytes: expect.any(Number),
      hosts: 1,
    },
  });
  const d = receipt.deleted!;
  expect(d.documents).toMatchObject({ 'bank.transaction': 1, contact: 1, 'foyer.file': 1, 'foyer.owner': 1 });
  // Grants, sessions, tokens, the vault and the keys are counted as what they are: Foyer's records.
  for (const internal of ['foyer.grant', 'foyer.session', 'foyer.token', 'foyer.vault', 'foyer.keys']) {
    expect(d.documents[internal]).toBeGreaterThanOrEqual(1);
  }
  expect(d.ledgerEntries).toBeGreaterThan(5);
  expect(receipt.ledgerHead!.seq).toBe(d.ledgerEntries);
  expect(receipt.blobs).toBe(1);
  expect(receipt.sha256).toBe(receiptHash(receipt));
  expect(receiptHash({ ...receipt, blobs: receipt.blobs + 1 })).not.toBe(receipt.sha256);
}

function deletionSuite(
  backend: string,
  open: () => Promise<{
    env: Record<string, string>;
    store?: DocumentStore;
    /** Every trace of `needles` left in the stores (besides the data folder). */
    traces(f: TestFoyer, needles: string[], space: string): Promise<string[]>;
    cleanup(): Promise<void>;
  }>,
) {
  describe(`deleting a space (${backend})`, () => {
    let f: TestFoyer;
    let opened: Awaited<ReturnType<typeof open>>;
    let victim: Filled;
    let neighbour: Filled;
    let receipt: DeletionReceipt;

    beforeAll(async () => {
      opened = await open();
      f = await startTestFoyer({
        env: { FOYER_MODE: 'hosted', ...opened.env },
        overrides: opened.store ? { documentStore: opened.store } : {},
      });
      victim = await fillSpace(f, `leaving-${randomBytes(4).toString('hex')}`);
      neighbour = await fillSpace(f, `staying-${randomBytes(4).toString('hex')}`);
    });
    afterAll(async () => {
      await f.close();
      await opened.cleanup();
    });

    it('refuses without the owner, the confirmation phrase or the passphrase, and deletes nothing', async () => {
      const confirm = `delete ${victim.id}`;
      const anonymous = await deleteRequest(f, victim, { passphrase: TEST_PASSPHRASE, confirm }, '');
      expect(anonymous.status).toBe(401);
      const othersToken = await deleteRequest(f, victim, { passphrase: TEST_PASSPHRASE, confirm }, neighbour.token);
      expect(othersToken.status).toBe(401);
      const wrongPhrase = await deleteRequest(f, victim, { passphrase: TEST_PASSPHRASE, confirm: 'delete' });
      expect(wrongPhrase.status).toBe(400);
      expect(wrongPhrase.body.error.details.expected).toBe(confirm);
      const neighboursPhrase = await deleteRequest(f, victim, {
        passphrase: TEST_PASSPHRASE,
        confirm: `delete ${neighbour.id}`,
      });
      expect(neighboursPhrase.status).toBe(400);
      const wrongPassphrase = await deleteRequest(f, victim, { passphrase: 'not the passphrase at all', confirm });
      expect(wrongPassphrase.status).toBe(401);
      expect(wrongPassphrase.body.error.code).toBe('invalid_credentials');
      const missing = await deleteRequest(f, victim, { confirm });
      expect(missing.status).toBe(400);
      await stillThere(f, victim);
    });

    it('deletes everything and answers a receipt counting it', async () => {
      const res = await deleteRequest(f, victim, { passphrase: TEST_PASSPHRASE, confirm: `delete ${victim.id}` });
      expect(res.status).toBe(200);
      receipt = res.body.receipt as DeletionReceipt;
      expectReceipt(receipt, victim.id);
      expect(receipt.storage.documents).toBe(backend.startsWith('PostgreSQL') ? 'postgres' : 'sqlite');
      // SQLite keeps a wrapped key per space file in the registry; it is destroyed with the space.
      expect(receipt.deleted!.databaseKey).toBe(!backend.startsWith('PostgreSQL'));
      const after = await hostRequest(f, victim.host, 'GET', '/api/data/bank.transaction/t1', { token: victim.token });
      expect(after.status).toBe(404);
      expect(after.body.error.code).toBe('space_not_found');
      expect((await f.foyer.spaces.list()).map((s) => s.id)).not.toContain(victim.id);
    });

    it('leaves nothing of the space in the data folder or the stores, and the neighbour whole', async () => {
      const needles = [victim.id, victim.host, ...victim.secrets];
      expect(await filesHolding(f.dataDir, needles)).toEqual([]);
      expect(await opened.traces(f, needles, victim.id)).toEqual([]);
      expect(await f.foyer.fileStore.list(victim.id)).toEqual([]);
      // The same searches find the neighbour: they do look where its data is.
      await stillThere(f, neighbour);
      expect(await f.foyer.fileStore.list(neighbour.id)).toHaveLength(1);
      const found = [
        ...(await filesHolding(f.dataDir, [neighbour.id])),
        ...(await opened.traces(f, [neighbour.id], neighbour.id)),
      ];
      expect(found.length).toBeGreaterThan(0);
      expect((await f.foyer.vault.get(neighbour.id, 'bank-login')).values.password).toBe(neighbour.secrets[3]);
    });

    it('says so when the space is already gone', async () => {
      await expect(f.foyer.spaceDeletion.delete(victim.id, 'operator')).rejects.toMatchObject({
        code: 'space_not_found',
      });
    });
  });
}

deletionSuite('SQLite and disk', async () => ({
  env: {},
  traces: async () => [],
  cleanup: async () => {},
}));

let s3: TestS3;
let pgStore: TestPostgresStore;
deletionSuite('PostgreSQL and S3', async () => {
  s3 = await startTestS3();
  pgStore = await makeTestPostgresStore();
  const prefix = `deletion-${randomBytes(4).toString('hex')}`;
  return {
    env: {
      FOYER_MASTER_KEY: encodeMasterKey(generateMasterKey()),
      FOYER_FILES: `s3://${s3.bucket}/${prefix}`,
      FOYER_S3_ENDPOINT: s3.endpoint,
      FOYER_S3_ACCESS_KEY_ID: s3.accessKeyId,
      FOYER_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    },
    store: pgStore.store,
    async traces(f, needles, space) {
      // Every row of every table of the schema, as text, and the objects under the space's prefix.
      const rows = await rowsHolding(pgStore.url, pgStore.schema, needles);
      const objects = (await f.foyer.fileStore.list(space)).map((k) => `object ${k}`);
      return [...rows, ...objects];
    },
    async cleanup() {
      await pgStore.cleanup();
      await s3.stop();
    },
  };
});

describe('deleting the embedded default space', () => {
  it("refuses a grantee even with the owner's passphrase; the owner's deletion ends the session", async () => {
    const f = await startTestFoyer();
    try {
      await f.ownerToken();
      const grant = await activeGrant(
        f,
        testTerms({ scopes: [{ doctype: 'bank.transaction', verbs: ['read', 'create'] }] }),
      );
      const body = { passphrase: TEST_PASSPHRASE, confirm: 'delete default' };
      const asGrantee = await f.request('/api/space/delete', { method: 'POST', json: body, token: grant.accessToken });
      expect(asGrantee.status).toBe(403);
      expect((await json(asGrantee)).error.code).toBe('owner_only');
      expect(await f.foyer.spaces.get('default')).not.toBeNull();
      const res = await f.request('/api/space/delete', { method: 'POST', json: body });
      expect(res.status).toBe(200);
      expect(res.headers.getSetCookie().some((c) => /Max-Age=0/i.test(c))).toBe(true);
      const { receipt } = (await res.json()) as { receipt: DeletionReceipt };
      expect(receipt.deleted!.documents['foyer.grant']).toBe(1);
      // The active grant was withdrawn first (its recipient would get its deletion request).
      expect(receipt.grantsWithdrawn).toBe(1);
      expect(await f.foyer.spaces.get('default')).toBeNull();
      expect(existsSync(path.join(f.dataDir, 'spaces', 'default'))).toBe(false);
      expect(existsSync(path.join(f.dataDir, 'files', 'default'))).toBe(false);
    } finally {
      await f.close();
    }
  });
});

/** A file store whose `deletePrefix` fails once when told to: a deletion interrupted midway. */
function interruptible(inner: FileStore): FileStore & { failNext: boolean } {
  const store = {
    ...inner,
    failNext: false,
    async deletePrefix(prefix: string) {
      if (store.failNext) {
        store.failNext = false;
        throw new Error('the process stopped here');
      }
      return inner.deletePrefix(prefix);
    },
  };
  return store;
}

function cliIo(env: NodeJS.ProcessEnv, answers: string[] = []) {
  const out: string[] = [];
  const errors: string[] = [];
  const io: CliIo = {
    out: (t) => out.push(t),
    err: (t) => errors.push(t),
    env,
    ask: async () => answers.shift() ?? '',
    readStdin: async () => '',
    stopSignal: () => new Promise<string>(() => {}),
  };
  return { io, out, errors };
}

describe('an interrupted deletion, run again', () => {
  const freshDir = () => mkdtemp(path.join(os.tmpdir(), 'foyer-deletion-'));

  it('stopped while removing files: the rerun finishes and reports the counts taken before', async () => {
    const dataDir = await freshDir();
    const files = interruptible(createDiskFileStore({ root: path.join(dataDir, 'files') }));
    const f = await startTestFoyer({
      config: { dataDir },
      env: { FOYER_MODE: 'hosted' },
      overrides: { fileStore: files },
    });
    try {
      const space = await fillSpace(f, 'interrupted-files');
      files.failNext = true;
      await expect(f.foyer.spaceDeletion.delete(space.id, 'operator')).rejects.toThrow('the process stopped here');
      expect(await f.foyer.spaces.get(space.id)).not.toBeNull();
      const receipt = await f.foyer.spaceDeletion.delete(space.id, 'operator');
      expect(receipt.resumed).toBe(true);
      expect(receipt.deleted!.documents['bank.transaction']).toBe(1);
      // The counts were taken before the interruption, without the record that keeps them.
      expect(receipt.deleted!.documents['foyer.space-deletion']).toBeUndefined();
      expect(await filesHolding(dataDir, [space.id, ...space.secrets])).toEqual([]);
    } finally {
      await f.close();
    }
  });

  it('stopped after the database file was removed: `foyer space delete` finishes from the command line', async () => {
    const dataDir = await freshDir();
    const env = { FOYER_DATA_DIR: dataDir, FOYER_MODE: 'hosted', FOYER_LOG_LEVEL: 'silent' };
    const f = await startTestFoyer({ config: { dataDir }, env: { FOYER_MODE: 'hosted' } });
    const receiptFile = path.join(os.tmpdir(), `receipt-${randomBytes(4).toString('hex')}.json`);
    try {
      const space = await fillSpace(f, 'interrupted-database');
      // What an interruption between the two steps of the SQLite store's deleteSpace leaves: the
      // space registered, its folder gone.
      await rm(path.join(dataDir, 'spaces', space.id), { recursive: true });

      const refused = cliIo(env, ['delete something else']);
      expect(await main(['space', 'delete', space.id], refused.io)).toBe(1);
      expect(refused.errors.join('\n')).toContain('nothing was deleted');
      const confirmed = cliIo(env, [`delete ${space.id}`]);
      expect(await main(['space', 'delete', space.id, '--receipt', receiptFile], confirmed.io)).toBe(0);
      expect(confirmed.out.join('\n')).toContain('an interrupted deletion, finished');
      const receipt = JSON.parse(await readFile(receiptFile, 'utf8')) as DeletionReceipt;
      expect(receipt).toMatchObject({
        space: space.id,
        resumed: true,
        deleted: null,
        requestedBy: 'operator',
        blobs: 1,
      });
      expect(receipt.sha256).toBe(receiptHash(receipt));
      expect(await filesHolding(dataDir, [space.id, ...space.secrets])).toEqual([]);
      // Nothing left: a third run says so.
      const again = cliIo(env);
      expect(await main(['space', 'delete', space.id, '--yes'], again.io)).toBe(1);
      expect(again.errors.join('\n')).toContain('nothing of it is left');
    } finally {
      await rm(receiptFile, { force: true });
      await f.close();
    }
  });

  it('blobs that landed after the space was removed are swept by a rerun', async () => {
    const dataDir = await freshDir();
    const f = await startTestFoyer({ config: { dataDir }, env: { FOYER_MODE: 'hosted' } });
    try {
      const space = await fillSpace(f, 'late-upload');
      await f.foyer.spaceDeletion.delete(space.id, 'operator');
      // An upload in flight during the deletion, landing after it (straight into the blob folder).
      const blobs = createDiskFileStore({ root: path.join(dataDir, 'files') });
      await blobs.put(`${space.id}/late/1-abc`, Readable.from([Buffer.from(space.secrets[2]!)]), { maxBytes: 1024 });
      await blobs.close();
      const receipt = await f.foyer.spaceDeletion.delete(space.id, 'operator');
      expect(receipt).toMatchObject({ resumed: true, blobs: 1, deleted: null });
      expect(await filesHolding(dataDir, [space.id])).toEqual([]);
    } finally {
      await f.close();
    }
  });
});
