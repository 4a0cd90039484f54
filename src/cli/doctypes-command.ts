import { defaultCatalogDir, loadCatalog } from '../core/catalog/load-catalog.js';
import type { CliIo } from './cli-io.js';

export async function runDoctypes(io: CliIo, name: string | undefined): Promise<number> {
  const catalog = await loadCatalog(defaultCatalogDir());
  if (name) {
    const d = catalog.get(name);
    if (!d) {
      io.err(`There is no doctype named "${name}". Run "foyer doctypes" for the list.`);
      return 1;
    }
    io.out(JSON.stringify(d.schema, null, 2));
    return 0;
  }
  const rows = catalog.list().map((d) => [d.name, `v${d.version}`, d.kind, d.sensitivity, d.retention, d.title.en]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows)
    io.out(
      r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );
  return 0;
}
