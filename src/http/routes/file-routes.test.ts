import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SPACE } from '../../core/spaces/space-service.js';
import { createDiskFileStore } from '../../storage/disk/disk-file-store.js';
import type { FileStore } from '../../storage/file-store.js';
import { cipherSizeOf } from '../../storage/encrypted/encrypted-blob-format.js';
import { createS3FileStore } from '../../storage/s3/s3-file-store.js';
import { jsonBody as json, type JsonBody } from '../../testing/json-body.js';
import { startTestS3, type TestS3 } from '../../testing/s3.js';
import { startTestFoyer, type TestFoyer } from '../../testing/test-foyer.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Deterministic bytes that do not compress or repeat (a xorshift stream). */
function bytesOf(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Resolves once `condition` holds, checking every 10 ms for at most 5 s. */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited >= 5000) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Where a suite's FileStores come from: a folder on disk, or an S3 bucket served by s3rver. */
interface Backend {
  name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** A fresh, empty store for one Foyer (which closes it). */
  fileStore(): FileStore;
}

function diskBackend(): Backend {
  let root = '';
  let foyers = 0;
  return {
    name: 'disk',
    async start() {
      root = await mkdtemp(path.join(os.tmpdir(), 'foyer-files-'));
    },
    async stop() {
      await rm(root, { recursive: true, force: true });
    },
    fileStore: () => createDiskFileStore({ root: path.join(root, `foyer-${++foyers}`) }),
  };
}

function s3Backend(): Backend {
  let s3: TestS3 | undefined;
  let foyers = 0;
  return {
    name: 's3',
    async start() {
      s3 = await startTestS3();
    },
    async stop() {
      await s3?.stop();
    },
    fileStore() {
      const server = s3!;
      // One prefix per Foyer: listings in one suite never see another's blobs.
      return createS3FileStore({
        endpoint: server.endpoint,
        region: server.region,
        bucket: server.bucket,
        accessKeyId: server.accessKeyId,
        secretAccessKey: server.secretAccessKey,
        forcePathStyle: true,
        prefix: `foyer-${++foyers}`,
      });
    },
  };
}

/**
 * The same store, with counters of the bytes that went into `put` and came out of `get` (how far
 * the client can run ahead of the store shows whether the server streams or buffers), and of the
 * puts that failed.
 */
function countingFileStore(store: FileStore) {
  const counts = { stored: 0, read: 0, failedPuts: 0 };
  async function* counted(content: AsyncIterable<Uint8Array>) {
    for await (const chunk of content) {
      counts.stored += chunk.byteLength;
      yield chunk;
    }
  }
  const counting: FileStore = {
    ...store,
    async put(key, content, options) {
      try {
        return await store.put(key, counted(content), options);
      } catch (e) {
        counts.failedPuts++;
        throw e;
      }
    },
    async get(key, range) {
      const body = await store.get(key, range);
      body.on('data', (chunk: Buffer) => (counts.read += chunk.byteLength));
      return body;
    },
  };
  return { store: counting, counts };
}

