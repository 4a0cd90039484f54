import { describe, expect, it } from 'vitest';
import type { RequestContext } from '../core/principal.js';
import { DEFAULT_SPACE } from '../core/spaces/space-service.js';
import { startTestFoyer, type TestFoyer } from '../testing/test-foyer.js';
import { linesImporter } from '../testing/importers.js';
import type { Importer } from './importer.js';
import type { ByteOpener } from './source/import-source.js';

function file(name: string, text: string): ByteOpener {
  const bytes = Buffer.from(text);
  return {
    name,
    size: bytes.length,
    async *open() {
      yield bytes;
    },
  };
}

async function withFoyer(fn: (t: TestFoyer, owner: RequestContext) => Promise<void>): Promise<void> {
  const t = await startTestFoyer({ overrides: { importers: [linesImporter] } });
  try {
    await t.ownerToken();
    await fn(t, { space: DEFAULT_SPACE, principal: { kind: 'owner', via: 'token', tokenId: 't', label: 'tests' } });
  } finally {
    await t.close();
  }
}

async function transactions(
  t: TestFoyer,
): Promise<{ label: string; amount: number; _meta: Record<string, unknown> }[]> {
  const response = await t.request('/api/data/bank.transaction/_find', {
    method: 'POST',
    json: { selector: {}, meta: true },
  });
  const body = (await response.json()) as { docs: { label: string; amount: number; _meta: Record<string, unknown> }[] };
  return body.docs;
}

const statement =
  '#lines\ntx;2024-03-01;-12.5;CB CAFE\ntx;2024-03-01;-12.5;CB CAFE\ntx;2024-03-02;1500;SALAIRE\nwater;2024-03-01;250\n';

