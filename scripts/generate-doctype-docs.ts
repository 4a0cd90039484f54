/**
 * Writes docs/doctypes/ from catalog/doctypes/: `npm run docs:doctypes`. Removes pages of
 * doctypes that no longer exist. A test fails when the committed pages differ from the output.
 */
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { defaultCatalogDir, loadCatalog } from '../src/core/catalog/load-catalog.js';
import { renderDoctypeDocs } from '../src/core/catalog/render-doctype-docs.js';

const catalogDir = defaultCatalogDir();
const docsDir = join(catalogDir, '..', '..', 'docs', 'doctypes');
const catalog = await loadCatalog(catalogDir);
const conventions = await readFile(join(dirname(catalogDir), 'conventions.md'), 'utf8');
const files = renderDoctypeDocs(catalog.list(), conventions);

await mkdir(docsDir, { recursive: true });
for (const existing of await readdir(docsDir)) {
  if (existing.endsWith('.md') && !files.has(existing)) await rm(join(docsDir, existing));
}
for (const [name, content] of files) await writeFile(join(docsDir, name), content);
console.log(`Wrote ${files.size} files to ${docsDir}`);
