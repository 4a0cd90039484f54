/**
 * Files are encrypted at rest, end to end: a secret uploaded through the API is found nowhere in
 * the data folder or the bucket, and comes back intact through the API; the control runs (with
 * FOYER_ENCRYPT_FILES=false) show the scans would find it.
 */
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../app/config.js';
import { openMasterKeyring } from '../app/create-foyer.js';
import { encodeMasterKey, generateMasterKey } from '../core/keys/master-keyring.js';
import { expectFoyerError } from '../storage/file-store.contract.js';
import { jsonBody as json } from '../testing/json-body.js';
import { startTestS3, type TestS3 } from '../testing/s3.js';
import { startTestFoyer, type TestFoyer } from '../testing/test-foyer.js';

const SECRET = `FOYER-SECRET-${randomBytes(8).toString('hex')}`;

/** 300 KB of noise with the secret at the start, across the first chunk boundary (64 KiB) and at the end. */
function secretFile(): Buffer {
  const body = randomBytes(300_000);
  for (const at of [0, 65_536 - 10, 300_000 - SECRET.length]) body.write(SECRET, at, 'latin1');
  return body;
}

/** Every regular file under `dir`, whatever its depth (databases, WAL files, blobs, keys). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

async function filesHolding(dir: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const file of await filesUnder(dir)) {
    if ((await readFile(file)).includes(Buffer.from(needle, 'latin1'))) found.push(path.relative(dir, file));
  }
  return found;
}

async function uploadAndReadBack(f: TestFoyer, bytes: Buffer): Promise<string> {
  await f.ownerToken();
  const res = await f.request('/api/files?name=statement.pdf', { method: 'POST', body: bytes });
  expect(res.status).toBe(201);
  const file = await json(res);
  expect(file.size).toBe(bytes.length);
  const back = await f.request(`/api/files/${file.id}/content`);
  expect(back.status).toBe(200);
  expect(Buffer.from(await back.arrayBuffer())).toEqual(bytes);
  const ranged = await f.request(`/api/files/${file.id}/content`, { headers: { range: 'bytes=65520-65545' } });
  expect(ranged.status).toBe(206);
  expect(Buffer.from(await ranged.arrayBuffer())).toEqual(bytes.subarray(65_520, 65_546));
  return file.id as string;
}

// Space databases in clear here (they are encrypted by default, see
// database-encryption-at-rest.test.ts): under another master key they would not open at all,
// and this shows what the file layer alone does.
describe('files encrypted at rest on disk', () => {
  const env = { FOYER_DATABASE_CIPHER: 'none' };
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'foyer-at-rest-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('keeps the secret out of every file of the data folder, and serves it back whole and by range', async () => {
    const f = await startTestFoyer({ config: { dataDir }, env });
    try {
      await uploadAndReadBack(f, secretFile());
      expect((await filesUnder(path.join(dataDir, 'files'))).length).toBe(1);
      expect(await filesHolding(dataDir, SECRET)).toEqual([]);
    } finally {
      await f.close();
    }
    const keyFile = path.join(dataDir, 'keys', 'master.key');
    expect(((await stat(keyFile)).mode & 0o777).toString(8)).toBe('600');
  });

  it('reads the file again after a restart, with the key file made at the first start', async () => {
    const f = await startTestFoyer({ config: { dataDir }, env });
    try {
      const list = await json(await f.request('/api/files', { token: await f.ownerToken() }));
      const [file] = list.files as { id: string }[];
      const back = await f.request(`/api/files/${file!.id}/content`);
      expect(back.status).toBe(200);
      expect(Buffer.from(await back.arrayBuffer()).includes(Buffer.from(SECRET))).toBe(true);
    } finally {
      await f.close();
    }
  });

  it('answers 503 unavailable under another master key, and 500 integrity_failed for a tampered blob', async () => {
    const other = await startTestFoyer({
      config: { dataDir },
      env: { ...env, FOYER_MASTER_KEY: encodeMasterKey(generateMasterKey()) },
    });
    let id: string;
    try {
      const list = await json(await other.request('/api/files', { token: await other.ownerToken() }));
      id = (list.files as { id: string }[])[0]!.id;
      const res = await other.request(`/api/files/${id}/content`);
      expect(res.status).toBe(503);
      expect((await json(res)).error.code).toBe('unavailable');
    } finally {
      await other.close();
    }
    const [blob] = await filesUnder(path.join(dataDir, 'files'));
    const bytes = await readFile(blob!);
    bytes[100]! ^= 0xff;
    await writeFile(blob!, bytes);
    const f = await startTestFoyer({ config: { dataDir }, env });
    try {
      await f.ownerToken();
      const res = await f.request(`/api/files/${id}/content`);
      expect(res.status).toBe(500);
      expect((await json(res)).error.code).toBe('integrity_failed');
    } finally {
      await f.close();
    }
  });

  it('control: with FOYER_ENCRYPT_FILES=false the same scan finds the secret', async () => {
    const f = await startTestFoyer({ env: { FOYER_ENCRYPT_FILES: 'false' } });
    try {
      await uploadAndReadBack(f, secretFile());
      expect((await filesHolding(f.dataDir, SECRET)).length).toBe(1);
    } finally {
      await f.close();
    }
  });
});

describe('files encrypted at rest on S3', () => {
  let s3: TestS3;
  let client: S3Client;
  beforeAll(async () => {
    s3 = await startTestS3();
    client = new S3Client({
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
  });
  afterAll(async () => {
    client.destroy();
    await s3.stop();
  });

  const s3Env = (prefix: string, extra: Record<string, string> = {}) => ({
    FOYER_FILES: `s3://${s3.bucket}/${prefix}`,
    FOYER_S3_ENDPOINT: s3.endpoint,
    FOYER_S3_ACCESS_KEY_ID: s3.accessKeyId,
    FOYER_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    ...extra,
  });

  /** Keys of the bucket's objects under `prefix/` that hold `needle`, read through the S3 API. */
  async function objectsHolding(prefix: string, needle: string): Promise<{ objects: number; holding: string[] }> {
    const listed = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `${prefix}/` }));
    const holding: string[] = [];
    for (const { Key } of listed.Contents ?? []) {
      const object = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key }));
      const bytes = Buffer.from(await object.Body!.transformToByteArray());
      if (bytes.includes(Buffer.from(needle, 'latin1'))) holding.push(Key!);
    }
    return { objects: listed.KeyCount ?? 0, holding };
  }

  it('keeps the secret out of every object of the bucket', async () => {
    const f = await startTestFoyer({ env: s3Env('encrypted') });
    try {
      await uploadAndReadBack(f, secretFile());
      expect(await objectsHolding('encrypted', SECRET)).toEqual({ objects: 1, holding: [] });
      expect(await filesHolding(f.dataDir, SECRET)).toEqual([]);
    } finally {
      await f.close();
    }
  });

  it('control: with FOYER_ENCRYPT_FILES=false the same scan finds the secret', async () => {
    const f = await startTestFoyer({ env: s3Env('clear', { FOYER_ENCRYPT_FILES: 'false' }) });
    try {
      await uploadAndReadBack(f, secretFile());
      expect((await objectsHolding('clear', SECRET)).holding).toHaveLength(1);
    } finally {
      await f.close();
    }
  });
});

describe('where the master key must come from', () => {
  it('refuses to start a hosted deployment on PostgreSQL or S3 without a given master key', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'foyer-hosted-key-'));
    try {
      const hosted = { FOYER_MODE: 'hosted', FOYER_DATA_DIR: dataDir };
      for (const env of [
        { ...hosted, FOYER_DATABASE_URL: 'postgres://foyer@db/foyer' },
        { ...hosted, FOYER_FILES: 's3://bucket', FOYER_S3_ENDPOINT: 'http://127.0.0.1:9' },
      ]) {
        const error = await expectFoyerError(() => openMasterKeyring(loadConfig(env)), 'bad_request');
        expect(error.message).toContain('FOYER_MASTER_KEY');
      }
      expect(await readdir(dataDir)).toEqual([]);
      // All in the data folder, hosted or not: the key file is made there.
      const ring = await openMasterKeyring(loadConfig(hosted));
      expect(ring.source).toMatchObject({ kind: 'file', isDefault: true });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