describe('import service', () => {
  it('imports every record with provenance, and says what it did', async () => {
    await withFoyer(async (t, owner) => {
      const report = await t.foyer.imports.run(owner, file('releve.txt', statement));
      expect(report).toMatchObject({
        status: 'imported',
        file: 'releve.txt',
        format: { id: 'test-lines' },
        encoding: 'utf-8',
        records: 4,
        counts: {
          'bank.transaction': { created: 3, updated: 0, unchanged: 0 },
          'water.daily': { points: 1 },
        },
      });
      expect(report.checksum).toMatch(/^[0-9a-f]{64}$/);
      const docs = await transactions(t);
      expect(docs.map((d) => d.label).sort()).toEqual(['CB CAFE', 'CB CAFE', 'SALAIRE']);
      expect(docs[0]!._meta).toMatchObject({
        createdBy: { kind: 'import', id: report.id, importer: 'test-lines' },
        source: { kind: 'import', file: 'releve.txt', checksum: report.checksum, importer: 'test-lines' },
      });
    });
  });

  it('keeps a committed import when the doctype indexes cannot be made after it, and says so', async () => {
    await withFoyer(async (t, owner) => {
      // The indexes are made after the commit: a failure there must not report the import as failed.
      const store = t.foyer.documentStore;
      const ensureIndex = store.ensureIndex.bind(store);
      store.ensureIndex = () => Promise.reject(new Error('disk full'));
      const report = await t.foyer.imports.run(owner, file('releve.txt', statement));
      store.ensureIndex = ensureIndex;
      expect(report.status).toBe('imported');
      expect(report.warnings).toContainEqual({
        message: expect.stringContaining('bank.transaction indexes could not be made now') as unknown,
      });
      expect((await transactions(t)).map((d) => d.label).sort()).toEqual(['CB CAFE', 'CB CAFE', 'SALAIRE']);
    });
  });

  it('creates no duplicates when the same file, or an overlapping later export, is imported again', async () => {
    await withFoyer(async (t, owner) => {
      await t.foyer.imports.run(owner, file('a.txt', statement));
      const again = await t.foyer.imports.run(owner, file('a.txt', statement));
      expect(again.counts['bank.transaction']).toMatchObject({ created: 0, unchanged: 3 });
      const later = '#lines\ntx;2024-03-02;1500;SALAIRE\ntx;2024-03-03;-40;EDF\n';
      const overlap = await t.foyer.imports.run(owner, file('b.txt', later));
      expect(overlap.counts['bank.transaction']).toMatchObject({ created: 1, unchanged: 1 });
      expect(await transactions(t)).toHaveLength(4);
    });
  });

  it('keeps the person’s corrections and deletions when the file is imported again', async () => {
    await withFoyer(async (t, owner) => {
      await t.foyer.imports.run(owner, file('a.txt', statement));
      const docs = (await (
        await t.request('/api/data/bank.transaction/_find', { method: 'POST', json: { selector: {} } })
      ).json()) as { docs: { _id: string; _rev: string; label: string }[] };
      const salary = docs.docs.find((d) => d.label === 'SALAIRE')!;
      const cafe = docs.docs.find((d) => d.label === 'CB CAFE')!;
      const { _id, _rev, ...rest } = salary as Record<string, unknown>;
      delete rest._meta;
      expect(
        (
          await t.request(`/api/data/bank.transaction/${_id as string}`, {
            method: 'PUT',
            json: { ...rest, _rev, category: 'salary' },
          })
        ).status,
      ).toBe(200);
      expect(
        (await t.request(`/api/data/bank.transaction/${cafe._id}?rev=${cafe._rev}`, { method: 'DELETE' })).status,
      ).toBe(200);
      const again = await t.foyer.imports.run(owner, file('a.txt', statement));
      expect(again.counts['bank.transaction']).toMatchObject({ created: 0, kept: 1, deleted: 1, unchanged: 1 });
      const after = await transactions(t);
      expect(after).toHaveLength(2);
      expect(after.find((d) => d.label === 'SALAIRE')).toMatchObject({ category: 'salary' });
    });
  });

  it('updates what an earlier import wrote when a later file changes it', async () => {
    await withFoyer(async (t, owner) => {
      const keyed: Importer = {
        ...linesImporter,
        id: 'keyed',
        async *parse(source) {
          for await (const { n, text } of source.lines()) {
            if (n === 1) continue;
            const [id, amount] = text.split(';');
            const data = {
              date: '2024-03-01T00:00:00Z',
              label: 'X',
              amount: Number(amount),
              currency: 'EUR',
              accountId: 'a',
            };
            yield { kind: 'document', doctype: 'bank.transaction', key: `id:${id}`, data, line: n };
          }
        },
      };
      const t2 = await startTestFoyer({ overrides: { importers: [keyed] } });
      try {
        await t2.ownerToken();
        await t2.foyer.imports.run(owner, file('a', '#lines\n1;-10'));
        const r = await t2.foyer.imports.run(owner, file('b', '#lines\n1;-11'));
        expect(r.counts['bank.transaction']).toMatchObject({ updated: 1 });
        expect((await transactions(t2)).map((d) => d.amount)).toEqual([-11]);
      } finally {
        await t2.close();
      }
      void t;
    });
  });

  it('writes nothing from a file that fails midway, and names the file and line', async () => {
    await withFoyer(async (t, owner) => {
      const rows = Array.from({ length: 3000 }, (_, i) => `tx;2024-03-01;-${i + 1};SHOP ${i}`).join('\n');
      const broken = `#lines\n${rows}\nwater;2024-03-01;250\ntx;2024-13-45;x;BROKEN\n`;
      await expect(t.foyer.imports.run(owner, file('broken.txt', broken))).rejects.toMatchObject({
        code: 'import_invalid',
        message: expect.stringContaining('broken.txt, line 3003'),
        details: { file: 'broken.txt', line: 3003 },
      });
      expect(await transactions(t)).toEqual([]);
      const points = await (await t.request('/api/series/water.daily')).json();
      expect(points).toEqual({ points: [] });
      const [failed] = await t.foyer.imports.list(owner);
      expect(failed).toMatchObject({ status: 'failed', file: 'broken.txt', error: { code: 'import_invalid' } });
    });
  });

  it('refuses a record that does not fit its doctype, writing nothing', async () => {
    await withFoyer(async (t, owner) => {
      await expect(t.foyer.imports.run(owner, file('x.txt', '#lines\ntx;2024-03-01;-1;\n'))).rejects.toMatchObject({
        code: 'import_invalid',
        details: { line: 2 },
      });
      expect(await transactions(t)).toEqual([]);
    });
  });

  it('previews without writing: counts, sample, warnings with their lines', async () => {
    await withFoyer(async (t, owner) => {
      const preview = await t.foyer.imports.preview(owner, file('p.txt', `${statement}skip;;;\n`));
      expect(preview).toMatchObject({
        status: 'previewed',
        counts: { 'bank.transaction': { created: 3 } },
        warnings: [{ line: 6, message: 'skipped on purpose' }],
        warningCount: 1,
      });
      expect(preview.sample['bank.transaction']).toHaveLength(3);
      expect(await transactions(t)).toEqual([]);
      expect(await t.foyer.imports.list(owner)).toEqual([]);
    });
  });

  it('says clearly when no importer recognises a file', async () => {
    await withFoyer(async (t, owner) => {
      await expect(t.foyer.imports.preview(owner, file('notes.txt', 'hello'))).rejects.toMatchObject({
        code: 'import_unrecognized',
        message: expect.stringContaining('notes.txt'),
      });
    });
  });

  it('refuses a file larger than the limit, even when its size was not announced', async () => {
    const t = await startTestFoyer({ config: { maxFileBytes: 64 * 1024 }, overrides: { importers: [linesImporter] } });
    try {
      const owner: RequestContext = { space: DEFAULT_SPACE, principal: { kind: 'system', reason: 'test' } };
      const big = `#lines\n${'tx;2024-03-01;-1;A\n'.repeat(5000)}`;
      await expect(t.foyer.imports.run(owner, file('big.txt', big))).rejects.toMatchObject({
        code: 'payload_too_large',
      });
      await expect(t.foyer.imports.run(owner, { ...file('big.txt', big), size: null })).rejects.toMatchObject({
        code: 'payload_too_large',
      });
    } finally {
      await t.close();
    }
  });

  it('writes one ledger entry per doctype and verb, as the import', async () => {
    await withFoyer(async (t, owner) => {
      const report = await t.foyer.imports.run(owner, file('a.txt', statement));
      const response = await t.request('/api/ledger?grantee=import');
      const body = (await response.json()) as { entries: Record<string, unknown>[] };
      expect(body.entries.map((e) => [e.actorKind, e.actorId, e.verb, e.doctype, e.count, e.outcome]).sort()).toEqual([
        ['import', report.id, 'create', 'bank.transaction', 3, 'allowed'],
        ['import', report.id, 'create', 'water.daily', 1, 'allowed'],
      ]);
    });
  });

  it('saves the mapping of a successful import and applies it to the next file of the same layout', async () => {
    const mapped: Importer = {
      id: 'mapped',
      title: 'Mapped',
      doctypes: ['bank.transaction'],
      detect: (sample) => (sample.text.startsWith('#mapped') ? 1 : 0),
      presetKey: async (source) => source.sample.text.split('\n')[0] ?? null,
      describe: async (_source, ctx) => ({ mapping: ctx.options.csvMapping ?? { label: 1 } }),
      async *parse(source, ctx) {
        const column = Number((ctx.options.csvMapping as { label?: number } | undefined)?.label ?? 1);
        for await (const { n, text } of source.lines()) {
          if (n === 1) continue;
          const cells = text.split(';');
          const data = {
            date: '2024-03-01T00:00:00Z',
            label: cells[column]!,
            amount: -1,
            currency: 'EUR',
            accountId: 'a',
          };
          yield { kind: 'document', doctype: 'bank.transaction', key: `k${n}:${cells[column]}`, data, line: n };
        }
      },
    };
    const t = await startTestFoyer({ overrides: { importers: [mapped] } });
    try {
      const owner: RequestContext = { space: DEFAULT_SPACE, principal: { kind: 'system', reason: 'test' } };
      const layout = '#mapped;a;b\n';
      const guessed = await t.foyer.imports.preview(owner, file('1.csv', `${layout}x;WRONG;RIGHT\n`));
      expect(guessed.sample['bank.transaction']).toMatchObject([{ label: 'WRONG' }]);
      await t.foyer.imports.run(owner, file('1.csv', `${layout}x;WRONG;RIGHT\n`), {
        options: { csvMapping: { label: 2 } },
      });
      const next = await t.foyer.imports.preview(owner, file('2.csv', `${layout}y;NO;YES\n`));
      expect(next.sample['bank.transaction']).toMatchObject([{ label: 'YES' }]);
      expect(next.details).toMatchObject({ preset: 'applied', mapping: { label: 2 } });
      const otherLayout = await t.foyer.imports.preview(owner, file('3.csv', '#mapped;other\nz;NO;YES\n'));
      expect(otherLayout.sample['bank.transaction']).toMatchObject([{ label: 'NO' }]);
    } finally {
      await t.close();
    }
  });

  it('lets only the owner import', async () => {
    await withFoyer(async (t) => {
      const anonymous: RequestContext = { space: DEFAULT_SPACE, principal: null };
      await expect(t.foyer.imports.run(anonymous, file('a.txt', statement))).rejects.toMatchObject({
        code: 'owner_only',
      });
      expect(await transactions(t)).toEqual([]);
    });
  });
});
