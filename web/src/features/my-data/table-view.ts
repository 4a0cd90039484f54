/**
 * The rows a table shows: filtered by a text (every word must appear in the row) and sorted by a
 * column, as an index list over the loaded rows. Search texts and sort keys are computed once per
 * row, so filtering 100,000 rows is a loop over short strings, well under a frame budget.
 */
export type SortKey = string | number | null;

export interface TableRows {
  /** Lower-cased text of each row's shown cells, for the filter. */
  search: string[];
  /** Sort keys of a column, computed when first sorted by it. */
  keys: Map<string, SortKey[]>;
}

export function filterRows(search: readonly string[], text: string, within?: Uint32Array): Uint32Array {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  const source = within ?? null;
  const n = source ? source.length : search.length;
  const out = new Uint32Array(n);
  let count = 0;
  for (let k = 0; k < n; k++) {
    const i = source ? source[k]! : k;
    const s = search[i]!;
    let ok = true;
    for (const w of words) {
      if (!s.includes(w)) {
        ok = false;
        break;
      }
    }
    if (ok) out[count++] = i;
  }
  return out.slice(0, count);
}

/** Row indices in the column's order; missing values last. A stable order for equal keys (by index). */
export function sortRows(indices: Uint32Array, keys: readonly SortKey[], direction: 'asc' | 'desc'): Uint32Array {
  const sign = direction === 'asc' ? 1 : -1;
  const out = Uint32Array.from(indices);
  out.sort((a, b) => {
    const x = keys[a]!;
    const y = keys[b]!;
    if (x === y) return a - b;
    if (x === null) return 1;
    if (y === null) return -1;
    return (x < y ? -1 : 1) * sign;
  });
  return out;
}
