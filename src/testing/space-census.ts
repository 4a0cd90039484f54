/**
 * How many documents (or series points) each doctype the importers write holds in a space, read
 * straight from the store: what an import test compares before and after.
 */
import type { Foyer } from '../app/create-foyer.js';
import { DEFAULT_SPACE } from '../core/spaces/space-service.js';

const EVERY_INSTANT = { from: -8.64e15, to: 8.64e15 };
const NO_LIMIT = 1e6;

export async function spaceCensus(foyer: Foyer, space = DEFAULT_SPACE): Promise<Record<string, number>> {
  const store = foyer.documentStore;
  const counts: Record<string, number> = {};
  for (const doctype of new Set((await foyer.imports.importers()).flatMap((i) => i.doctypes))) {
    counts[doctype] =
      foyer.catalog.get(doctype)?.kind === 'series'
        ? (await store.readPoints(space, doctype, EVERY_INSTANT, NO_LIMIT)).length
        : (await store.findDocuments(space, doctype, { selector: null, sort: [], limit: NO_LIMIT })).length;
  }
  return counts;
}
