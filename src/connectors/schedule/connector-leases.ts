/**
 * Run leases: before a connector of a space runs, its runner takes the lease of that (space,
 * connector), an internal record in the space's DocumentStore saying who runs it until when. Of
 * several processes (hosted mode) taking it at once, the store's revision check lets one win;
 * the others see it held. A lease outlives its run only when the runner died: it then lapses at
 * `until`, and the next taker takes it over. Leases last longer than the runtime's time limit,
 * so a living run never outlasts its lease. Times are by the Clock (hosted processes keep their
 * clocks in sync, as they must for everything else).
 */
import { isFoyerError } from '../../core/errors.js';
import { internalRecords } from '../../core/internal-records.js';
import type { Clock } from '../../platform/clock.js';
import type { DocumentStore } from '../../storage/document-store.js';

export const LEASE_DOCTYPE = 'foyer.connector-lease';

interface LeaseRecord {
  holder: string;
  /** ISO instants. */
  takenAt: string;
  until: string;
}

export interface ConnectorLease {
  space: string;
  connectorId: string;
  until: number;
  /** The lease record's revision as written by its taker. */
  rev: string;
}

export type TakeResult = { taken: true; lease: ConnectorLease } | { taken: false; heldBy: string; until: number };

export interface ConnectorLeases {
  /** Takes the lease for `ms` unless it is held (by anyone, this holder too); takes over a lapsed one. */
  take(space: string, connectorId: string, ms: number): Promise<TakeResult>;
  /** Gives the lease back (ends it now), unless another holder has taken it over since. */
  release(lease: ConnectorLease): Promise<void>;
}

export interface ConnectorLeasesOptions {
  store: DocumentStore;
  clock: Clock;
  /** Who takes the leases: unique per process (e.g. host name, process id and a random part). */
  holder: string;
}

export function createConnectorLeases({ store, clock, holder }: ConnectorLeasesOptions): ConnectorLeases {
  const records = internalRecords<LeaseRecord>(store, LEASE_DOCTYPE);
  const iso = (ms: number) => new Date(ms).toISOString();
  const isConflict = (e: unknown) => isFoyerError(e) && e.code === 'conflict';

  /** The lease record, and who holds it until when if it has not lapsed (this process too: one run at a time). */
  async function read(space: string, connectorId: string, now: number) {
    const current = await records.get(space, connectorId);
    if (!current) return { current, held: null };
    const until = Date.parse(current.data.until);
    return { current, held: until > now ? { heldBy: current.data.holder, until } : null };
  }

  return {
    async take(space, connectorId, ms) {
      const now = clock.now();
      const { current, held } = await read(space, connectorId, now);
      if (held) return { taken: false, ...held };
      const until = now + ms;
      try {
        const rev = await records.put(
          space,
          connectorId,
          { holder, takenAt: iso(now), until: iso(until) },
          current?.doc ?? null,
          iso(now),
        );
        return { taken: true, lease: { space, connectorId, until, rev } };
      } catch (e) {
        if (!isConflict(e)) throw e;
        // Another process wrote between our read and our write: it holds the lease now.
        const after = await read(space, connectorId, now);
        return { taken: false, heldBy: after.held?.heldBy ?? 'another process', until: after.held?.until ?? until };
      }
    },

    async release(lease) {
      const current = await records.get(lease.space, lease.connectorId);
      if (!current || current.doc.rev !== lease.rev) return;
      const now = clock.now();
      try {
        await records.put(lease.space, lease.connectorId, { ...current.data, until: iso(now) }, current.doc, iso(now));
      } catch (e) {
        // Taken over in between: the lease is someone else's now, nothing to give back.
        if (!isConflict(e)) throw e;
      }
    },
  };
}
