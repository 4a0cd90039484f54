import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activeGrant, testTerms } from '../../testing/grants.js';
import { linesImporter } from '../../testing/importers.js';
import { startTestFoyer, type TestFoyer } from '../../testing/test-foyer.js';
import { buildZip } from '../../testing/zip-writer.js';

const statement = '#lines\ntx;2024-03-01;-12.5;CB CAFE\ntx;2024-03-02;1500;SALAIRE\nskip;;;\n';

describe('POST /api/imports', () => {
  let t: TestFoyer;

  beforeEach(async () => {
    t = await startTestFoyer({ overrides: { importers: [linesImporter] } });
    await t.ownerToken();
  });
  afterEach(async () => {
    await t.close();
  });

  const upload = (body: string | Uint8Array, query: string, headers: Record<string, string> = {}) =>
    t.request(`/api/imports?${query}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/octet-stream', ...headers },
    });

  async function transactionCount(): Promise<number> {
    const r = await t.request('/api/data/bank.transaction/_find', {
      method: 'POST',
      json: { selector: {}, limit: 10000 },
    });
    return ((await r.json()) as { docs: unknown[] }).docs.length;
  }

  it('previews with dryRun, writing nothing, then imports the same upload', async () => {
    const preview = await upload(statement, 'name=releve.txt&dryRun=true');
    expect(preview.status).toBe(200);
    const body = (await preview.json()) as { files: { status: string; report: Record<string, unknown> }[] };
    expect(body.files[0]).toMatchObject({
      status: 'previewed',
      report: {
        format: { id: 'test-lines' },
        counts: { 'bank.transaction': { created: 2 } },
        warnings: [{ line: 4, message: 'skipped on purpose' }],
      },
    });
    expect(await transactionCount()).toBe(0);

    const done = await upload(statement, 'name=releve.txt');
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ files: [{ status: 'imported' }] });
    expect(await transactionCount()).toBe(2);
    const history = (await (await t.request('/api/imports')).json()) as { imports: { file: string; status: string }[] };
    expect(history.imports).toMatchObject([{ file: 'releve.txt', status: 'imported' }]);
  });

  it('answers a file it cannot import with the error naming the file and line', async () => {
    const r = await upload('#lines\ntx;2024-03-01;-1;OK\ntx;bad;x;NO\n', 'name=bad.txt');
    expect(r.status).toBe(422);
    expect(await r.json()).toMatchObject({ error: { code: 'import_invalid', details: { file: 'bad.txt', line: 3 } } });
    expect(await transactionCount()).toBe(0);
  });

  it('answers 415 for a file no importer reads', async () => {
    const r = await upload('just some words', 'name=notes.txt');
    expect(r.status).toBe(415);
    expect(await r.json()).toMatchObject({ error: { code: 'import_unrecognized' } });
  });

  it('reports per file for a zip archive', async () => {
    const zip = buildZip([
      { name: 'a.txt', data: statement },
      { name: 'b.txt', data: '#lines\ntx;nope;x;BAD\n' },
      { name: 'photo.jpg', data: Buffer.from([0xff, 0xd8, 0xff]) },
    ]);
    const r = await upload(zip, 'name=export.zip');
    expect(r.status).toBe(200);
    const body = (await r.json()) as { files: { file: string; status: string }[] };
    expect(body.files.map((f) => [f.file, f.status])).toEqual([
      ['export.zip/a.txt', 'imported'],
      ['export.zip/b.txt', 'failed'],
      ['export.zip/photo.jpg', 'skipped'],
    ]);
  });

  it('streams progress and the result as server-sent events', async () => {
    const big = `#lines\n${Array.from({ length: 5000 }, (_, i) => `tx;2024-03-01;-${i + 1};SHOP ${i}`).join('\n')}\n`;
    const r = await upload(big, 'name=big.txt', { accept: 'text/event-stream' });
    expect(r.headers.get('content-type')).toContain('text/event-stream');
    const text = await r.text();
    const events = [...text.matchAll(/^event: (.+)$/gm)].map((m) => m[1]);
    expect(events).toContain('progress');
    expect(events.at(-1)).toBe('done');
    const done = JSON.parse(/event: done\ndata: (.+)\n/.exec(text)![1]!) as { files: { status: string }[] };
    expect(done.files[0]!.status).toBe('imported');
    expect(await transactionCount()).toBe(5000);
  });

  it('passes the adjustable options, and refuses malformed ones', async () => {
    const bad = await upload(statement, `name=a.txt&options=${encodeURIComponent('{"dateOrder":"XYZ"}')}`);
    expect(bad.status).toBe(400);
    const notJson = await upload(statement, 'name=a.txt&options=%7Bnope');
    expect(notJson.status).toBe(400);
    const ok = await upload(
      statement,
      `name=a.txt&dryRun=true&options=${encodeURIComponent('{"dateOrder":"DMY","accountId":"acc"}')}`,
    );
    expect(ok.status).toBe(200);
  });

  it('refuses an upload larger than the limit', async () => {
    await t.close();
    t = await startTestFoyer({ config: { maxFileBytes: 1024 }, overrides: { importers: [linesImporter] } });
    await t.ownerToken();
    const r = await upload(`#lines\n${'tx;2024-03-01;-1;A\n'.repeat(200)}`, 'name=big.txt');
    expect(r.status).toBe(413);
    expect(await transactionCount()).toBe(0);
  });

  it('is the owner’s: no credentials get 401, a grantee 403', async () => {
    const anonymous = await t.request('/api/imports?name=a.txt', { method: 'POST', body: statement, token: null });
    expect(anonymous.status).toBe(401);
    const { accessToken } = await activeGrant(
      t,
      testTerms({ scopes: [{ doctype: 'bank.transaction', verbs: ['create', 'read'] }] }),
    );
    const grantee = await t.request('/api/imports?name=a.txt', { method: 'POST', body: statement, token: accessToken });
    expect(grantee.status).toBe(403);
    expect(await transactionCount()).toBe(0);
  });
});
