import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportBatch } from '../storage/document-store.js';
import { createImportSpool } from './import-spool.js';

describe('import spool', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'foyer-spool-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const batches: ImportBatch[] = [
    {
      documents: [
        {
          doctype: 'note',
          id: 'a',
          expectedRev: null,
          rev: '1-x',
          deleted: false,
          data: '{"t":"tab\\there"}',
          meta: '{}',
        },
      ],
    },
    {
      doctype: 'location.point',
      points: [
        {
          t: 1_700_000_000_000,
          stream: 'odd\tstream\n"quoted"',
          day: '2023-11-14',
          value: null,
          data: '{"a":"x\\ty\\nz"}',
          grant: null,
        },
        { t: -5, stream: 'default', day: '1969-12-31', value: 1.5e-7, data: '{}', grant: 'g1' },
      ],
    },
  ];

  it('gives back what was pushed, in order, as often as asked', async () => {
    const spool = await createImportSpool(dir, 0);
    for (const b of batches) await spool.push(b);
    expect(spool.size).toBe(2);
    expect([...spool.batches()]).toEqual(batches);
    expect([...spool.batches()]).toEqual(batches);
    await spool.discard();
    expect(await readdir(dir)).toEqual([]);
  });

  it('keeps nothing readable on disk', async () => {
    const spool = await createImportSpool(dir, 0);
    const secret = { doctype: 'note', id: 's', expectedRev: null, rev: '1-y', deleted: false, meta: '{}' };
    await spool.push({ documents: [{ ...secret, data: '{"secret":"Quetzalcoatl-7731"}' }] });
    const [file] = await readdir(dir);
    expect((await readFile(path.join(dir, file!))).includes('Quetzalcoatl')).toBe(false);
    await spool.discard();
  });

  it('keeps small imports in memory, writing no file, and spills to disk past its limit', async () => {
    const small = await createImportSpool(dir);
    for (const b of batches) await small.push(b);
    expect(await readdir(dir)).toEqual([]);
    expect([...small.batches()]).toEqual(batches);
    await small.discard();
    const spilling = await createImportSpool(dir, 400);
    await spilling.push(batches[1]!);
    await spilling.push(batches[0]!);
    expect(await readdir(dir)).toEqual([]);
    await spilling.push(batches[1]!);
    expect(await readdir(dir)).toHaveLength(1);
    expect([...spilling.batches()]).toEqual([batches[1], batches[0], batches[1]]);
    await spilling.discard();
    expect(await readdir(dir)).toEqual([]);
  });

  it('gives back, from disk, documents sharing metadata, nulls, and JSON text with raw whitespace', async () => {
    const spool = await createImportSpool(dir, 0);
    const meta = '{"createdBy":{"kind":"import"}}';
    const run: ImportBatch = {
      documents: [
        { doctype: 'note', id: 'a', expectedRev: null, rev: '1-a', deleted: false, data: '{"n":1}', meta },
        { doctype: 'note', id: 'b', expectedRev: '1-b', rev: '2-b', deleted: false, data: '{"n":"="}', meta },
        { doctype: 'note', id: 'c', expectedRev: '3-c', rev: '4-c', deleted: true, data: null, meta: '{"m":"-"}' },
        { doctype: 'note', id: 'd', expectedRev: null, rev: '1-d', deleted: false, data: '-', meta: '=' },
      ],
    };
    const spaced: ImportBatch = {
      documents: [
        { doctype: 'note', id: 'e', expectedRev: null, rev: '1-e', deleted: false, data: '{\n\t"n": 1\n}', meta },
      ],
    };
    const points: ImportBatch = {
      doctype: 'energy.curve',
      points: [
        { t: 1, stream: 'm1', day: '1970-01-01', value: 2, data: '{"v":2}', grant: null },
        { t: 2, stream: 'm1', day: '1970-01-01', value: null, data: '{}', grant: null },
        { t: 3, stream: '=', day: '1970-01-01', value: 0, data: '{}', grant: 'g' },
      ],
    };
    for (const b of [run, spaced, points]) await spool.push(b);
    expect(await readdir(dir)).toHaveLength(1);
    expect([...spool.batches()]).toEqual([run, spaced, points]);
    await spool.discard();
  });

  it('refuses a spool changed on disk', async () => {
    const spool = await createImportSpool(dir, 0);
    await spool.push(batches[1]!);
    const [file] = await readdir(dir);
    const bytes = await readFile(path.join(dir, file!));
    bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 0xff;
    await writeFile(path.join(dir, file!), bytes);
    expect(() => [...spool.batches()]).toThrow(expect.objectContaining({ code: 'integrity_failed' }));
    await spool.discard();
  });
});
