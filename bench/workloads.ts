/**
 * The measured workloads, each against a running Foyer: one-by-one creates (W1) and reads (W2),
 * the month-of-debits query (W3), the bulk import (W4), series append and aggregates. Every
 * workload checks the answers it gets; a wrong answer counts as an error, never as speed.
 */
import { isDeepStrictEqual } from 'node:util';
import { FoyerError } from '../src/core/errors.js';
import type { BenchClient } from './http-client.js';
import { bucketProblems, LOAD_CURVE_DOCTYPE, type LoadCurveWorkload } from './load-curve.js';
import { readProcStats } from './proc-stats.js';
import { median, nullableRound, round, runPool, throughputOf, type Throughput } from './stats.js';
import { monthDebitsSelector, type MonthRange, type TransactionEntry } from './transactions.js';

export const DOCTYPE = 'bank.transaction';
const DOCS = `/api/data/${DOCTYPE}`;
/** The server's largest `_find` page. */
const FIND_LIMIT = 10_000;

/** The server process whose CPU time the one-by-one workloads report. */
export interface ServerProcess {
  pid: number;
  ticksPerSecond: number;
  baseUrl: string;
}

export interface OneByOneResult extends Throughput {
  /** Server CPU (user + system) per document, ms. */
  serverCpuMsPerDoc: number | null;
  /** This process's CPU per document, ms: client and server share the machine's cores. */
  clientCpuMsPerDoc: number;
}

/** Runs `perDoc` on every document, `concurrency` in flight, and reads the CPU both sides used. */
async function oneByOne(
  docs: readonly TransactionEntry[],
  concurrency: number,
  server: ServerProcess,
  perDoc: (entry: TransactionEntry) => Promise<void>,
): Promise<OneByOneResult> {
  const n = docs.length;
  const cpu0 = readProcStats(server.pid, server.ticksPerSecond);
  const client0 = process.cpuUsage();
  const pool = await runPool(n, concurrency, (i) => perDoc(docs[i]!));
  const cpu1 = readProcStats(server.pid, server.ticksPerSecond);
  const client1 = process.cpuUsage(client0);
  return {
    ...throughputOf(n, pool),
    serverCpuMsPerDoc: cpu0 && cpu1 ? round((cpu1.cpuMs - cpu0.cpuMs) / n, 3) : null,
    clientCpuMsPerDoc: round((client1.user + client1.system) / 1000 / n, 3),
  };
}

/**
 * An app's grant as a person would give it, and its access token: read and create
 * transactions, only in euros (a filter), only the fields the documents carry (a field list),
 * so every request pays for the scope checks, the projection and the ledger.
 */
export async function appGrantToken(owner: BenchClient, docs: readonly TransactionEntry[]): Promise<string> {
  const fields = [...new Set(docs.flatMap((d) => Object.keys(d.doc)))].sort();
  const terms = {
    scopes: [{ doctype: DOCTYPE, verbs: ['read', 'create'], filter: { currency: 'EUR' }, fields }],
    purpose: { code: 'personal-insight', text: { en: 'Benchmark app.', fr: 'Application de mesure.' } },
    storage: { kind: 'space' },
    retention: 'P1Y',
    validUntil: new Date(Date.now() + 24 * 3600 * 1000).toISOString(),
    onWithdraw: 'keep',
  };
  const grantee = { kind: 'app', id: 'bench-app', name: 'Bench app' };
  const asked = await owner.json<{ id: string; pending: { version: number; consentHash: string } }>(
    'POST',
    '/api/grants',
    JSON.stringify({ grantee, terms }),
    201,
  );
  const { version, consentHash } = asked.pending;
  await owner.json(
    'POST',
    `/api/grants/${asked.id}/accept`,
    JSON.stringify({ version, consentHash, language: 'en' }),
    200,
  );
  const tokens = await owner.json<{ accessToken: string }>('POST', `/api/grants/${asked.id}/tokens`, undefined, 201);
  return tokens.accessToken;
}

/** W1: `PUT /api/data/bank.transaction/<id>`, one document per request. */
export function createOneByOne(
  client: BenchClient,
  docs: readonly TransactionEntry[],
  concurrency: number,
  server: ServerProcess,
) {
  return oneByOne(docs, concurrency, server, async ({ id, doc }) => {
    await client.json('PUT', `${DOCS}/${id}`, JSON.stringify(doc), 201);
  });
}

/** W2: `GET` each document back; a body that differs from what was written is an error. */
export function readOneByOne(
  client: BenchClient,
  docs: readonly TransactionEntry[],
  concurrency: number,
  server: ServerProcess,
) {
  return oneByOne(docs, concurrency, server, async ({ id, doc }) => {
    const got = await client.json<Record<string, unknown>>('GET', `${DOCS}/${id}`, undefined, 200);
    // Deep equality ignores key order: PostgreSQL's jsonb reorders the keys of nested objects.
    const differs = Object.entries(doc).find(([k, v]) => !isDeepStrictEqual(got[k], v));
    if (got._id !== id || differs) {
      const what = differs ? `field ${differs[0]}` : '_id';
      throw new FoyerError('internal', `GET ${id}: ${what} differs from what was written`);
    }
  });
}

/** A query timed on its first run and warm, whose answer (`got`) was checked against `expected`. */
export interface TimedAnswer {
  firstMs: number;
  warmP50Ms: number | null;
  got: number;
  expected: number;
}

export interface QueryResult extends TimedAnswer {
  warmRuns: number;
  /** Runs whose documents were not exactly the expected ones. */
  wrongAnswers: number;
}

