/**
 * Deleting a space: everything it holds, everywhere, then a receipt (deletion-receipt.ts).
 *
 * Order, chosen so that an interrupted deletion is finished by running it again:
 *  1. count what the space holds, and record the counts inside the space (`foyer.space-deletion`),
 *     so a rerun reports the original counts rather than what an interrupted run left;
 *  2. withdraw the grants still in force, so that OAuth clients holding data get their signed
 *     deletion request (sent once: its retries were tracked in the space, which is going);
 *     then remove the space's blobs from the file store (every key under `<space>/`);
 *  3. remove the space from the document store: documents (vault, keys, grants, tokens, sessions,
 *     import history included), series, ledger, registry row, host names, wrapped database key.
 *     PostgreSQL does it in one transaction; SQLite removes the space's folder, then its registry
 *     row, so an interruption leaves a registered space without a file, which a rerun removes;
 *  4. remove blobs under `<space>/` again: an upload in flight during step 2 may have landed;
 *  5. drop the process's caches of the space (data keys, host names).
 * A rerun on a space that is no longer registered sweeps step 4 alone and says so; with nothing
 * left at all, it is `space_not_found`.
 */
import type { Clock } from '../../platform/clock.js';
import type { DocumentStore, SpaceCount } from '../../storage/document-store.js';
import type { FileStore } from '../../storage/file-store.js';
import { FoyerError, isFoyerError } from '../errors.js';
import { FILE_DOCTYPE } from '../files/file-doctype.js';
import { internalRecords } from '../internal-records.js';
import { sealReceipt, RECEIPT_KIND, type DeletedCounts, type DeletionReceipt } from './deletion-receipt.js';

/** Where step 1 keeps its counts, inside the space (so they go with it). */
export const DELETION_DOCTYPE = 'foyer.space-deletion';
const PENDING_ID = 'pending';

interface PendingDeletion {
  requestedAt: string;
  spaceCreatedAt: string;
  timeZone: string;
  deleted: DeletedCounts;
  ledgerHead: { seq: number; hash: string };
}

export interface SpaceDeletionDeps {
  store: DocumentStore;
  fileStore: FileStore;
  clock: Clock;
  foyerVersion: string;
  /** Drops what this process caches about the space (data keys, host routes). */
  forget(space: string): void;
  /**
   * Withdraws the space's grants still in force (active or expired), as the owner would, before
   * anything is removed: tokens die and recipients outside the space get their signed deletion
   * request. Answers how many.
   */
  withdrawGrants?(space: string): Promise<number>;
}

export type SpaceDeletion = ReturnType<typeof createSpaceDeletion>;

