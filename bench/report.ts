/**
 * The benchmark's one table: a row per figure, a column per store (medians over the repetitions,
 * with the spread of the main throughputs), and the issue's target beside it. Also the list of
 * failed checks, which makes `npm run bench` exit non-zero.
 */
import type { BenchOptions, StoreName } from './options.js';
import { importCases } from './import-bench.js';
import { PORTABILITY_TARGETS } from './portability-bench.js';
import type { BenchRun } from './run-bench.js';
import { SYNC_CONNECTORS } from './sync-bench.js';
import type { OneByOneResult, TimedAnswer } from './workloads.js';
import { median } from './stats.js';

type Metric = (run: BenchRun) => number | null | undefined;

export interface TableRow {
  label: string;
  target: string;
  metrics: Metric[];
  /** `pair`: "a / b"; `answer`: "got (expected)"; `total`: the sum over runs (error counts). */
  shape: 'pair' | 'answer' | 'total';
  digits: 0 | 1 | 2;
  /** Show "median (min–max)" of the first metric. */
  spread?: boolean;
}

const n0 = (x: number): string => Math.round(x).toLocaleString('en-US');

export function formatNumber(x: number | null, digits: 0 | 1 | 2): string {
  if (x === null) return '–';
  if (digits === 0) return n0(x);
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

const pair = (label: string, target: string, metrics: Metric[], digits: 0 | 1 | 2, spread = false): TableRow => ({
  label,
  target,
  metrics,
  shape: 'pair',
  digits,
  spread,
});
const answer = (label: string, got: Metric, expected: Metric): TableRow => ({
  label,
  target: '',
  metrics: [got, expected],
  shape: 'answer',
  digits: 0,
});
const total = (label: string, metric: Metric): TableRow => ({
  label,
  target: '0',
  metrics: [metric],
  shape: 'total',
  digits: 0,
});

/** Throughput, latency, CPU and errors of W1 or W2. */
function oneByOneRows(name: string, what: string, target: string, pick: (r: BenchRun) => OneByOneResult | undefined) {
  return [
    pair(`${name} ${what}: docs/s`, target, [(r) => pick(r)?.docsPerS], 0, true),
    pair(`${name} latency p50 / p99 ms`, 'p99 ≤ 10', [(r) => pick(r)?.p50Ms, (r) => pick(r)?.p99Ms], 2),
    pair(
      `${name} CPU ms per doc: server / client`,
      '',
      [(r) => pick(r)?.serverCpuMsPerDoc, (r) => pick(r)?.clientCpuMsPerDoc],
      2,
    ),
    total(
      `${name} errors${name === 'W2' || name === 'G2' ? ' incl. wrong bodies' : ''} (all runs)`,
      (r) => pick(r)?.errors,
    ),
  ];
}

/** A checked query: its first and warm times, then its answer against the expected one. */
function timedAnswerRows(
  timing: string,
  answerLabel: string,
  target: string,
  pick: (r: BenchRun) => TimedAnswer | undefined,
) {
  return [
    pair(`${timing}: first / warm p50 ms`, target, [(r) => pick(r)?.firstMs, (r) => pick(r)?.warmP50Ms], 2),
    answer(
      answerLabel,
      (r) => pick(r)?.got,
      (r) => pick(r)?.expected,
    ),
  ];
}

const queryRows = (among: string, target: string, pick: (r: BenchRun) => TimedAnswer | undefined) =>
  timedAnswerRows(`W3 _find month of debits among ${among}`, `W3 among ${among}: documents (expected)`, target, pick);

const aggregateRows = (every: 'day' | 'month', target: string, pick: (r: BenchRun) => TimedAnswer | undefined) =>
  timedAnswerRows(`series sum per ${every}`, `series per ${every}: buckets (expected)`, target, pick);

/** The household's seven connectors (SQLite only: the column of another store shows –). */
function syncRows(): TableRow[] {
  const s = (r: BenchRun) => r.sync;
  const rows = [
    pair(
      'sync a household, first full sync (three years, 7 connectors): s one after the other / 2 at once',
      '≤ 10',
      [(r) => s(r)?.firstSequentialS, (r) => s(r)?.firstConcurrentS],
      2,
      true,
    ),
    answer(
      'sync first full sync: records written (the household’s)',
      (r) => s(r)?.writtenSequential,
      (r) => s(r)?.expectedFirst,
    ),
    pair(
      'sync the next simulated day, 7 connectors: s one after the other / 2 at once',
      '≤ 1',
      [(r) => s(r)?.nextDayS, (r) => s(r)?.nextDayConcurrentS],
      2,
      true,
    ),
    answer(
      'sync next day: records written incl. pending payments booked (the day’s new records)',
      (r) => s(r)?.writtenNextDay,
      (r) => s(r)?.expectedNextDay,
    ),
  ];
  for (const id of SYNC_CONNECTORS) {
    const c = (r: BenchRun) => r.sync?.perConnector.find((x) => x.connector === id);
    rows.push(pair(`sync ${id}: first / next day run ms`, '', [(r) => c(r)?.firstMs, (r) => c(r)?.nextDayMs], 0));
  }
  return rows;
}

/** The rows, labelled with this run's sizes. */
export function tableRows(o: BenchOptions): TableRow[] {
  const rows: TableRow[] = [];
  if (o.only.has('W1')) {
    const what = `create ${n0(o.n)}, one per request, ${o.concurrency} in flight`;
    rows.push(...oneByOneRows('W1', what, '≥ 8,000 (SQLite)', (r) => r.oneByOne?.W1));
  }
  if (o.only.has('W2')) {
    const what = `read them back, ${o.concurrency} in flight`;
    rows.push(...oneByOneRows('W2', what, '≥ 12,000 (SQLite)', (r) => r.oneByOne?.W2));
  }
  if (o.only.has('G1')) {
    const what = `create ${n0(o.n)} as an app (grant: filter + field list)`;
    rows.push(...oneByOneRows('G1', what, 'within 15% of W1 before grants', (r) => r.oneByOne?.G1));
  }
  if (o.only.has('G2')) {
    const what = 'read them back as the app';
    rows.push(...oneByOneRows('G2', what, 'within 15% of W2 before grants', (r) => r.oneByOne?.G2));
  }
  if (o.only.has('W3')) rows.push(...queryRows(n0(o.n), 'p50 ≤ 3', (r) => r.oneByOne?.W3));
  if (o.only.has('W4')) {
    const label = `W4 _bulk import ${n0(o.bulkN)} (batches of ${n0(o.batch)}): docs/s`;
    rows.push(pair(label, '≥ 60,000 (SQLite)', [(r) => r.bulk?.W4?.docsPerS], 0, true));
    rows.push(...queryRows(n0(o.bulkN), 'p50 ≤ 25', (r) => r.bulk?.W3));
  }
  if (o.only.has('series')) {
    const requests = Math.ceil(o.seriesPoints / o.seriesChunk);
    const label = `series append ${n0(o.seriesPoints)} load-curve points (${requests} request${requests > 1 ? 's' : ''}): s`;
    rows.push(pair(label, '≤ 2', [(r) => r.bulk?.seriesAppend?.seconds], 2, true));
    rows.push(...aggregateRows('day', '', (r) => r.bulk?.seriesDay));
    rows.push(...aggregateRows('month', 'monthly ≤ 20', (r) => r.bulk?.seriesMonth));
  }
  if (o.only.has('ledger')) {
    const label = `ledger verify ${n0(o.ledgerEntries)} entries (in process, no server): s`;
    rows.push(pair(label, '≤ 5', [(r) => r.ledger?.verifyS], 2, true));
    rows.push(
      pair(
        'ledger append, entries/s: batches of 10,000 / single, 16 in flight',
        '',
        [(r) => r.ledger?.batchedPerS, (r) => r.ledger?.singlePerS],
        0,
      ),
      pair('ledger single append p50 / p99 ms', '', [(r) => r.ledger?.singleP50Ms, (r) => r.ledger?.singleP99Ms], 2),
    );
  }
  if (o.only.has('imports')) {
    for (const c of importCases(o.importScale)) {
      const pick = (r: BenchRun) => r.imports?.find((i) => i.name === c.name);
      const target = [
        c.targetSeconds ? `≤ ${c.targetSeconds} s` : '',
        c.targetRssMiB ? `peak ≤ ${c.targetRssMiB} MB` : '',
      ]
        .filter(Boolean)
        .join(', ');
      rows.push(
        pair(
          `import ${c.name} (${n0(c.count)} records, foyer import in a child): s / peak RSS MiB`,
          target,
          [(r) => pick(r)?.seconds, (r) => pick(r)?.peakRssMiB],
          2,
          true,
        ),
      );
    }
  }
  if (o.only.has('portability')) {
    const t = PORTABILITY_TARGETS;
    const docs = n0(Math.max(100, Math.round(1_000_000 * o.importScale)));
    const mib = n0(Math.max(1, Math.round(128 * o.importScale)) * 8);
    const leg = (
      what: string,
      target: string,
      pick: (r: BenchRun) => { seconds: number; peakRssMiB: number | null } | undefined,
    ) => pair(what, target, [(r) => pick(r)?.seconds, (r) => pick(r)?.peakRssMiB], 2, true);
    const rate = (what: string, pick: (r: BenchRun) => { MBps: number; peakRssMiB: number | null } | undefined) =>
      pair(
        what,
        `≥ ${t.filesMBps} MB/s, peak ≤ ${t.peakRssMiB} MB`,
        [(r) => pick(r)?.MBps, (r) => pick(r)?.peakRssMiB],
        1,
      );
    rows.push(
      leg(
        `export ${docs} documents (foyer export in a child): s / peak RSS MiB`,
        `≤ ${t.documentSeconds} s, peak ≤ ${t.peakRssMiB} MB`,
        (r) => r.portability?.exportDocuments,
      ),
      leg(
        `import ${docs} documents (foyer import-archive in a child): s / peak RSS MiB`,
        `≤ ${t.documentSeconds} s, peak ≤ ${t.peakRssMiB} MB`,
        (r) => r.portability?.importDocuments,
      ),
      rate(`export ${mib} MiB of files: MB/s / peak RSS MiB`, (r) => r.portability?.exportFiles),
      rate(`import ${mib} MiB of files: MB/s / peak RSS MiB`, (r) => r.portability?.importFiles),
      pair(
        'portability CPU s (user + system, less sensitive to load): export / import documents',
        '',
        [(r) => r.portability?.exportDocuments?.cpuSeconds, (r) => r.portability?.importDocuments?.cpuSeconds],
        1,
      ),
      pair(
        'portability CPU s: export / import files',
        '',
        [(r) => r.portability?.exportFiles?.cpuSeconds, (r) => r.portability?.importFiles?.cpuSeconds],
        1,
      ),
    );
  }
  if (o.only.has('schedule')) {
    const what = `schedule ${n0(o.scheduleSpaces)} spaces × 6 connectors through a day (in process)`;
    rows.push(
      pair(`${what}: max ÷ mean runs per minute`, '≤ 2', [(r) => r.schedule?.ratio], 2, true),
      pair(
        'schedule: runs per minute, max / mean',
        '',
        [(r) => r.schedule?.maxPerMinute, (r) => r.schedule?.meanPerMinute],
        1,
      ),
      pair(
        'schedule: max ÷ mean of the mix alone (expected runs) / with plain hash jitter',
        '',
        [(r) => r.schedule?.shapeRatio, (r) => r.schedule?.hashOnlyRatio],
        2,
      ),
      pair(
        'schedule: plan every connector from its history (a restart): ms / µs each',
        '',
        [(r) => r.schedule?.planAllMs, (r) => r.schedule?.planUsPerConnector],
        2,
      ),
    );
  }
  if (o.only.has('sync')) rows.push(...syncRows());
  const first = (r: BenchRun) => r.oneByOne ?? r.bulk;
  rows.push(
    pair('startup to first healthy answer: ms', '', [(r) => first(r)?.startupMs], 0),
    pair('idle RSS 2 s after start: MiB', '≤ 80 MB (76.3 MiB)', [(r) => first(r)?.idle?.rssMiB], 1, true),
    pair(
      'peak RSS (VmHWM): W1–W3 server / W4 + series server, MiB',
      '',
      [(r) => r.oneByOne?.end?.peakRssMiB, (r) => r.bulk?.end?.peakRssMiB],
      1,
    ),
  );
  return rows;
}

function values(runs: BenchRun[], metric: Metric): number[] {
  return runs.map(metric).filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
}

function cell(row: TableRow, runs: BenchRun[]): string {
  const ok = runs.filter((r) => !r.error);
  if (row.shape === 'total') {
    const v = runs.flatMap((r) => values([r], row.metrics[0]!));
    return v.length
      ? formatNumber(
          v.reduce((a, b) => a + b, 0),
          0,
        )
      : '–';
  }
  const medians = row.metrics.map((m) => median(values(ok, m)));
  if (medians.every((m) => m === null)) return '–';
  if (row.shape === 'answer') return `${formatNumber(medians[0]!, 0)} (${formatNumber(medians[1]!, 0)})`;
  const parts = medians.map((m) => formatNumber(m, row.digits));
  if (row.spread) {
    const v = values(ok, row.metrics[0]!);
    if (v.length > 1)
      parts[0] += ` (${formatNumber(Math.min(...v), row.digits)}–${formatNumber(Math.max(...v), row.digits)})`;
  }
  return parts.join(' / ');
}

/** Every failed check of every run: errors, wrong answers, failed runs. Empty means all correct. */
export function failedChecks(runs: BenchRun[]): string[] {
  const out: string[] = [];
  for (const r of runs) {
    const at = `${r.store} rep ${r.rep}`;
    if (r.error) out.push(`${at}: ${r.error}`);
    for (const [name, w] of [
      ['W1', r.oneByOne?.W1],
      ['W2', r.oneByOne?.W2],
      ['G1', r.oneByOne?.G1],
      ['G2', r.oneByOne?.G2],
    ] as const) {
      if (w && w.errors > 0) out.push(`${at}: ${name} ${w.errors} errors (first: ${w.firstError})`);
    }
    for (const [name, q] of [
      ['W3 small', r.oneByOne?.W3],
      ['W3 bulk', r.bulk?.W3],
    ] as const) {
      if (q && q.wrongAnswers > 0)
        out.push(`${at}: ${name} gave a wrong answer in ${q.wrongAnswers} runs (first: ${q.got} of ${q.expected})`);
    }
    if (r.ledger && !r.ledger.intact) out.push(`${at}: ledger ${r.ledger.problem}`);
    for (const i of r.imports ?? []) if (!i.ok) out.push(`${at}: import ${i.name}: ${i.problem}`);
    for (const p of r.schedule?.problems ?? []) out.push(`${at}: schedule: ${p}`);
    for (const p of r.sync?.problems ?? []) out.push(`${at}: sync: ${p}`);
    for (const p of r.portability?.problems ?? []) out.push(`${at}: portability: ${p}`);
    for (const a of [r.bulk?.seriesDay, r.bulk?.seriesMonth]) {
      if (a && a.problems.length > 0) out.push(`${at}: series per ${a.every}: ${a.problems.join('; ')}`);
    }
  }
  return out;
}

export interface TableContext {
  options: BenchOptions;
  stores: StoreName[];
  runs: BenchRun[];
  /** One line about the machine and the run, printed above the table. */
  caption: string;
}

export function renderTable(t: TableContext): string {
  const header = `| | ${t.stores.map((s) => (s === 'sqlite' ? 'SQLite' : 'PostgreSQL')).join(' | ')} | target |`;
  const lines = [t.caption, '', header, `|---|${t.stores.map(() => '---:|').join('')}---|`];
  for (const row of tableRows(t.options)) {
    lines.push(
      `| ${row.label} | ${t.stores
        .map((s) =>
          cell(
            row,
            t.runs.filter((r) => r.store === s),
          ),
        )
        .join(' | ')} | ${row.target} |`,
    );
  }
  const failed = failedChecks(t.runs);
  lines.push(
    '',
    failed.length ? `FAILED CHECKS:\n${failed.map((f) => `- ${f}`).join('\n')}` : 'All answers checked: correct.',
  );
  return lines.join('\n') + '\n';
}

/** The table's figures as data, for the JSON file. */
export function summarise(t: TableContext): Record<string, Record<string, (number | null)[]>> {
  const out: Record<string, Record<string, (number | null)[]>> = {};
  for (const s of t.stores) {
    const runs = t.runs.filter((r) => r.store === s && !r.error);
    out[s] = Object.fromEntries(
      tableRows(t.options).map((row) => [row.label, row.metrics.map((m) => median(values(runs, m)))]),
    );
  }
  return out;
}
