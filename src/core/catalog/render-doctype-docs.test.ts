import { readFile, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from './catalog.js';
import { defaultCatalogDir, loadCatalog } from './load-catalog.js';
import { renderDoctypeDocs } from './render-doctype-docs.js';

const catalogDir = defaultCatalogDir();
const docsDir = join(catalogDir, '..', '..', 'docs', 'doctypes');
let catalog: Catalog;
let files: Map<string, string>;

beforeAll(async () => {
  catalog = await loadCatalog(catalogDir);
  files = renderDoctypeDocs(catalog.list(), await readFile(join(dirname(catalogDir), 'conventions.md'), 'utf8'));
});

describe('docs/doctypes', () => {
  it('is up to date with the catalog (run `npm run docs:doctypes` and commit)', async () => {
    const committed = (await readdir(docsDir)).filter((f) => f.endsWith('.md')).sort();
    expect(committed).toEqual([...files.keys()].sort());
    for (const [name, content] of files) expect(await readFile(join(docsDir, name), 'utf8'), name).toBe(content);
  });

  it('indexes every doctype with its titles, sensitivity, retention and version', () => {
    const index = files.get('README.md') ?? '';
    for (const d of catalog.list())
      expect(index).toContain(
        `| [\`${d.name}\`](${d.name}.md) | ${d.kind} | ${d.title.en} | ${d.title.fr} | ${d.sensitivity} | ${d.retention} | ${d.version} |`,
      );
  });

  it('says what each doctype’s retention counts from', () => {
    expect(files.get('bank.transaction.md')).toContain('| Retention | P10Y, counted from `date` |');
    expect(files.get('contact.md')).toContain('| Retention | P10Y, counted from the last update |');
    expect(files.get('water.daily.md')).toContain("| Retention | P10Y, counted from each point's time |");
  });

  it('lists nested fields with type, required flag and French label', () => {
    const page = files.get('bill.md') ?? '';
    expect(page).toContain('| `totalAmount` | number | yes | Montant TTC |');
    expect(page).toContain('| `lines[].taxRate` | number (≥ 0, ≤ 100) |  | Taux de taxe (%) |');
    expect(files.get('insurance.contract.md')).toContain(
      '| `insuredObject.address.city` | string (max length 100) |  | Commune |',
    );
    expect(files.get('energy.contract.md')).toContain('\\|');
  });
});