/** The ids one month-of-debits query returns, following bookmarks (bounded). */
async function findMonthDebits(client: BenchClient, range: MonthRange, expectedCount: number): Promise<string[]> {
  const ids: string[] = [];
  let bookmark: string | undefined;
  for (let page = 0; page <= Math.ceil(expectedCount / FIND_LIMIT) + 1; page++) {
    const body = JSON.stringify({
      selector: monthDebitsSelector(range),
      limit: FIND_LIMIT,
      ...(bookmark ? { bookmark } : {}),
    });
    const res = await client.json<{ docs: { _id: string }[]; bookmark?: string }>('POST', `${DOCS}/_find`, body, 200);
    for (const d of res.docs) ids.push(d._id);
    if (!res.bookmark || res.docs.length === 0) return ids;
    bookmark = res.bookmark;
  }
  throw new FoyerError('internal', `_find kept returning bookmarks past ${ids.length} documents`);
}

/** W3: the month's debits, first run then `warmRuns` more; the answer is checked every time. */
export async function monthQuery(
  client: BenchClient,
  range: MonthRange,
  expectedIds: ReadonlySet<string>,
  warmRuns: number,
): Promise<QueryResult> {
  const times: number[] = [];
  let wrongAnswers = 0;
  let got = 0;
  for (let r = 0; r <= warmRuns; r++) {
    const t0 = performance.now();
    const ids = await findMonthDebits(client, range, expectedIds.size);
    times.push(performance.now() - t0);
    if (r === 0) got = ids.length;
    const distinct = new Set(ids);
    if (ids.length !== expectedIds.size || distinct.size !== ids.length || ids.some((id) => !expectedIds.has(id)))
      wrongAnswers++;
  }
  return {
    firstMs: round(times[0]!, 2),
    warmP50Ms: nullableRound(median(times.slice(1)), 2),
    warmRuns,
    got,
    expected: expectedIds.size,
    wrongAnswers,
  };
}

export interface BulkResult {
  n: number;
  batch: number;
  requests: number;
  wallS: number;
  docsPerS: number;
}

/** W4: `_bulk` batches one after another. Bodies are serialised before the clock starts. */
export async function bulkImport(
  client: BenchClient,
  docs: readonly TransactionEntry[],
  batch: number,
): Promise<BulkResult> {
  const bodies: { body: string; size: number }[] = [];
  for (let i = 0; i < docs.length; i += batch) {
    const slice = docs.slice(i, i + batch);
    bodies.push({ body: JSON.stringify({ docs: slice.map((d) => ({ _id: d.id, ...d.doc })) }), size: slice.length });
  }
  const t0 = performance.now();
  for (const { body, size } of bodies) {
    const res = await client.json<{ results: unknown[] }>('POST', `${DOCS}/_bulk`, body, 201);
    if (res.results.length !== size)
      throw new FoyerError('internal', `_bulk answered ${res.results.length} results for ${size} documents`);
  }
  const wallMs = performance.now() - t0;
  return {
    n: docs.length,
    batch,
    requests: bodies.length,
    wallS: round(wallMs / 1000, 3),
    docsPerS: Math.round(docs.length / (wallMs / 1000)),
  };
}

export interface AppendResult {
  points: number;
  requests: number;
  seconds: number;
  pointsPerS: number;
}

/** Series append, in `chunk`-point requests one after another; bodies serialised beforehand. */
export async function appendSeries(
  client: BenchClient,
  workload: LoadCurveWorkload,
  chunk: number,
): Promise<AppendResult> {
  const bodies: { body: string; size: number }[] = [];
  for (let i = 0; i < workload.points.length; i += chunk) {
    const slice = workload.points.slice(i, i + chunk);
    bodies.push({ body: JSON.stringify({ points: slice }), size: slice.length });
  }
  const t0 = performance.now();
  for (const { body, size } of bodies) {
    const res = await client.json<{ written: number }>('POST', `/api/series/${LOAD_CURVE_DOCTYPE}`, body, 200);
    if (res.written !== size) throw new FoyerError('internal', `series append wrote ${res.written} of ${size} points`);
  }
  const seconds = (performance.now() - t0) / 1000;
  const points = workload.points.length;
  return { points, requests: bodies.length, seconds: round(seconds, 3), pointsPerS: Math.round(points / seconds) };
}

/** `got` and `expected` count buckets. */
export interface AggregateResult extends TimedAnswer {
  every: 'day' | 'month';
  /** What differed from the expected buckets on the first run (empty: correct). */
  problems: string[];
}

/** Sum per day or month over the whole curve; keys, counts and sums checked on the first run. */
export async function aggregateSeries(
  client: BenchClient,
  workload: LoadCurveWorkload,
  every: 'day' | 'month',
  warmRuns: number,
): Promise<AggregateResult> {
  const path = `/api/series/${LOAD_CURVE_DOCTYPE}?from=${workload.from}&to=${workload.to}&every=${every}&agg=sum`;
  const expected = every === 'day' ? workload.days : workload.months;
  const times: number[] = [];
  let first: { key: string; value: number; count: number }[] = [];
  for (let r = 0; r <= warmRuns; r++) {
    const t0 = performance.now();
    const res = await client.json<{ buckets: { key: string; value: number; count: number }[] }>(
      'GET',
      path,
      undefined,
      200,
    );
    times.push(performance.now() - t0);
    if (r === 0) first = res.buckets;
  }
  return {
    every,
    firstMs: round(times[0]!, 2),
    warmP50Ms: nullableRound(median(times.slice(1)), 2),
    got: first.length,
    expected: expected.size,
    problems: bucketProblems(expected, first),
  };
}
