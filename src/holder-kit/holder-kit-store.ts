/**
 * The Kit's state between requests: login visits, authorization codes, access and refresh tokens.
 * Secrets are never stored: entries are keyed by the SHA-256 of the code or token. An organisation
 * running several instances implements this interface on a shared store (a table, Redis); the
 * in-memory one here serves one process.
 */
import type { Clock } from '../platform/clock.js';

export type EntryKind = 'visit' | 'code' | 'access' | 'refresh';

export interface StoredEntry {
  kind: EntryKind;
  /** The SHA-256 (base64url) of the secret. */
  id: string;
  /** The consent it belongs to (null for a visit not yet consented). */
  grantId: string | null;
  /** Epoch ms; the entry is gone from then on. */
  expiresAt: number;
  /** When it was consumed (codes and refresh tokens are single-use), or null. */
  consumedAt: number | null;
  data: Record<string, unknown>;
}

export interface HolderKitStore {
  /** Creates or replaces the entry. */
  put(entry: StoredEntry): Promise<void>;
  /** The entry, or undefined when unknown or expired. */
  get(kind: EntryKind, id: string): Promise<StoredEntry | undefined>;
  /**
   * Marks the entry consumed at `at` and returns it as it was before, atomically: of two
   * concurrent calls, exactly one sees `consumedAt: null`. Undefined when unknown or expired.
   */
  consume(kind: EntryKind, id: string, at: number): Promise<StoredEntry | undefined>;
  delete(kind: EntryKind, id: string): Promise<void>;
  /** Deletes every entry of the grant: its tokens die at once. */
  revokeGrant(grantId: string): Promise<void>;
}

const SWEEP_INTERVAL_MS = 60_000;

/** Entries in a Map; expiry by the clock, expired entries swept at most once a minute. */
export function createMemoryHolderKitStore(options: { clock: Clock }): HolderKitStore {
  const entries = new Map<string, StoredEntry>();
  let lastSweep = options.clock.now();
  const keyOf = (kind: EntryKind, id: string) => `${kind}:${id}`;

  const live = (kind: EntryKind, id: string): StoredEntry | undefined => {
    const entry = entries.get(keyOf(kind, id));
    if (!entry) return undefined;
    if (entry.expiresAt <= options.clock.now()) {
      entries.delete(keyOf(kind, id));
      return undefined;
    }
    return entry;
  };

  return {
    async put(entry) {
      const now = options.clock.now();
      if (now - lastSweep >= SWEEP_INTERVAL_MS) {
        lastSweep = now;
        for (const [key, e] of entries) if (e.expiresAt <= now) entries.delete(key);
      }
      entries.set(keyOf(entry.kind, entry.id), structuredClone(entry));
    },
    async get(kind, id) {
      const entry = live(kind, id);
      return entry && structuredClone(entry);
    },
    async consume(kind, id, at) {
      // No await between the read and the write: atomic within the process.
      const entry = live(kind, id);
      if (!entry) return undefined;
      const before = structuredClone(entry);
      entry.consumedAt ??= at;
      return before;
    },
    async delete(kind, id) {
      entries.delete(keyOf(kind, id));
    },
    async revokeGrant(grantId) {
      for (const [key, e] of entries) if (e.grantId === grantId) entries.delete(key);
    },
  };
}
