/**
 * The cost of encrypting files at rest: upload and download throughput of one large file on disk,
 * plain against encrypted, measured twice over:
 *  - at the FileStore (the disk store alone, then wrapped in the encrypted store): the cost itself;
 *  - through the HTTP API of an in-process Foyer (FOYER_ENCRYPT_FILES=false, then true): what a
 *    client sees.
 * Runs alternate plain and encrypted; the table gives the median of each.
 *
 *   npx tsx bench/file-encryption.ts [--size-mb 100] [--runs 3]
 */
import { serve } from '@hono/node-server';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/app/config.js';
import { createFoyer } from '../src/app/create-foyer.js';
import { createSpaceKeys } from '../src/core/keys/space-keys.js';
import { generateMasterKey } from '../src/core/keys/master-keyring.js';
import { systemClock } from '../src/platform/clock.js';
import { createDiskFileStore } from '../src/storage/disk/disk-file-store.js';
import { createEncryptedFileStore } from '../src/storage/encrypted/encrypted-file-store.js';
import type { FileStore } from '../src/storage/file-store.js';
import { createSqliteDocumentStore } from '../src/storage/sqlite/sqlite-document-store.js';

const MB = 1_000_000;
const { values } = parseArgs({ options: { 'size-mb': { type: 'string' }, runs: { type: 'string' } } });
const size = Number(values['size-mb'] ?? 100) * MB;
const runs = Number(values.runs ?? 3);

/** Random-looking bytes, streamed in 1 MiB pieces cut from one random buffer (generating them costs nothing). */
const pool = randomBytes(1024 * 1024 + 4096);
async function* source(): AsyncGenerator<Buffer> {
  for (let sent = 0, i = 0; sent < size; i++) {
    const length = Math.min(1024 * 1024, size - sent);
    const at = (i * 4099) % 4096;
    yield pool.subarray(at, at + length);
    sent += length;
  }
}

async function drain(stream: AsyncIterable<Uint8Array>): Promise<number> {
  let bytes = 0;
  for await (const part of stream) bytes += part.length;
  return bytes;
}

const mbps = (ms: number): number => size / MB / (ms / 1000);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

interface Sample {
  upload: number[];
  download: number[];
}

async function storeRun(encrypted: boolean, sample: Sample): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'foyer-bench-files-'));
  const documents = createSqliteDocumentStore({ dataDir: dir });
  try {
    await documents.createSpace({ id: 'bench', hosts: [], timeZone: 'UTC', createdAt: new Date().toISOString() });
    const disk = createDiskFileStore({ root: path.join(dir, 'files') });
    const store: FileStore = encrypted
      ? createEncryptedFileStore(
          disk,
          createSpaceKeys({
            store: documents,
            keyring: { keys: [generateMasterKey()], source: { kind: 'env' } },
            clock: systemClock,
          }),
        )
      : disk;
    await store.put('bench/warm/1', Readable.from([Buffer.from('warm')]));
    sample.upload.push(mbps(await timed(() => store.put('bench/file/1', source()))));
    sample.download.push(mbps(await timed(async () => drain(await store.get('bench/file/1')))));
  } finally {
    await documents.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function httpRun(encrypted: boolean, sample: Sample): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'foyer-bench-http-'));
  const config = loadConfig({
    FOYER_DATA_DIR: dir,
    FOYER_LOG_LEVEL: 'silent',
    FOYER_ENCRYPT_FILES: String(encrypted),
    FOYER_MAX_FILE_BYTES: String(size * 2),
  });
  const foyer = await createFoyer(config, { passphraseOptions: { memoryCost: 1024, timeCost: 1, parallelism: 1 } });
  const server = serve({ fetch: foyer.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    await foyer.ownerAuth.init('default', 'a benchmark passphrase');
    const { token } = await foyer.ownerAuth.createToken('default', { label: 'bench' });
    const authorization = `Bearer ${token}`;
    let id = '';
    sample.upload.push(
      mbps(
        await timed(async () => {
          const res = await fetch(`${url}/api/files?name=big.bin`, {
            method: 'POST',
            headers: { authorization, 'content-type': 'application/octet-stream' },
            body: ReadableStream.from(source()),
            duplex: 'half',
          } as RequestInit);
          if (res.status !== 201) throw new Error(`upload answered ${res.status}`);
          id = ((await res.json()) as { id: string }).id;
        }),
      ),
    );
    let digest = '';
    sample.download.push(
      mbps(
        await timed(async () => {
          const res = await fetch(`${url}/api/files/${id}/content`, { headers: { authorization } });
          const hash = createHash('sha256');
          for await (const part of res.body as unknown as AsyncIterable<Uint8Array>) hash.update(part);
          digest = hash.digest('hex');
        }),
      ),
    );
    const expected = createHash('sha256');
    for await (const part of source()) expected.update(part);
    if (digest !== expected.digest('hex')) throw new Error('the download differs from the upload');
  } finally {
    server.close();
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    await foyer.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const rows: [string, Sample, Sample][] = [];
  for (const [label, run] of [
    ['FileStore (disk)', storeRun],
    ['HTTP API (disk)', httpRun],
  ] as const) {
    const plain: Sample = { upload: [], download: [] };
    const encrypted: Sample = { upload: [], download: [] };
    for (let i = 0; i < runs; i++) {
      await run(false, plain);
      await run(true, encrypted);
    }
    rows.push([label, plain, encrypted]);
  }
  console.log(
    `${size / MB} MB file, median of ${runs} runs, MB/s (node ${process.version}, ${os.cpus().length} cores)`,
  );
  console.log('| path | direction | plain | encrypted | encrypted / plain |');
  console.log('| --- | --- | ---: | ---: | ---: |');
  for (const [label, plain, encrypted] of rows) {
    for (const direction of ['upload', 'download'] as const) {
      const p = median(plain[direction]);
      const e = median(encrypted[direction]);
      console.log(`| ${label} | ${direction} | ${p.toFixed(0)} | ${e.toFixed(0)} | ${(e / p).toFixed(2)} |`);
    }
  }
}

await main();
