/**
 * The "ledger" workload, in this process against a store (no server): fills a space's access
 * ledger through the batched append path, times single appends 16 in flight (how the gate
 * appends, one entry per request, grouped by the store's group commit), then times
 * `verifyLedger` over the whole chain. A verification that does not find the ledger intact, or
 * checks another number of entries than were written, is a failed check, never a speed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { digestIds, type LedgerDraft } from '../src/core/ledger/ledger-entry.js';
import { verifyLedger } from '../src/core/ledger/verify-ledger.js';
import type { DocumentStore } from '../src/storage/document-store.js';
import { createPostgresDocumentStore } from '../src/storage/postgres/postgres-document-store.js';
import { createSqliteDocumentStore } from '../src/storage/sqlite/sqlite-document-store.js';
import type { StoreName } from './options.js';
import { createFreshDatabase } from './postgres-database.js';
import { round, runPool, throughputOf } from './stats.js';

const SPACE = 'ledger-bench';
/** Entries per batched append. */
const BATCH = 10_000;
/** Single appends timed (at most, and a tenth of the entries), and how many are in flight. */
const SINGLES = 20_000;
const IN_FLIGHT = 16;

export interface LedgerVerifyResult {
  /** Entries verified (the batched ones and the single ones). */
  entries: number;
  /** Batched path: entries per second (batches of 10,000, one after another). */
  batchedPerS: number;
  /** Single appends, 16 in flight: entries per second and latency. */
  singlePerS: number;
  singleP50Ms: number | null;
  singleP99Ms: number | null;
  /** verifyLedger over the whole chain. */
  verifyS: number;
  /** False when verification did not find every entry intact. */
  intact: boolean;
  /** What verification said when it was not what was expected. */
  problem?: string;
}

/** A plausible mix: the owner and two apps, reads mostly, a denial now and then. */
function drafts(from: number, count: number): LedgerDraft[] {
  const start = Date.UTC(2025, 0, 1);
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    const t = start + i * 30_000;
    const app = i % 3 !== 0;
    const denied = i % 50 === 0;
    return {
      at: new Date(t).toISOString(),
      day: new Date(t).toISOString().slice(0, 10),
      actorKind: app ? 'app' : 'owner',
      actorId: app ? (i % 3 === 1 ? 'mon-logis' : 'mon-budget') : 'session',
      grant: app ? `grant-${i % 3}` : null,
      grantVersion: app ? 1 : null,
      verb: i % 7 === 0 ? 'create' : 'read',
      doctype: i % 2 ? 'bank.transaction' : 'energy.electricity.load-curve',
      count: denied ? 0 : (i % 20) + 1,
      idsDigest: denied ? null : digestIds([`doc-${i}`]),
      purpose: app ? 'service-provision' : 'owner-use',
      outcome: denied ? 'denied' : 'allowed',
      code: denied ? 'scope_denied' : null,
    };
  });
}

async function openStore(
  store: StoreName,
  databaseUrl: string | undefined,
): Promise<{ documents: DocumentStore; close(): Promise<void> }> {
  if (store === 'sqlite') {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'foyer-bench-ledger-'));
    const documents = createSqliteDocumentStore({ dataDir });
    return {
      documents,
      async close() {
        await documents.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const database = await createFreshDatabase(databaseUrl!);
  const documents = await createPostgresDocumentStore({ connectionString: database.url });
  return {
    documents,
    async close() {
      await documents.close();
      await database.drop();
    },
  };
}

export async function ledgerVerify(
  store: StoreName,
  entries: number,
  databaseUrl: string | undefined,
  log: (line: string) => void,
): Promise<LedgerVerifyResult> {
  const opened = await openStore(store, databaseUrl);
  try {
    const documents = opened.documents;
    await documents.createSpace({ id: SPACE, hosts: [], timeZone: 'UTC', createdAt: new Date().toISOString() });
    const batched = entries - Math.min(SINGLES, Math.ceil(entries / 10));
    const t0 = performance.now();
    for (let i = 0; i < batched; i += BATCH) {
      await documents.appendLedger(SPACE, drafts(i, Math.min(BATCH, batched - i)));
    }
    const batchedS = (performance.now() - t0) / 1000;
    const singles = entries - batched;
    const pool = await runPool(singles, IN_FLIGHT, async (i) => {
      await documents.appendLedger(SPACE, drafts(batched + i, 1));
    });
    const single = throughputOf(singles, pool);

    const t1 = performance.now();
    const report = await verifyLedger(documents, SPACE);
    const verifyS = (performance.now() - t1) / 1000;
    const intact = report.ok && report.checked === entries && single.errors === 0;
    const result: LedgerVerifyResult = {
      entries: report.checked,
      batchedPerS: batched > 0 ? Math.round(batched / batchedS) : 0,
      singlePerS: single.docsPerS,
      singleP50Ms: single.p50Ms,
      singleP99Ms: single.p99Ms,
      verifyS: round(verifyS, 2),
      intact,
    };
    if (!intact) {
      result.problem =
        single.errors > 0
          ? `${single.errors} single appends failed (first: ${single.firstError})`
          : `checked ${report.checked} of ${entries}; problems: ${JSON.stringify(report.problems.slice(0, 3))}`;
    }
    log(
      `  ledger: ${entries} entries, batched ${result.batchedPerS}/s, single ${result.singlePerS}/s ` +
        `(p99 ${result.singleP99Ms} ms), verify ${result.verifyS} s, ${intact ? 'intact' : `NOT intact: ${result.problem}`}`,
    );
    return result;
  } finally {
    await opened.close();
  }
}
