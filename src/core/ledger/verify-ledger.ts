/**
 * Verifies a space's access ledger against its own hash chain and the head recorded apart from
 * the entries, and says which entries were edited, removed or reordered.
 *
 * Every entry carries the hash of the one before (`prevHash`) and its own hash over
 * `(prevHash, seq, body)`. So, entry by entry:
 *  - a gap in seq: entries were removed (`missing`);
 *  - an entry whose content does not give its stored hash was changed after it was written
 *    (`edited`), unless its content gives that hash at another position that is out of order or
 *    missing: it was moved there (`reordered`);
 *  - an entry chained on a hash other than its predecessor's, both being consistent: the
 *    predecessor was replaced by an entry hashed anew (`relinked`);
 *  - fewer entries than the head recorded: the tail was cut (`truncated`); entries past the head:
 *    added without the head moving (`unrecorded`); the last entry's hash differs from the head's:
 *    it was rewritten (`edited`).
 * What it cannot see: a chain recomputed from some entry to the end together with the head; the
 * head is kept apart so that this needs write access to both (see docs/ledger.md).
 *
 * Entries are read a page at a time (the next pages are asked for while one is checked); memory
 * holds a few pages and the few entries found wrong.
 */
import type { DocumentStore } from '../../storage/document-store.js';
import { GENESIS_HASH, ledgerBody, ledgerHash, type LedgerEntry } from './ledger-entry.js';

export type LedgerProblemKind = 'edited' | 'missing' | 'reordered' | 'relinked' | 'truncated' | 'unrecorded';

export interface LedgerProblem {
  /** The entry concerned (the first of a run of missing ones). */
  seq: number;
  kind: LedgerProblemKind;
  message: string;
}

export interface LedgerVerification {
  /** True when no problem was found. */
  ok: boolean;
  /** Entries read and checked. */
  checked: number;
  /** The head recorded when verification began (entries after it are newer than the check). */
  head: { seq: number; hash: string };
  /** In seq order, at most `maxProblems`. */
  problems: LedgerProblem[];
  /** Problems found beyond `maxProblems`, not listed. */
  omitted: number;
}

export interface VerifyOptions {
  /** Entries per read. Default 1,000: larger pages cost more in garbage collection than they save. */
  pageSize?: number;
  /** Problems listed at most. Default 1,000. */
  maxProblems?: number;
}

/** Pages asked for before they are needed: the database works on them while one is checked. */
const PAGES_AHEAD = 3;
/** Entries found wrong and kept to tell edits from moves: beyond this, the rest count as edits. */
const MAX_SUSPECTS = 500;

