import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../app/config.js';
import { createFoyer } from '../app/create-foyer.js';
import { buildZip } from '../testing/zip-writer.js';
import type { CliIo } from './cli-io.js';
import { main } from './main.js';

const fixture = (name: string) => path.join(import.meta.dirname, '../importers/bank/fixtures', name);

describe('foyer import', () => {
  let dataDir: string;
  let work: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'foyer-cli-import-'));
    work = await mkdtemp(path.join(os.tmpdir(), 'foyer-cli-import-files-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  async function run(argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const progress: string[] = [];
    const io: CliIo = {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      progress: (t) => progress.push(t),
      env: { FOYER_DATA_DIR: dataDir, FOYER_LOG_LEVEL: 'silent' },
      ask: () => Promise.reject(new Error('no prompt expected')),
      readStdin: async () => '',
      stopSignal: () => new Promise(() => {}),
    };
    const code = await main(argv, io);
    return { code, out: out.join('\n'), err: err.join('\n'), progress };
  }

  it('previews a statement with --dry-run --json and writes nothing', async () => {
    const preview = await run(['import', '--dry-run', '--json', fixture('ofx-102-sgml-fr.ofx')]);
    expect(preview.err).toBe('');
    expect(preview.code).toBe(0);
    const [file] = JSON.parse(preview.out) as Record<string, unknown>[];
    expect(file).toMatchObject({ status: 'previewed', format: 'ofx', encoding: expect.any(String) });
    const counts = file!.counts as Record<string, { created: number }>;
    expect(counts['bank.transaction']!.created).toBeGreaterThan(0);
    // Nothing was written: the same preview still counts every line as new.
    const again = JSON.parse((await run(['import', '--dry-run', '--json', fixture('ofx-102-sgml-fr.ofx')])).out) as {
      counts: Record<string, { created: number }>;
    }[];
    expect(again[0]!.counts['bank.transaction']!.created).toBe(counts['bank.transaction']!.created);
  });

  it('imports, then finds everything already there on a second run, with a summary table', async () => {
    const first = await run(['import', fixture('ofx-102-sgml-fr.ofx')]);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/file\s+status\s+format\s+doctype\s+new/);
    expect(first.out).toMatch(/Done: 1 file\(s\) imported, 0 failed, 0 skipped\./);
    expect(first.progress.some((p) => p.includes('records'))).toBe(true);
    const second = await run(['import', '--json', fixture('ofx-102-sgml-fr.ofx')]);
    const [report] = JSON.parse(second.out) as { counts: Record<string, { created: number; unchanged: number }> }[];
    expect(report!.counts['bank.transaction']).toMatchObject({ created: 0 });
    expect(report!.counts['bank.transaction']!.unchanged).toBeGreaterThan(0);
  });

  it('writes a plain file through the gate as its import, in a space the whole Foyer reads', async () => {
    // A plain file runs on the import's own start-up (create-import-foyer.ts), not the server's.
    const first = await run(['import', '--json', fixture('ofx-102-sgml-fr.ofx')]);
    expect(first.code).toBe(0);
    const [report] = JSON.parse(first.out) as { counts: Record<string, { created: number }> }[];
    const created = report!.counts['bank.transaction']!.created;
    expect(created).toBeGreaterThan(0);
    const foyer = await createFoyer({ ...loadConfig({ FOYER_DATA_DIR: dataDir }), logLevel: 'silent' });
    try {
      const ledger = await foyer.documentStore.readLedger('default', {}, 100);
      expect(ledger).toContainEqual(
        expect.objectContaining({ actorKind: 'import', verb: 'create', doctype: 'bank.transaction', count: created }),
      );
      const found = await foyer.documentStore.findDocuments('default', 'bank.transaction', {
        selector: null,
        sort: [],
        limit: 1000,
      });
      expect(found).toHaveLength(created);
      expect(JSON.parse(found[0]!.meta)).toMatchObject({ createdBy: { kind: 'import' } });
    } finally {
      await foyer.close();
    }
  });

  it('exits non-zero with a clear error for a file it does not recognise or cannot parse', async () => {
    const junk = path.join(work, 'notes.txt');
    await writeFile(junk, 'nothing to see here');
    const unknown = await run(['import', '--dry-run', junk]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('notes.txt: Foyer does not recognise');
    const truncated = path.join(work, 'cut.ofx');
    const { readFile } = await import('node:fs/promises');
    const whole = await readFile(fixture('ofx-211-xml-us.ofx'), 'utf8');
    await writeFile(truncated, whole.slice(0, Math.floor(whole.length * 0.6)));
    const cut = await run(['import', '--dry-run', '--json', truncated]);
    expect(cut.code).toBe(1);
    expect(JSON.parse(cut.out)).toMatchObject([
      { file: 'cut.ofx', status: 'failed', error: { code: 'import_invalid' } },
    ]);
  });

  it('imports a zip archive file by file, skipping what it does not read', async () => {
    const { readFile } = await import('node:fs/promises');
    const zip = path.join(work, 'export.zip');
    await writeFile(
      zip,
      buildZip([
        { name: 'bank/releve.ofx', data: await readFile(fixture('ofx-102-sgml-fr.ofx')) },
        { name: 'bank/cb.qif', data: await readFile(fixture('qif-ccard-fr.qif')) },
        { name: 'README.html', data: '<p>hello</p>' },
      ]),
    );
    const r = await run(['import', '--json', zip]);
    expect(r.code).toBe(0);
    const files = JSON.parse(r.out) as { file: string; status: string }[];
    expect(files.map((f) => [f.file, f.status])).toEqual([
      ['export.zip/bank/releve.ofx', 'imported'],
      ['export.zip/bank/cb.qif', 'imported'],
      ['export.zip/README.html', 'skipped'],
    ]);
  });

  it('refuses a bad --date-order and a missing path', async () => {
    expect((await run(['import', '--date-order', 'XYZ', fixture('qif-ccard-fr.qif')])).code).toBe(2);
    expect((await run(['import'])).code).toBe(2);
    const missing = await run(['import', path.join(work, 'nope.ofx')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('no such file');
  });
});
