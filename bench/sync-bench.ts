/**
 * The "sync" workload, in this process: the simulated holders (`startHolders`, ephemeral ports)
 * and a Foyer (the test rig's: SQLite in a fresh data folder, encryption at its default, worker
 * threads), sharing one simulated clock; the family connected at all seven holders over the HTTP
 * API as a person would. Timed: the first full sync of the household (three years), all seven
 * connectors one after the other, and again on a fresh Foyer two at a time (the scheduler's
 * default concurrency); then, on each, the next simulated day's incremental sync the same way.
 * Holders and Foyer share the process's two cores, so the holders' own work counts in the wall
 * time. Every run's counts are checked against the household's records: a wrong count is a failed
 * check.
 */
import type { RunRecord } from '../src/connectors/connector-records.js';
import { countsOf, startHouseholdRig, writtenBy, type HouseholdRig } from '../src/connectors/testing/household-rig.js';
import { round } from './stats.js';

const NOW = Date.UTC(2026, 2, 10, 12);
/** The family's connectors, in the order they run (`startHolders`' order of the holders). */
export const SYNC_CONNECTORS = [
  'bank-psd2',
  'electricity-enedis',
  'insurer-kit',
  'telecom-kit',
  'gas-kit',
  'water-kit',
  'retailer-kit',
] as const;
const DAY = 86_400_000;

export interface SyncConnectorFigures {
  connector: string;
  /** The run's own duration (its record's `durationMs`) in the sequential first sync, and the next day. */
  firstMs: number;
  nextDayMs: number;
  firstWritten: number;
}

export interface SyncBenchResult {
  customer: string;
  connectors: number;
  /** Records (documents, points, files) the household's first sync should write, and the next day's. */
  expectedFirst: number;
  expectedNextDay: number;
  /** Wall times: one after the other, and two at a time (on a second, fresh Foyer). */
  firstSequentialS: number;
  firstConcurrentS: number;
  nextDayS: number;
  nextDayConcurrentS: number;
  /** Records written (created + updated) by each sync. */
  writtenSequential: number;
  writtenConcurrent: number;
  writtenNextDay: number;
  perConnector: SyncConnectorFigures[];
  /** Failed checks (empty: correct). */
  problems: string[];
}

const total = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);

/** Problems with a sync whose created counts should be `expected`, per doctype. */
function check(label: string, runs: RunRecord[], expected: Record<string, number>): string[] {
  const problems = runs.filter((r) => r.error).map((r) => `${label}: ${r.connector} failed: ${r.error!.code}`);
  const created = countsOf(runs, 'created');
  for (const doctype of new Set([...Object.keys(expected), ...Object.keys(created)])) {
    const got = created[doctype] ?? 0;
    if (got !== (expected[doctype] ?? 0))
      problems.push(`${label}: ${doctype} ${got} created, the household has ${expected[doctype] ?? 0}`);
  }
  return problems;
}

async function withRig<T>(customerId: string, use: (h: HouseholdRig) => Promise<T>): Promise<T> {
  const h = await startHouseholdRig({ now: NOW, seed: 'bench-sync', customerId });
  try {
    await h.connectAll();
    return await use(h);
  } finally {
    await h.close();
  }
}

export async function syncBench(log: (line: string) => void, customerId = 'family'): Promise<SyncBenchResult> {
  const problems: string[] = [];
  const sequential = await withRig(customerId, async (h) => {
    if (h.connectors.join() !== SYNC_CONNECTORS.join())
      problems.push(`the customer's connectors are ${h.connectors.join(', ')}, not the seven`);
    const expected = h.expected(h.household.window(h.rig.clock.now()));
    const first = await h.syncAll(1);
    problems.push(...check('first sync', first.runs, expected));
    h.rig.clock.advance(DAY);
    const day = h.household.window(h.rig.clock.now()).to;
    const fresh = h.expected({ from: day, to: day }, true);
    const next = await h.syncAll(1);
    problems.push(...check('next day', next.runs, fresh));
    return { h: { connectors: h.connectors.length }, expected, fresh, first, next };
  });
  const concurrent = await withRig(customerId, async (h) => {
    const first = await h.syncAll(2);
    problems.push(...check('first sync, 2 at once', first.runs, sequential.expected));
    h.rig.clock.advance(DAY);
    const next = await h.syncAll(2);
    problems.push(...check('next day, 2 at once', next.runs, sequential.fresh));
    return { first, next };
  });

  const result: SyncBenchResult = {
    customer: customerId,
    connectors: sequential.h.connectors,
    expectedFirst: total(sequential.expected),
    expectedNextDay: total(sequential.fresh),
    firstSequentialS: round(sequential.first.wallMs / 1000, 2),
    firstConcurrentS: round(concurrent.first.wallMs / 1000, 2),
    nextDayS: round(sequential.next.wallMs / 1000, 2),
    nextDayConcurrentS: round(concurrent.next.wallMs / 1000, 2),
    writtenSequential: writtenBy(sequential.first.runs),
    writtenConcurrent: writtenBy(concurrent.first.runs),
    writtenNextDay: writtenBy(sequential.next.runs),
    perConnector: sequential.first.runs.map((r, i) => ({
      connector: r.connector,
      firstMs: r.durationMs,
      nextDayMs: sequential.next.runs[i]!.durationMs,
      firstWritten: writtenBy([r]),
    })),
    problems,
  };
  log(
    `  sync: first ${result.firstSequentialS} s one after the other, ${result.firstConcurrentS} s two at a time ` +
      `(${result.writtenSequential} records), next day ${result.nextDayS} s / ${result.nextDayConcurrentS} s (${result.writtenNextDay} records)`,
  );
  for (const c of result.perConnector)
    log(`    ${c.connector.padEnd(19)} ${String(c.firstMs).padStart(6)} ms  next day ${c.nextDayMs} ms`);
  return result;
}