export async function verifyLedger(
  store: DocumentStore,
  space: string,
  options: VerifyOptions = {},
): Promise<LedgerVerification> {
  const pageSize = options.pageSize ?? 1_000;
  const maxProblems = options.maxProblems ?? 1000;
  const head = await store.ledgerHead(space);

  const problems: LedgerProblem[] = [];
  /** Entries whose content does not give their hash: edited or moved, decided at the end. */
  const suspects: LedgerEntry[] = [];
  /** Positions a moved entry may have come from: the first seq of each missing run, and its length. */
  const gaps: [first: number, count: number][] = [];
  let checked = 0;
  let previous: { seq: number; hash: string; consistent: boolean } = { seq: 0, hash: GENESIS_HASH, consistent: true };
  let headEntryHash: string | null = head.seq === 0 ? GENESIS_HASH : null;

  // Page k covers seqs (k * pageSize, (k + 1) * pageSize]: the first pageSize entries after its
  // start hold all of them (there are at most that many), so pages can be asked for before the
  // previous ones arrive, and entries past the range, there only when some were removed, are
  // left to the next page.
  const inFlight: { end: number; entries: Promise<LedgerEntry[]> }[] = [];
  let asked = 0;
  const askMore = () => {
    while (inFlight.length < PAGES_AHEAD && asked < head.seq) {
      const after = asked;
      asked = Math.min(head.seq, after + pageSize);
      inFlight.push({ end: asked, entries: store.scanLedger(space, after, asked - after) });
    }
  };
  askMore();
  while (inFlight.length > 0) {
    const { end, entries } = inFlight.shift()!;
    const page = await entries;
    askMore();
    for (const entry of page) {
      if (entry.seq > end) break;
      checked++;
      const consistent = ledgerHash(entry.prevHash, entry.seq, ledgerBody(entry)) === entry.hash;
      if (entry.seq > previous.seq + 1) {
        const first = previous.seq + 1;
        const count = entry.seq - first;
        gaps.push([first, count]);
        problems.push({
          seq: first,
          kind: 'missing',
          message:
            count === 1
              ? `Entry ${first} is missing (removed).`
              : `Entries ${first} to ${entry.seq - 1} are missing (removed).`,
        });
      } else if (consistent && previous.consistent && entry.prevHash !== previous.hash) {
        problems.push({
          seq: previous.seq,
          kind: 'relinked',
          message: `Entry ${previous.seq} was replaced by an entry hashed anew: entry ${entry.seq} was chained on another one.`,
        });
      }
      if (!consistent) {
        if (suspects.length < MAX_SUSPECTS) suspects.push(entry);
        else problems.push(edited(entry.seq));
      }
      if (entry.seq === head.seq) headEntryHash = entry.hash;
      previous = { seq: entry.seq, hash: entry.hash, consistent };
    }
  }

  problems.push(...judgeSuspects(suspects, gaps));
  if (previous.seq < head.seq) {
    const first = previous.seq + 1;
    problems.push({
      seq: first,
      kind: 'truncated',
      message: `The ledger ends at entry ${previous.seq} but its head records ${head.seq}: entries ${first} to ${head.seq} were cut off.`,
    });
  } else if (headEntryHash !== head.hash) {
    problems.push({
      seq: head.seq,
      kind: 'edited',
      message: `Entry ${head.seq} is not the one the head records: it was rewritten (or the head was).`,
    });
  }
  // Entries past the head, looked for after the check so that appends made meanwhile are not
  // counted. The last entry is read before the head: an append writes its entries and the head in
  // one transaction, so a head read afterwards covers every entry the first read saw.
  const [last] = await store.readLedger(space, {}, 1);
  const later = await store.ledgerHead(space);
  if (last && last.seq > Math.max(later.seq, head.seq)) {
    const [extra] = await store.scanLedger(space, Math.max(later.seq, head.seq), 1);
    problems.push({
      seq: extra?.seq ?? last.seq,
      kind: 'unrecorded',
      message: `Entries from ${extra?.seq ?? last.seq} on lie past the recorded head (${later.seq}): they were added outside Foyer.`,
    });
  }

  problems.sort((a, b) => a.seq - b.seq);
  return {
    ok: problems.length === 0,
    checked,
    head,
    problems: problems.slice(0, maxProblems),
    omitted: Math.max(0, problems.length - maxProblems),
  };
}

function edited(seq: number): LedgerProblem {
  return {
    seq,
    kind: 'edited',
    message: `Entry ${seq} was changed after it was written: its content does not match its hash.`,
  };
}

/**
 * An entry whose content does not give its hash at its position may be intact but moved: its
 * hash then matches at the position it was written at, which is out of order too (another
 * suspect's) or missing. Anything else is an edit.
 */
function judgeSuspects(suspects: LedgerEntry[], gaps: [number, number][]): LedgerProblem[] {
  const places = new Set<number>(suspects.map((s) => s.seq));
  for (const [first, count] of gaps) {
    for (let seq = first; seq < first + Math.min(count, MAX_SUSPECTS); seq++) places.add(seq);
  }
  return suspects.map((entry) => {
    const body = ledgerBody(entry);
    for (const seq of places) {
      if (seq !== entry.seq && ledgerHash(entry.prevHash, seq, body) === entry.hash) {
        return {
          seq: entry.seq,
          kind: 'reordered' as const,
          message: `Entry ${entry.seq} holds the entry written as ${seq}: entries were reordered.`,
        };
      }
    }
    return edited(entry.seq);
  });
}
