/**
 * The access ledger as the rest of Foyer uses it: `record` appends one entry (filling the time
 * and the space's local day) and settles once it is committed.
 */
import type { Clock } from '../../platform/clock.js';
import type { DocumentStore } from '../../storage/document-store.js';
import { localDay } from '../time/time-zone.js';
import type { LedgerDraft } from './ledger-entry.js';

export interface LedgerDeps {
  store: DocumentStore;
  clock: Clock;
  timeZoneOf: (space: string) => Promise<string>;
}

export function createLedger(deps: LedgerDeps) {
  const { store, clock, timeZoneOf } = deps;
  return {
    async record(space: string, entry: Omit<LedgerDraft, 'at' | 'day'>): Promise<void> {
      const now = clock.now();
      const day = localDay(now, await timeZoneOf(space));
      await store.appendLedger(space, [{ ...entry, at: new Date(now).toISOString(), day }]);
    },
  };
}