for (const backend of [diskBackend(), s3Backend()]) {
  describe(`files over HTTP (${backend.name} FileStore)`, () => {
    beforeAll(() => backend.start());
    afterAll(() => backend.stop());

    const start = async (env: Record<string, string> = {}, fileStore = backend.fileStore()) => {
      const f = await startTestFoyer({ env, overrides: { fileStore } });
      await f.ownerToken();
      return f;
    };

    describe('with the default size limit', () => {
      let f: TestFoyer;
      beforeAll(async () => {
        f = await start();
      });
      afterAll(() => f.close());

      const upload = (
        bytes: Uint8Array | ReadableStream<Uint8Array>,
        query: Record<string, string>,
        headers: Record<string, string> = {},
      ) =>
        f.request(`/api/files?${new URLSearchParams(query)}`, {
          method: 'POST',
          body: bytes,
          headers,
          ...(bytes instanceof ReadableStream ? { duplex: 'half' } : {}),
        } as RequestInit);

      const uploaded = async (bytes: Uint8Array, query: Record<string, string>, type = 'application/pdf') => {
        const res = await upload(bytes, query, { 'content-type': type });
        expect(res.status).toBe(201);
        return json(res);
      };

      const blobs = () => f.foyer.fileStore.list(DEFAULT_SPACE);
      const blobsOf = async (id: string) => (await blobs()).filter((k) => k.startsWith(`${DEFAULT_SPACE}/${id}/`));
      const content = (id: string, headers: Record<string, string> = {}) =>
        f.request(`/api/files/${id}/content`, { headers });

      it('stores an upload with its name, folder and type, and answers its size and SHA-256', async () => {
        const bytes = bytesOf(4096, 7);
        const res = await upload(
          bytes,
          { name: 'facture-2024-03.pdf', folder: '/bills/2024' },
          { 'content-type': 'application/pdf' },
        );
        expect(res.status).toBe(201);
        const file = await json(res);
        expect(file).toMatchObject({
          name: 'facture-2024-03.pdf',
          folder: '/bills/2024',
          type: 'application/pdf',
          size: 4096,
          sha256: sha256(bytes),
        });
        expect(file.id).toMatch(/^[0-9a-f]{32}$/);
        expect(res.headers.get('etag')).toBe(`"${file.rev}"`);
        const meta = await f.request(`/api/files/${file.id}`);
        expect(meta.status).toBe(200);
        expect(await meta.json()).toEqual(file);
        expect(await blobsOf(file.id)).toEqual([`${DEFAULT_SPACE}/${file.id}/${file.rev}`]);
      });

      it('keeps a Content-Type with parameters and falls back to octet-stream without a usable one', async () => {
        const text = await uploaded(
          new TextEncoder().encode('bonjour'),
          { name: 'note.txt' },
          'text/plain; charset=utf-8',
        );
        expect(text.type).toBe('text/plain; charset=utf-8');
        expect(text.folder).toBe('/');
        const none = await upload(bytesOf(10), { name: 'raw.bin' });
        expect((await json(none)).type).toBe('application/octet-stream');
        const junk = await uploaded(bytesOf(10), { name: 'junk.bin' }, 'not a type');
        expect(junk.type).toBe('application/octet-stream');
      });

      it('stores an empty file', async () => {
        const file = await uploaded(new Uint8Array(0), { name: 'empty.txt' }, 'text/plain');
        expect(file).toMatchObject({ size: 0, sha256: sha256(new Uint8Array(0)) });
        const res = await content(file.id);
        expect(res.status).toBe(200);
        expect((await res.arrayBuffer()).byteLength).toBe(0);
      });

      it('downloads the whole content with its type, length and security headers', async () => {
        const bytes = bytesOf(3000, 3);
        const file = await uploaded(bytes, { name: 'scan.pdf' });
        const res = await content(file.id);
        expect(res.status).toBe(200);
        expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
        expect(res.headers.get('content-type')).toBe('application/pdf');
        expect(res.headers.get('content-length')).toBe('3000');
        expect(res.headers.get('accept-ranges')).toBe('bytes');
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('content-security-policy')).toMatch(/(^|;\s*)sandbox(;|$)/);
        expect(res.headers.get('content-disposition')).toBe(
          `attachment; filename="scan.pdf"; filename*=UTF-8''scan.pdf`,
        );
      });

      it('serves an HTML file sandboxed, even inline', async () => {
        const file = await uploaded(
          new TextEncoder().encode('<script>alert(1)</script>'),
          { name: 'page.html' },
          'text/html',
        );
        const res = await f.request(`/api/files/${file.id}/content?disposition=inline`);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-disposition')).toMatch(/^inline; /);
        expect(res.headers.get('content-security-policy')).toMatch(/(^|;\s*)sandbox(;|$)/);
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        await res.arrayBuffer();
      });

      describe('byte ranges', () => {
        const bytes = Uint8Array.from({ length: 100 }, (_, i) => i);
        let id: string;
        beforeAll(async () => {
          id = (await uploaded(bytes, { name: 'hundred.bin' }, 'application/octet-stream')).id as string;
        });

        const expectPart = async (range: string, start: number, end: number) => {
          const res = await content(id, { range });
          expect(res.status).toBe(206);
          expect(res.headers.get('content-range')).toBe(`bytes ${start}-${end}/100`);
          expect(res.headers.get('content-length')).toBe(String(end - start + 1));
          expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes.slice(start, end + 1));
        };

        it('serves the first bytes', () => expectPart('bytes=0-9', 0, 9));
        it('serves from an offset to the end', () => expectPart('bytes=10-', 10, 99));
        it('serves the last bytes (suffix range)', () => expectPart('bytes=-5', 95, 99));
        it('clips an end past the size', () => expectPart('bytes=90-1000', 90, 99));
        it('serves everything for a suffix longer than the file', () => expectPart('bytes=-500', 0, 99));
        it('serves the single last byte', () => expectPart('bytes=99-99', 99, 99));

        it('answers 416 with the size for a range starting at or past the end', async () => {
          for (const range of ['bytes=100-', 'bytes=100-200', 'bytes=5000-6000', 'bytes=99999999999999999999-']) {
            const res = await content(id, { range });
            expect(res.status, range).toBe(416);
            expect(res.headers.get('content-range'), range).toBe('bytes */100');
            expect((await json(res)).error.code).toBe('range_not_satisfiable');
          }
        });

        it('answers 416 to an empty suffix range', async () => {
          const res = await content(id, { range: 'bytes=-0' });
          expect(res.status).toBe(416);
          await res.arrayBuffer();
        });

        it('answers 416 to any range of an empty file', async () => {
          const empty = await uploaded(new Uint8Array(0), { name: 'empty-for-ranges.bin' });
          for (const range of ['bytes=0-0', 'bytes=0-', 'bytes=-5']) {
            const res = await content(empty.id, { range });
            expect(res.status, range).toBe(416);
            expect(res.headers.get('content-range'), range).toBe('bytes */0');
            await res.arrayBuffer();
          }
        });

        it('serves the whole content (200) for several ranges, other units or a malformed range', async () => {
          for (const range of ['bytes=0-1,5-6', 'items=0-9', 'bytes=9-2', 'bytes=abc', 'bytes=-']) {
            const res = await content(id, { range });
            expect(res.status, range).toBe(200);
            expect(res.headers.get('content-range'), range).toBeNull();
            expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
          }
        });
      });

      describe('download file names', () => {
        const disposition = async (name: string) => {
          const file = await uploaded(bytesOf(5), { name });
          expect(file.name).toBe(name);
          const res = await content(file.id);
          await res.arrayBuffer();
          return res.headers.get('content-disposition')!;
        };

        /** `filename="<fallback>"; filename*=UTF-8''<encoded>`, checked against RFC 6266 and RFC 8187. */
        const parts = (header: string) => {
          const m = /^attachment; filename="([^"\\]*)"; filename\*=UTF-8''([A-Za-z0-9!#$&+\-.^_`|~%]*)$/.exec(header);
          expect(m, header).not.toBeNull();
          return { fallback: m![1]!, exact: decodeURIComponent(m![2]!) };
        };

        it('gives quotes, % and non-ASCII an ASCII fallback beside the exact name', async () => {
          const name = 'relevé "mars" 100% final.pdf';
          const { fallback, exact } = parts(await disposition(name));
          expect(exact).toBe(name);
          expect(fallback).toMatch(/^[\x20-\x7e]+$/);
          expect(fallback).toBe('relev_ _mars_ 100_ final.pdf');
        });

        it("percent-encodes the characters RFC 8187 does not allow bare: ' ( ) *", async () => {
          const name = "l'été (copie) *2*.pdf";
          const header = await disposition(name);
          const { exact } = parts(header);
          expect(exact).toBe(name);
        });

        it('keeps non-Latin names exact', async () => {
          const name = '請求書 ✓ 2024.pdf';
          const { fallback, exact } = parts(await disposition(name));
          expect(exact).toBe(name);
          expect(fallback).toBe('___ _ 2024.pdf');
        });
      });

      it('lists the files directly in a folder, by name, and its subfolders', async () => {
        const ids: Record<string, string> = {};
        for (const [name, folder] of [
          ['b.pdf', '/list'],
          ['a.pdf', '/list'],
          ['deep.pdf', '/list/2024/03'],
          ['x.pdf', '/list/2023'],
          ['other.pdf', '/listing'],
          ['sibling.pdf', '/list-other'],
        ] as const) {
          ids[`${folder}/${name}`] = (await uploaded(bytesOf(3), { name, folder })).id as string;
        }
        const res = await f.request('/api/files?folder=/list');
        expect(res.status).toBe(200);
        const listing = await json(res);
        expect(listing.folder).toBe('/list');
        expect(listing.files.map((x: JsonBody) => x.name)).toEqual(['a.pdf', 'b.pdf']);
        expect(listing.files[0].id).toBe(ids['/list/a.pdf']);
        expect(listing.folders).toEqual(['2023', '2024']);

        const deeper = await json(await f.request('/api/files?folder=/list/2024'));
        expect(deeper.files).toEqual([]);
        expect(deeper.folders).toEqual(['03']);

        const root = await json(await f.request('/api/files'));
        expect(root.folder).toBe('/');
        expect(root.folders).toEqual(expect.arrayContaining(['list', 'listing', 'list-other', 'bills']));
        expect(root.folders).toEqual([...root.folders].sort());
        expect(root.files.every((x: JsonBody) => x.folder === '/')).toBe(true);

        const emptyFolder = await json(await f.request('/api/files?folder=/nothing/here'));
        expect(emptyFolder).toEqual({ folder: '/nothing/here', files: [], folders: [] });
      });

      it('refuses to list a folder that is not an absolute path', async () => {
        for (const folder of ['list', '/list/', '/a/../b', '/a//b']) {
          const res = await f.request(`/api/files?${new URLSearchParams({ folder })}`);
          expect(res.status, folder).toBe(400);
          expect((await json(res)).error.code).toBe('invalid_name');
        }
      });

      it('renames and moves a file only with its current revision', async () => {
        const file = await uploaded(bytesOf(20), { name: 'old.pdf', folder: '/moves' });
        const patch = (body: unknown, query = '', headers: Record<string, string> = {}) =>
          f.request(`/api/files/${file.id}${query}`, { method: 'PATCH', json: body, headers });

        const without = await patch({ name: 'new.pdf' });
        expect(without.status).toBe(409);
        expect((await json(without)).error).toMatchObject({
          code: 'conflict',
          details: { currentRev: file.rev },
        });
        const stale = await patch({ name: 'new.pdf' }, '?rev=1-0000000000000000');
        expect(stale.status).toBe(409);
        expect((await json(await f.request(`/api/files/${file.id}`))).name).toBe('old.pdf');

        const renamed = await patch({ name: 'new.pdf' }, `?rev=${file.rev}`);
        expect(renamed.status).toBe(200);
        const r1 = await json(renamed);
        expect(r1).toMatchObject({ name: 'new.pdf', folder: '/moves', size: 20, sha256: file.sha256 });
        expect(r1.rev).toMatch(/^2-/);

        // The revision as If-Match; the previous one is now stale.
        expect((await patch({ folder: '/moved/here' }, `?rev=${file.rev}`)).status).toBe(409);
        const moved = await patch({ folder: '/moved/here' }, '', { 'if-match': `"${r1.rev}"` });
        expect(moved.status).toBe(200);
        const r2 = await json(moved);
        expect(r2).toMatchObject({ name: 'new.pdf', folder: '/moved/here' });

        const listing = await json(await f.request('/api/files?folder=/moved/here'));
        expect(listing.files.map((x: JsonBody) => x.id)).toEqual([file.id]);
        expect((await json(await f.request('/api/files?folder=/moves'))).files).toEqual([]);
        // Metadata changes never touch the content.
        const res = await content(file.id);
        expect(sha256(new Uint8Array(await res.arrayBuffer()))).toBe(file.sha256);
        expect(await blobsOf(file.id)).toEqual([`${DEFAULT_SPACE}/${file.id}/${file.rev}`]);
      });

      it('refuses to rename or move to a bad name, changing nothing', async () => {
        const file = await uploaded(bytesOf(20), { name: 'keep.pdf', folder: '/renames' });
        for (const body of [
          { name: '..' },
          { name: 'a/b' },
          { name: 'x\u0000y' },
          { folder: 'relative' },
          { folder: '/a/../b' },
        ]) {
          const res = await f.request(`/api/files/${file.id}?rev=${file.rev}`, { method: 'PATCH', json: body });
          expect(res.status, JSON.stringify(body)).toBe(400);
          expect((await json(res)).error.code).toBe('invalid_name');
        }
        expect(await (await f.request(`/api/files/${file.id}`)).json()).toEqual(file);
      });

      it('replaces the content with a new revision and removes the old blob', async () => {
        const first = bytesOf(1000, 11);
        const file = await uploaded(first, { name: 'contract.pdf', folder: '/replace' });
        const second = bytesOf(1500, 12);
        const put = (query: string, headers: Record<string, string> = {}) =>
          f.request(`/api/files/${file.id}/content${query}`, { method: 'PUT', body: second, headers });

        expect((await put('')).status).toBe(409);
        expect((await put('?rev=1-0000000000000000')).status).toBe(409);
        expect(await blobsOf(file.id)).toEqual([`${DEFAULT_SPACE}/${file.id}/${file.rev}`]);

        const res = await put(`?rev=${file.rev}`, { 'content-type': 'text/plain' });
        expect(res.status).toBe(200);
        const replaced = await json(res);
        expect(replaced).toMatchObject({
          id: file.id,
          name: 'contract.pdf',
          size: 1500,
          sha256: sha256(second),
          type: 'text/plain',
        });
        expect(replaced.sha256).not.toBe(file.sha256);
        expect(replaced.rev).toMatch(/^2-/);
        expect(replaced.createdAt).toBe(file.createdAt);
        expect(await blobsOf(file.id)).toEqual([`${DEFAULT_SPACE}/${file.id}/${replaced.rev}`]);
        const download = await content(file.id);
        expect(new Uint8Array(await download.arrayBuffer())).toEqual(second);
        expect(download.headers.get('content-type')).toBe('text/plain');

        // Without a Content-Type the stored type stays.
        const again = await f.request(`/api/files/${file.id}/content`, {
          method: 'PUT',
          body: first,
          headers: { 'if-match': `"${replaced.rev}"` },
        });
        expect(again.status).toBe(200);
        expect((await json(again)).type).toBe('text/plain');
      });

      it('lets one of two concurrent changes with the same revision win, leaving no stray blob', async () => {
        const file = await uploaded(bytesOf(100, 1), { name: 'raced.pdf', folder: '/races' });
        const contents = [bytesOf(2000, 2), bytesOf(3000, 3)];
        const responses = await Promise.all(
          contents.map((body) => f.request(`/api/files/${file.id}/content?rev=${file.rev}`, { method: 'PUT', body })),
        );
        expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
        const winner = responses.findIndex((r) => r.status === 200);
        const replaced = await json(responses[winner]!);
        await responses[1 - winner]!.arrayBuffer();
        expect(replaced.sha256).toBe(sha256(contents[winner]!));
        expect(await blobsOf(file.id)).toEqual([`${DEFAULT_SPACE}/${file.id}/${replaced.rev}`]);
        expect(new Uint8Array(await (await content(file.id)).arrayBuffer())).toEqual(contents[winner]);

        const renames = await Promise.all(
          ['one.pdf', 'two.pdf'].map((name) =>
            f.request(`/api/files/${file.id}?rev=${replaced.rev}`, { method: 'PATCH', json: { name } }),
          ),
        );
        expect(renames.map((r) => r.status).sort()).toEqual([200, 409]);
        const renamed = await json(renames.find((r) => r.status === 200)!);
        expect((await json(await f.request(`/api/files/${file.id}`))).name).toBe(renamed.name);
      });

      it('deletes a file with its revision: metadata and blob gone', async () => {
        const file = await uploaded(bytesOf(50), { name: 'gone.pdf', folder: '/deletes' });
        expect((await f.request(`/api/files/${file.id}`, { method: 'DELETE' })).status).toBe(409);
        expect((await f.request(`/api/files/${file.id}?rev=1-0000000000000000`, { method: 'DELETE' })).status).toBe(
          409,
        );
        expect(await blobsOf(file.id)).toHaveLength(1);

        const res = await f.request(`/api/files/${file.id}?rev=${file.rev}`, { method: 'DELETE' });
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ ok: true, id: file.id, rev: expect.stringMatching(/^2-/) });
        const meta = await f.request(`/api/files/${file.id}`);
        expect(meta.status).toBe(404);
        expect((await json(meta)).error.code).toBe('not_found');
        expect((await content(file.id)).status).toBe(404);
        expect(await blobsOf(file.id)).toEqual([]);
        expect((await json(await f.request('/api/files?folder=/deletes'))).files).toEqual([]);
        // A second delete finds nothing.
        expect((await f.request(`/api/files/${file.id}?rev=${file.rev}`, { method: 'DELETE' })).status).toBe(404);
      });

      it('answers 404 for unknown files and 400 for ids that cannot be ids', async () => {
        const missing = '0123456789abcdef0123456789abcdef';
        expect((await f.request(`/api/files/${missing}`)).status).toBe(404);
        expect((await content(missing)).status).toBe(404);
        expect((await f.request(`/api/files/${missing}?rev=1-00`, { method: 'DELETE' })).status).toBe(404);
        const bad = await f.request('/api/files/a..b');
        expect(bad.status).toBe(400);
        expect((await json(bad)).error.code).toBe('invalid_name');
      });

      describe('bad names', () => {
        const badNames = [
          '..',
          '.',
          'a/b',
          'a\\b',
          'nul\u0000byte',
          'bell\u0007',
          'tab\there',
          'del\u007f',
          ' ',
          'é'.repeat(150),
        ];
        const badFolders = [
          'bills',
          'bills/2024',
          '/bills/',
          '/bills/../etc',
          '/..',
          '/./x',
          '//x',
          '/a\u0000b',
          `/${'x'.repeat(300)}`,
        ];

        it('refuses bad names and folders with invalid_name, storing nothing', async () => {
          const before = await blobs();
          const listingBefore = await (await f.request('/api/files')).json();
          const cases = [
            ...badNames.map((name) => ({ name })),
            ...badFolders.map((folder) => ({ name: 'ok.pdf', folder })),
          ];
          for (const query of cases) {
            const res = await upload(bytesOf(100), query, { 'content-type': 'application/pdf' });
            expect(res.status, JSON.stringify(query)).toBe(400);
            const { error } = await json(res);
            expect(error.code, JSON.stringify(query)).toBe('invalid_name');
          }
          expect(await blobs()).toEqual(before);
          expect(await (await f.request('/api/files')).json()).toEqual(listingBefore);
        });

        it('accepts a name of exactly 255 bytes and Unicode names, normalised to NFC', async () => {
          const longest = 'é'.repeat(127) + 'x';
          expect(Buffer.byteLength(longest)).toBe(255);
          expect((await uploaded(bytesOf(1), { name: longest })).name).toBe(longest);
          const decomposed = 'rele\u0301ve\u0301.pdf';
          expect((await uploaded(bytesOf(1), { name: decomposed, folder: '/e\u0301te\u0301' })).name).toBe(
            'rel\u00e9v\u00e9.pdf',
          );
          const listing = await json(await f.request(`/api/files?folder=${encodeURIComponent('/été')}`));
          expect(listing.files.map((x: JsonBody) => x.name)).toEqual(['rel\u00e9v\u00e9.pdf']);
        });
      });

      describe('documents referencing files', () => {
        const bill = (fileId: string) => ({
          vendor: 'EDF',
          vendorCategory: 'energy',
          issueDate: '2024-03-04',
          totalAmount: 187.99,
          currency: 'EUR',
          fileId,
        });

        it('accepts a bill whose fileId is an existing file', async () => {
          const file = await uploaded(bytesOf(300), { name: 'edf-2024-03.pdf', folder: '/bills' });
          const res = await f.request('/api/data/bill', { method: 'POST', json: bill(file.id) });
          expect(res.status).toBe(201);
          const { id } = await json(res);
          expect((await json(await f.request(`/api/data/bill/${id}`))).fileId).toBe(file.id);
        });

        it('refuses a bill whose fileId names no file, or a deleted one, naming the field', async () => {
          const gone = await uploaded(bytesOf(300), { name: 'deleted.pdf', folder: '/bills' });
          expect((await f.request(`/api/files/${gone.id}?rev=${gone.rev}`, { method: 'DELETE' })).status).toBe(200);
          for (const fileId of ['0123456789abcdef0123456789abcdef', gone.id as string]) {
            const res = await f.request('/api/data/bill', { method: 'POST', json: bill(fileId) });
            expect(res.status).toBe(400);
            const { error } = await json(res);
            expect(error.code).toBe('validation_failed');
            expect(error.message).toMatch(/fileId/);
            expect(error.details.issues).toEqual([expect.objectContaining({ path: '/fileId', rule: 'file' })]);
          }
        });
      });

      it('refuses every file operation without authentication, storing nothing', async () => {
        const file = await uploaded(bytesOf(10), { name: 'private.pdf', folder: '/private' });
        const before = await blobs();
        const anonymous = [
          f.request('/api/files?name=x.pdf', { method: 'POST', body: bytesOf(10), token: null }),
          f.request('/api/files', { token: null }),
          f.request(`/api/files/${file.id}`, { token: null }),
          f.request(`/api/files/${file.id}/content`, { token: null }),
          f.request(`/api/files/${file.id}/content?rev=${file.rev}`, { method: 'PUT', body: bytesOf(10), token: null }),
          f.request(`/api/files/${file.id}?rev=${file.rev}`, { method: 'PATCH', json: { name: 'y.pdf' }, token: null }),
          f.request(`/api/files/${file.id}?rev=${file.rev}`, { method: 'DELETE', token: null }),
          f.request(`/api/files/${file.id}`, {
            headers: { authorization: 'Bearer foyer_pat_not-a-real-token' },
            token: null,
          }),
        ];
        for (const res of await Promise.all(anonymous)) {
          expect(res.status).toBe(401);
          expect(['unauthenticated', 'invalid_token']).toContain((await json(res)).error.code);
        }
        expect(await blobs()).toEqual(before);
        expect(await (await f.request(`/api/files/${file.id}`)).json()).toEqual(file);
      });
    });

    describe('streaming', () => {
      const size = 20 * 1024 * 1024;
      let counting: ReturnType<typeof countingFileStore>;
      let f: TestFoyer;
      beforeAll(async () => {
        counting = countingFileStore(backend.fileStore());
        f = await start({}, counting.store);
      });
      afterAll(() => f.close());

      it('streams the upload and the download instead of holding the file in memory', async () => {
        const chunk = 64 * 1024;
        const sent = createHash('sha256');
        let produced = 0;
        let uploadLead = 0;
        // Chunks are made as the request pulls them, so the test itself never holds 20 MB either.
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (produced >= size) return controller.close();
            const bytes = bytesOf(Math.min(chunk, size - produced), produced + 1);
            sent.update(bytes);
            produced += bytes.length;
            uploadLead = Math.max(uploadLead, produced - counting.counts.stored);
            controller.enqueue(bytes);
          },
        });
        const res = await f.request('/api/files?name=big.bin', {
          method: 'POST',
          body,
          duplex: 'half',
          headers: { 'content-type': 'application/octet-stream' },
        } as RequestInit);
        expect(res.status).toBe(201);
        const file = await json(res);
        const expected = sent.digest('hex');
        expect(file).toMatchObject({ size, sha256: expected });
        // The store got the whole file, encrypted at rest (a header, and 28 bytes per 64 KiB chunk).
        expect(counting.counts.stored).toBe(cipherSizeOf(size));

        const download = await f.request(`/api/files/${file.id}/content`);
        expect(download.status).toBe(200);
        expect(download.headers.get('content-length')).toBe(String(size));
        const received = createHash('sha256');
        let consumed = 0;
        let downloadLead = 0;
        for await (const part of download.body as unknown as AsyncIterable<Uint8Array>) {
          received.update(part);
          consumed += part.length;
          downloadLead = Math.max(downloadLead, counting.counts.read - consumed);
          // A slow reader: a server that did not wait for it would read the whole file ahead.
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
        expect(consumed).toBe(size);
        expect(received.digest('hex')).toBe(expected);
        // Socket buffers let either side run a few MB ahead (about 5 MB measured); never the whole file.
        expect(uploadLead).toBeLessThan(size * 0.75);
        expect(downloadLead).toBeLessThan(size * 0.75);
      });

      it('stores nothing when the client gives up halfway through an upload', async () => {
        const before = await f.foyer.fileStore.list(DEFAULT_SPACE);
        const { stored, failedPuts } = counting.counts;
        const abort = new AbortController();
        let produced = 0;
        // 2 MB, then nothing more: the request stays open until the client aborts it.
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (produced >= 2 * 1024 * 1024) return;
            produced += 64 * 1024;
            controller.enqueue(bytesOf(64 * 1024, produced));
          },
        });
        const upload = f
          .request('/api/files?name=abandoned.bin&folder=/abandoned', {
            method: 'POST',
            body,
            duplex: 'half',
            signal: abort.signal,
          } as RequestInit)
          .then(
            () => 'answered',
            () => 'aborted',
          );
        await until(() => counting.counts.stored - stored >= 1024 * 1024);
        abort.abort();
        expect(await upload).toBe('aborted');
        await until(() => counting.counts.failedPuts > failedPuts);
        expect(await f.foyer.fileStore.list(DEFAULT_SPACE)).toEqual(before);
        expect((await json(await f.request('/api/files?folder=/abandoned'))).files).toEqual([]);
        // The server is none the worse for it.
        const next = await f.request('/api/files?name=after.bin', { method: 'POST', body: bytesOf(10) });
        expect(next.status).toBe(201);
      });
    });

    describe('with FOYER_MAX_FILE_BYTES=1000', () => {
      let f: TestFoyer;
      beforeAll(async () => {
        f = await start({ FOYER_MAX_FILE_BYTES: '1000' });
      });
      afterAll(() => f.close());

      const stored = async () => ({
        blobs: await f.foyer.fileStore.list(DEFAULT_SPACE),
        files: (await json(await f.request('/api/files'))).files,
      });

      /** A body without Content-Length (chunked), so only counting the bytes can stop it. */
      const chunked = (length: number) =>
        new ReadableStream<Uint8Array>({
          start(controller) {
            for (let at = 0; at < length; at += 100) controller.enqueue(bytesOf(Math.min(100, length - at), at + 1));
            controller.close();
          },
        });

      it('accepts a file of exactly the limit', async () => {
        const res = await f.request('/api/files?name=limit.bin', { method: 'POST', body: bytesOf(1000) });
        expect(res.status).toBe(201);
        expect((await json(res)).size).toBe(1000);
      });

      it('refuses a larger upload with 413, leaving no blob and no metadata', async () => {
        const before = await stored();
        const declared = await f.request('/api/files?name=big.bin', { method: 'POST', body: bytesOf(1001) });
        expect(declared.status).toBe(413);
        expect((await json(declared)).error.code).toBe('payload_too_large');

        const streamed = await f.request('/api/files?name=big-chunked.bin', {
          method: 'POST',
          body: chunked(5000),
          duplex: 'half',
        } as RequestInit);
        expect(streamed.status).toBe(413);
        expect((await json(streamed)).error.code).toBe('payload_too_large');
        expect(await stored()).toEqual(before);
      });

      it('refuses a larger replacement with 413, keeping the old content', async () => {
        const original = bytesOf(500, 5);
        const file = await json(await f.request('/api/files?name=keep.bin', { method: 'POST', body: original }));
        const before = await stored();
        const res = await f.request(`/api/files/${file.id}/content?rev=${file.rev}`, {
          method: 'PUT',
          body: chunked(3000),
          duplex: 'half',
        } as RequestInit);
        expect(res.status).toBe(413);
        expect(await stored()).toEqual(before);
        expect(await (await f.request(`/api/files/${file.id}`)).json()).toEqual(file);
        const download = await f.request(`/api/files/${file.id}/content`);
        expect(new Uint8Array(await download.arrayBuffer())).toEqual(original);
      });
    });
  });
}
