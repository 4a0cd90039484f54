/**
 * Fills a space with one customer of the synthetic household (src/holders/household/), through
 * the HTTP API as its owner: documents in batches, series points in batches. File references are
 * left out (no PDFs are uploaded). For `foyer app dev`: an app under development sees realistic data.
 */
import type { Catalog } from '../../core/catalog/catalog.js';
import { createHousehold, holderIds } from '../../holders/household/household.js';
import type { FoyerClient } from '../../sdk/client.js';

const BATCH = 500;

export interface FillSummary {
  /** Records written per doctype. */
  written: Record<string, number>;
  from: string;
  to: string;
}

export async function fillWithHousehold(
  client: FoyerClient,
  catalog: Catalog,
  options: { seed?: string; customer?: string; days?: number; now?: number } = {},
): Promise<FillSummary> {
  const household = createHousehold({ seed: options.seed ?? 'foyer' });
  const customer = options.customer ?? household.customers[0]!.id;
  const window = household.window(options.now ?? Date.now());
  const fromMs = Math.max(Date.parse(window.from), Date.parse(window.to) - (options.days ?? 400) * 86_400_000);
  const range = { from: new Date(fromMs).toISOString().slice(0, 10), to: window.to };
  const written: Record<string, number> = {};
  for (const holder of holderIds) {
    for (const doctype of household.doctypes(customer, holder)) {
      const info = catalog.get(doctype);
      if (!info) continue;
      const rows = household.records(customer, holder, doctype, range).map((r) => {
        const data = { ...r.data };
        for (const field of info.fileFields) delete data[field];
        return info.kind === 'series' ? data : { _id: `${holder}-${r.key}`.replace(/[^A-Za-z0-9_.-]/g, '-'), ...data };
      });
      for (let i = 0; i < rows.length; i += BATCH) {
        const batch = rows.slice(i, i + BATCH);
        if (info.kind === 'series') await client.series(doctype).append(batch);
        else await client.documents(doctype).bulk(batch);
      }
      written[doctype] = (written[doctype] ?? 0) + rows.length;
    }
  }
  return { written, ...range };
}
