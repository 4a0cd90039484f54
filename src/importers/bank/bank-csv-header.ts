/**
 * Column names compared the way people read them: `Libellé`, `LIBELLE` and `libellé_` are one
 * name; and the header signature under which a corrected mapping (a preset) is saved and found
 * again for the next file of the same layout.
 */
import { createHash } from 'node:crypto';

/** `Date de l'opération` -> `date de l operation`; `Montant(EUROS)` -> `montant euros`. */
export function normalizeHeader(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The header without the empty cells a trailing delimiter leaves. */
export function trimHeader(cells: readonly string[]): string[] {
  let end = cells.length;
  while (end > 0 && cells[end - 1]!.trim() === '') end--;
  return cells.slice(0, end);
}

/**
 * A stable signature of a CSV layout: the normalised column names, in order (`csv1:` and 24 hex
 * digits of their SHA-256). Case, accents, punctuation and a trailing delimiter do not change it;
 * another column, or the same columns in another order, does. A file without a header row is
 * known by its delimiter and column count alone (`csv1:none:;:6`).
 */
export function headerSignatureOf(header: readonly string[] | null, delimiter: string, columnCount: number): string {
  if (header === null) return `csv1:none:${delimiter === '\t' ? 'tab' : delimiter}:${columnCount}`;
  const names = trimHeader(header).map(normalizeHeader).join('\u001f');
  return `csv1:${createHash('sha256').update(names).digest('hex').slice(0, 24)}`;
}
