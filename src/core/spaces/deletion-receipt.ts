/**
 * The receipt of a space's deletion: what was removed (counts per doctype, points, ledger entries,
 * files and their bytes, blobs, hosts, the database key), when, at whose request, and a SHA-256 of
 * all of it. It names no data value: only the space id, counts and times. It is returned to the
 * caller and never kept by Foyer (a copy on the server would itself be a trace of the space); the
 * person keeps it (`foyer space delete --receipt FILE`, or the API's answer). See docs/leaving.md.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../importers/canonical-json.js';

export const RECEIPT_KIND = 'foyer.space-deletion-receipt';

export interface DeletedCounts {
  /** Live documents per doctype: catalog doctypes and Foyer's internal `foyer.*` records (vault, keys, grants, tokens, sessions...). */
  documents: Record<string, number>;
  /** Tombstones (deleted documents kept for sync clients), all doctypes together. */
  tombstones: number;
  /** Series points per doctype. */
  points: Record<string, number>;
  ledgerEntries: number;
  /** Files (their `foyer.file` records) and the bytes of their contents. */
  files: number;
  fileBytes: number;
  /** Host names that routed to the space. */
  hosts: number;
  /** The space's database file key, wrapped in the registry (SQLite only). */
  databaseKey: boolean;
}

export interface DeletionReceipt {
  kind: typeof RECEIPT_KIND;
  version: 1;
  space: string;
  spaceCreatedAt: string | null;
  timeZone: string | null;
  requestedBy: 'owner' | 'operator';
  requestedAt: string;
  completedAt: string;
  foyerVersion: string;
  storage: { documents: string; files: string };
  /**
   * Null when they could not be counted: the deletion was resumed after an interruption that had
   * already removed the space's database (its counts went with it).
   */
  deleted: DeletedCounts | null;
  /** Grants this run withdrew first (recipients outside the space were sent their deletion request). */
  grantsWithdrawn: number;
  /** Objects this run removed from the file store under the space's prefix (contents, leftovers). */
  blobs: number;
  /** The last entry of the deleted access ledger: which chain ended here. */
  ledgerHead: { seq: number; hash: string } | null;
  /** True when this run finished a deletion an earlier, interrupted run had started. */
  resumed: boolean;
  /** SHA-256 of the canonical JSON of every other field. */
  sha256: string;
}

export function sealReceipt(receipt: Omit<DeletionReceipt, 'sha256'>): DeletionReceipt {
  return { ...receipt, sha256: receiptHash(receipt) };
}

/** The receipt's hash, recomputed: equal to `receipt.sha256` when nothing was changed. */
export function receiptHash(receipt: Omit<DeletionReceipt, 'sha256'> & { sha256?: string }): string {
  const { sha256: _ignored, ...rest } = receipt;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

/** The receipt for people: one line per kind of data. */
export function formatReceipt(r: DeletionReceipt): string {
  const lines = [
    `Space "${r.space}" deleted ${r.completedAt}${r.resumed ? ' (an interrupted deletion, finished)' : ''}.`,
  ];
  const d = r.deleted;
  if (d === null) {
    lines.push('Counts: unknown (the database was already removed by the interrupted run).');
  } else {
    const docs = Object.entries(d.documents);
    lines.push(`Documents: ${docs.reduce((n, [, c]) => n + c, 0)} (${d.tombstones} tombstones)`);
    for (const [doctype, n] of docs) lines.push(`  ${doctype}: ${n}`);
    for (const [doctype, n] of Object.entries(d.points)) lines.push(`Series points ${doctype}: ${n}`);
    lines.push(`Ledger entries: ${d.ledgerEntries}`);
    lines.push(`Files: ${d.files} (${d.fileBytes} bytes)`);
    lines.push(`Host names: ${d.hosts}, database key: ${d.databaseKey ? 'destroyed' : 'none'}`);
  }
  lines.push(`Grants withdrawn first: ${r.grantsWithdrawn}`);
  lines.push(`Objects removed from the file store: ${r.blobs}`);
  if (r.ledgerHead) lines.push(`Ledger head: #${r.ledgerHead.seq} ${r.ledgerHead.hash}`);
  lines.push(`Receipt SHA-256: ${r.sha256}`);
  return lines.join('\n');
}