export function createSpaceDeletion(deps: SpaceDeletionDeps) {
  const { store, fileStore, clock } = deps;
  const pending = internalRecords<PendingDeletion>(store, DELETION_DOCTYPE);
  const now = () => new Date(clock.now()).toISOString();

  /** Counts everything the space holds, before anything is removed. */
  async function census(
    space: string,
    hosts: number,
  ): Promise<Omit<PendingDeletion, 'requestedAt' | 'spaceCreatedAt' | 'timeZone'>> {
    const count: SpaceCount = await store.countSpace(space);
    const documents: Record<string, number> = {};
    let tombstones = 0;
    for (const d of count.documents) {
      if (d.doctype === DELETION_DOCTYPE) continue;
      if (d.live > 0) documents[d.doctype] = d.live;
      tombstones += d.deleted;
    }
    const points: Record<string, number> = {};
    for (const p of count.points) points[p.doctype] = p.count;
    const databaseKey = store.databaseKeys ? (await store.databaseKeys.list()).some((k) => k.space === space) : false;
    return {
      deleted: {
        documents,
        tombstones,
        points,
        ledgerEntries: count.ledger.entries,
        files: documents[FILE_DOCTYPE] ?? 0,
        fileBytes: await fileBytes(space),
        hosts,
        databaseKey,
      },
      ledgerHead: count.ledger.head,
    };
  }

  async function fileBytes(space: string): Promise<number> {
    let total = 0;
    let after: { values: []; id: string } | undefined;
    for (;;) {
      const page = await store.findDocuments(space, FILE_DOCTYPE, {
        selector: null,
        sort: [],
        limit: 1000,
        ...(after ? { after } : {}),
      });
      for (const doc of page) total += Number((JSON.parse(doc.data ?? '{}') as { size?: number }).size ?? 0);
      if (page.length < 1000) return total;
      after = { values: [], id: page[page.length - 1]!.id };
    }
  }

  /** Removes every blob under the space's prefix; answers how many there were. */
  async function removeBlobs(space: string): Promise<number> {
    const keys = await fileStore.list(space);
    await fileStore.deletePrefix(space);
    return keys.length;
  }

  /** The recorded counts of an earlier, interrupted run; or fresh ones, recorded now. */
  async function countsOf(space: string, record: { createdAt: string; timeZone: string; hosts: string[] }) {
    try {
      const earlier = await pending.get(space, PENDING_ID);
      if (earlier) return { counts: earlier.data, resumed: true };
      const counted: PendingDeletion = {
        requestedAt: now(),
        spaceCreatedAt: record.createdAt,
        timeZone: record.timeZone,
        ...(await census(space, record.hosts.length)),
      };
      await pending.put(space, PENDING_ID, counted, null, counted.requestedAt);
      return { counts: counted, resumed: false };
    } catch (e) {
      // A space registered without its database: an earlier run was interrupted after removing it.
      if (isFoyerError(e) && e.code === 'internal' && store.kind === 'sqlite') return { counts: null, resumed: true };
      throw e;
    }
  }

  return {
    /**
     * Deletes the space and answers the receipt. `requestedBy`: the owner (API, after passphrase
     * and confirmation) or the operator (`foyer space delete` on the data folder).
     */
    async delete(space: string, requestedBy: DeletionReceipt['requestedBy']): Promise<DeletionReceipt> {
      const startedAt = now();
      const record = await store.getSpace(space);
      if (!record) return sweep(space, requestedBy, startedAt);
      const { counts, resumed } = await countsOf(space, record);
      const grantsWithdrawn = counts && deps.withdrawGrants ? await deps.withdrawGrants(space) : 0;
      let blobs = await removeBlobs(space);
      await store.deleteSpace(space);
      blobs += await removeBlobs(space);
      deps.forget(space);
      return sealReceipt({
        kind: RECEIPT_KIND,
        version: 1,
        space,
        spaceCreatedAt: record.createdAt,
        timeZone: record.timeZone,
        requestedBy,
        requestedAt: counts?.requestedAt ?? startedAt,
        completedAt: now(),
        foyerVersion: deps.foyerVersion,
        storage: { documents: store.kind, files: fileStore.kind },
        deleted: counts?.deleted ?? null,
        grantsWithdrawn,
        blobs,
        ledgerHead: counts?.ledgerHead ?? null,
        resumed,
      });
    },
  };

  /** The space is gone from the registry: finish what an interrupted run may have left (blobs). */
  async function sweep(space: string, requestedBy: DeletionReceipt['requestedBy'], startedAt: string) {
    const blobs = await removeBlobs(space);
    if (blobs === 0) {
      throw new FoyerError('space_not_found', `There is no space "${space}", and nothing of it is left.`, { space });
    }
    deps.forget(space);
    return sealReceipt({
      kind: RECEIPT_KIND,
      version: 1,
      space,
      spaceCreatedAt: null,
      timeZone: null,
      requestedBy,
      requestedAt: startedAt,
      completedAt: now(),
      foyerVersion: deps.foyerVersion,
      storage: { documents: store.kind, files: fileStore.kind },
      deleted: null,
      grantsWithdrawn: 0,
      blobs,
      ledgerHead: null,
      resumed: true,
    });
  }
}
