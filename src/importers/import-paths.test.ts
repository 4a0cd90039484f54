import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestContext } from '../core/principal.js';
import { DEFAULT_SPACE } from '../core/spaces/space-service.js';
import { linesImporter } from '../testing/importers.js';
import { startTestFoyer, type TestFoyer } from '../testing/test-foyer.js';
import { buildZip } from '../testing/zip-writer.js';
import { importPath } from './import-paths.js';

const owner: RequestContext = { space: DEFAULT_SPACE, principal: { kind: 'system', reason: 'test' } };
const good = '#lines\ntx;2024-03-01;-12.5;CB CAFE\nwater;2024-03-01;250\n';
const other = '#lines\ntx;2024-03-02;-3;BOULANGERIE\n';
const broken = '#lines\ntx;2024-03-02;-3;OK\ntx;nope;x;BROKEN\n';

let t: TestFoyer;
let dir: string;

beforeAll(async () => {
  t = await startTestFoyer({ overrides: { importers: [linesImporter] } });
  await t.ownerToken();
  dir = await mkdtemp(path.join(os.tmpdir(), 'foyer-import-paths-'));
});

afterAll(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

async function count(): Promise<number> {
  const r = await t.request('/api/data/bank.transaction/_find', { method: 'POST', json: { selector: {} } });
  return ((await r.json()) as { docs: unknown[] }).docs.length;
}

async function zipFile(name: string, entries: Parameters<typeof buildZip>[0]): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, buildZip(entries));
  return file;
}

describe('importing an archive', () => {
  it('dispatches each file inside, all or nothing per file, skipping what it does not read', async () => {
    const before = await count();
    const file = await zipFile('takeout.zip', [
      { name: 'Takeout/bank/a.txt', data: good },
      { name: 'Takeout/bank/b.txt', data: other, stored: true },
      { name: 'Takeout/bank/broken.txt', data: broken },
      { name: 'Takeout/index.html', data: '<html></html>' },
      { name: 'Takeout/empty-folder/', data: '' },
    ]);
    const outcomes = await importPath(t.foyer.imports, owner, file);
    expect(outcomes.map((o) => [o.file, o.status])).toEqual([
      ['takeout.zip/Takeout/bank/a.txt', 'imported'],
      ['takeout.zip/Takeout/bank/b.txt', 'imported'],
      ['takeout.zip/Takeout/bank/broken.txt', 'failed'],
      ['takeout.zip/Takeout/index.html', 'skipped'],
    ]);
    expect(outcomes[2]!.error).toMatchObject({ code: 'import_invalid', details: { line: 3 } });
    expect(await count()).toBe(before + 2);
  });

  it('previews an archive without writing anything', async () => {
    const before = await count();
    const file = await zipFile('preview.zip', [{ name: 'x.txt', data: '#lines\ntx;2024-04-01;-1;NEW ONE\n' }]);
    const [outcome] = await importPath(t.foyer.imports, owner, file, { dryRun: true });
    expect(outcome).toMatchObject({ status: 'previewed', report: { counts: { 'bank.transaction': { created: 1 } } } });
    expect(await count()).toBe(before);
  });

  const hostile: [string, Parameters<typeof buildZip>[0], RegExp][] = [
    [
      'a name climbing out (zip slip)',
      [
        { name: 'ok.txt', data: good },
        { name: '../../etc/evil.txt', data: good },
      ],
      /climbs out|damaged or hostile/,
    ],
    ['an absolute name', [{ name: '/etc/evil.txt', data: good }], /climbs out|damaged or hostile/],
    ['a symbolic link', [{ name: 'link', data: '/etc/passwd', mode: 0o120777 }], /symbolic link/],
    ['an encrypted entry', [{ name: 'secret.txt', data: good, encrypted: true }], /password/],
    ['a bomb (ratio)', [{ name: 'bomb.txt', data: '0'.repeat(20 * 1024 * 1024) }], /zip bomb/],
  ];
  for (const [what, entries, message] of hostile) {
    it(`refuses an archive with ${what}, importing nothing from it`, async () => {
      const before = await count();
      const file = await zipFile(`hostile-${what.replace(/\W+/g, '-')}.zip`, entries);
      await expect(importPath(t.foyer.imports, owner, file)).rejects.toMatchObject({
        code: 'import_invalid',
        message: expect.stringMatching(message),
      });
      expect(await count()).toBe(before);
    });
  }

  it('stops an entry whose header lies about its size, writing nothing from it', async () => {
    const before = await count();
    const file = await zipFile('liar.zip', [
      { name: 'liar.txt', data: `#lines\n${'tx;2024-05-01;-1;LIAR\n'.repeat(50)}`, declaredSize: 30 },
    ]);
    const [outcome] = await importPath(t.foyer.imports, owner, file);
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'import_invalid' } });
    expect(await count()).toBe(before);
  });

  it('refuses an archive with more files than the limit', async () => {
    const entries = Array.from({ length: 6 }, (_, i) => ({ name: `f${i}.txt`, data: good }));
    const file = await zipFile('many.zip', entries);
    await expect(
      importPath(t.foyer.imports, owner, file, { archiveLimits: { maxEntries: 5, maxTotalBytes: 1e9, maxRatio: 200 } }),
    ).rejects.toMatchObject({ code: 'import_invalid', message: expect.stringContaining('more than 5 files') });
  });

  it('says a truncated or corrupt archive is damaged', async () => {
    const whole = buildZip([{ name: 'a.txt', data: good }]);
    const file = path.join(dir, 'cut.zip');
    await writeFile(file, whole.subarray(0, whole.length - 10));
    await expect(importPath(t.foyer.imports, owner, file)).rejects.toMatchObject({
      code: 'import_invalid',
      message: expect.stringContaining('cut.zip'),
    });
  });

  it('skips an archive nested in the archive, saying why', async () => {
    const inner = buildZip([{ name: 'a.txt', data: good }]);
    const file = await zipFile('nested.zip', [{ name: 'inner.zip', data: inner, stored: true }]);
    const [outcome] = await importPath(t.foyer.imports, owner, file);
    expect(outcome).toMatchObject({ status: 'skipped', error: { message: expect.stringContaining('archive inside') } });
  });
});

describe('importing a folder', () => {
  it('walks it in name order, skips symbolic links and files it does not read', async () => {
    const folder = path.join(dir, 'exports');
    await mkdir(path.join(folder, 'sub'), { recursive: true });
    await writeFile(path.join(folder, 'b.txt'), '#lines\ntx;2024-06-02;-2;FOLDER B\n');
    await writeFile(path.join(folder, 'sub', 'a.txt'), '#lines\ntx;2024-06-01;-1;FOLDER A\n');
    await writeFile(path.join(folder, 'photo.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
    await symlink('/etc/passwd', path.join(folder, 'link.txt'));
    const outcomes = await importPath(t.foyer.imports, owner, folder);
    expect(outcomes.map((o) => [o.file, o.status])).toEqual([
      ['b.txt', 'imported'],
      ['link.txt', 'skipped'],
      ['photo.jpg', 'skipped'],
      ['sub/a.txt', 'imported'],
    ]);
  });

  it('names a path that does not exist', async () => {
    await expect(importPath(t.foyer.imports, owner, path.join(dir, 'nope'))).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
