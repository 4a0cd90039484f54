import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  expectFoyerError,
  failureOf,
  fileStoreContract,
  patternSource,
  pausePoint,
  readAll,
} from '../file-store.contract.js';
import type { FileStore } from '../file-store.js';
import { createDiskFileStore } from './disk-file-store.js';

fileStoreContract('disk', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'foyer-disk-store-'));
  return {
    store: createDiskFileStore({ root: join(dir, 'files') }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

/** Every path under `dir`, relative to it, folders included. */
async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.map((entry) => entry.split('\\').join('/')).sort();
}

describe('disk FileStore', () => {
  let dir: string;
  let root: string;
  let store: FileStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'foyer-disk-store-'));
    root = join(dir, 'files');
    store = createDiskFileStore({ root });
  });

  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lays a key out as <root>/<space>/<file id>/<revision> and writes nothing outside the root', async () => {
    await mkdir(join(dir, 'outside'));
    await store.put('space-1/file-a/3', Readable.from([Buffer.from('hello')]));
    await expectFoyerError(() => store.put('../outside/x', Readable.from([Buffer.from('no')])), 'invalid_name');
    await expectFoyerError(
      () => store.put('space-1/../../outside', Readable.from([Buffer.from('no')])),
      'invalid_name',
    );
    await expectFoyerError(() => store.deletePrefix('..'), 'invalid_name');
    expect(await readFile(join(root, 'space-1', 'file-a', '3'), 'utf8')).toBe('hello');
    expect(await tree(dir)).toEqual([
      'files',
      'files/space-1',
      'files/space-1/file-a',
      'files/space-1/file-a/3',
      'outside',
    ]);
  });

  it('makes folders 0700 and files 0600', async () => {
    await store.put('space-1/file-a/1', Readable.from([Buffer.from('secret')]));
    for (const folder of [root, join(root, 'space-1'), join(root, 'space-1', 'file-a')]) {
      expect(((await stat(folder)).mode & 0o777).toString(8)).toBe('700');
    }
    expect(((await stat(join(root, 'space-1', 'file-a', '1'))).mode & 0o777).toString(8)).toBe('600');
  });

  it('writes to a hidden temporary file beside the target while streaming', async () => {
    const pause = pausePoint();
    const putting = store.put('space-1/file-a/1', patternSource(20_000_000, { pauseAt: 16_000_000, pause }));
    await pause.reached;
    const entries = await readdir(join(root, 'space-1', 'file-a'));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatch(/^\.1\.[0-9a-f]{16}\.tmp$/);
    // Bytes are on disk already: the store streams rather than holding the upload in memory.
    expect((await stat(join(root, 'space-1', 'file-a', entries[0] ?? ''))).size).toBeGreaterThan(10_000_000);
    pause.resume();
    await putting;
    expect(await readdir(join(root, 'space-1', 'file-a'))).toEqual(['1']);
  });

  it('removes the temporary file when the source fails or exceeds maxBytes', async () => {
    await store.put('space-1/file-a/1', Readable.from([Buffer.from('old')]));
    await failureOf(() => store.put('space-1/file-a/1', patternSource(3_000_000, { failAt: 2_000_000 })));
    await expectFoyerError(
      () => store.put('space-1/file-a/2', patternSource(3_000_000), { maxBytes: 1_000_000 }),
      'payload_too_large',
    );
    expect(await tree(root)).toEqual(['space-1', 'space-1/file-a', 'space-1/file-a/1']);
  });

  it('skips leftover temporary files when listing', async () => {
    await store.put('space-1/file-a/1', Readable.from([Buffer.from('x')]));
    // As a crash mid-upload would leave it.
    await writeFile(join(root, 'space-1', 'file-a', '.2.0123456789abcdef.tmp'), 'partial');
    expect(await store.list('space-1')).toEqual(['space-1/file-a/1']);
    expect(await store.stat('space-1/file-a/2')).toBeNull();
  });

  it('removes the folder of a file once its last revision is deleted, and can write there again', async () => {
    await store.put('space-1/file-a/1', Readable.from([Buffer.from('one')]));
    await store.put('space-1/file-a/2', Readable.from([Buffer.from('two')]));
    await store.delete('space-1/file-a/1');
    expect(await tree(root)).toEqual(['space-1', 'space-1/file-a', 'space-1/file-a/2']);
    await store.delete('space-1/file-a/2');
    expect(await tree(root)).toEqual(['space-1']);
    await store.put('space-1/file-a/3', Readable.from([Buffer.from('three')]));
    expect(await readAll(await store.get('space-1/file-a/3'))).toEqual(Buffer.from('three'));
  });

  it('removes the whole folder of a deleted space', async () => {
    await store.put('space-1/file-a/1', Readable.from([Buffer.from('one')]));
    await store.put('space-10/file-a/1', Readable.from([Buffer.from('ten')]));
    await store.deletePrefix('space-1');
    expect(await tree(root)).toEqual(['space-10', 'space-10/file-a', 'space-10/file-a/1']);
  });

  it('answers not_found for a key whose path is a folder', async () => {
    await mkdir(join(root, 'space-1', 'file-a', '1'), { recursive: true });
    await expectFoyerError(() => store.get('space-1/file-a/1'), 'not_found');
    expect(await store.stat('space-1/file-a/1')).toBeNull();
  });

  it('fails with internal, without the path in the message, when the root is not a folder', async () => {
    await writeFile(root, 'not a folder');
    const error = await expectFoyerError(
      () => store.put('space-1/file-a/1', Readable.from([Buffer.from('x')])),
      'internal',
    );
    expect(error.message).not.toContain(dir);
    expect(error.message).not.toMatch(/ENOTDIR|EEXIST/);
    expect(await readFile(root, 'utf8')).toBe('not a folder');
  });

  it('reads a missing root as empty', async () => {
    expect(await store.list('space-1')).toEqual([]);
    expect(await store.stat('space-1/file-a/1')).toBeNull();
    await store.delete('space-1/file-a/1');
    await store.deletePrefix('space-1');
    await expectFoyerError(() => store.get('space-1/file-a/1'), 'not_found');
  });
});
