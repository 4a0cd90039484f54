/**
 * The benchmark's one table: a row per figure, a column per store (medians over the repetitions,
 * with the spread of the main throughputs), and the issue's target beside it. Also the list of
 * failed checks, which makes `npm run bench` exit non-zero.
 */
import type { BenchOptions, StoreName } from './options.js';
import type { BenchRun } from './run-bench.js';
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

/** The rows, labelled with this run's sizes. */
export function tableRows(o: BenchOptions): TableRow[] {
  const rows: TableRow[] = [];
  const only = o.only;
  if (only.has('W1')) {
    rows.push(
      {
        label: `W1 create ${n0(o.n)}, one per request, ${o.concurrency} in flight: docs/s`,
        target: '≥ 8,000 (SQLite)',
        metrics: [(r) => r.oneByOne?.W1?.docsPerS],
        shape: 'pair',
        digits: 0,
        spread: true,
      },
      {
        label: 'W1 latency p50 / p99 ms',
        target: 'p99 ≤ 10',
        metrics: [(r) => r.oneByOne?.W1?.p50Ms, (r) => r.oneByOne?.W1?.p99Ms],
        shape: 'pair',
        digits: 2,
      },
      {
        label: 'W1 CPU ms per doc: server / client',
        target: '',
        metrics: [(r) => r.oneByOne?.W1?.serverCpuMsPerDoc, (r) => r.oneByOne?.W1?.clientCpuMsPerDoc],
        shape: 'pair',
        digits: 2,
      },
      {
        label: 'W1 errors (all runs)',
        target: '0',
        metrics: [(r) => r.oneByOne?.W1?.errors],
        shape: 'total',
        digits: 0,
      },
    );
  }
  if (only.has('W2')) {
    rows.push(
      {
        label: `W2 read them back, ${o.concurrency} in flight: docs/s`,
        target: '≥ 12,000 (SQLite)',
        metrics: [(r) => r.oneByOne?.W2?.docsPerS],
        shape: 'pair',
        digits: 0,
        spread: true,
      },
      {
        label: 'W2 latency p50 / p99 ms',
        target: 'p99 ≤ 10',
        metrics: [(r) => r.oneByOne?.W2?.p50Ms, (r) => r.oneByOne?.W2?.p99Ms],
        shape: 'pair',
        digits: 2,
      },
      {
        label: 'W2 CPU ms per doc: server / client',
        target: '',
        metrics: [(r) => r.oneByOne?.W2?.serverCpuMsPerDoc, (r) => r.oneByOne?.W2?.clientCpuMsPerDoc],
        shape: 'pair',
        digits: 2,
      },
      {
        label: 'W2 errors incl. wrong bodies (all runs)',
        target: '0',
        metrics: [(r) => r.oneByOne?.W2?.errors],
        shape: 'total',
        digits: 0,
      },
    );
  }
  if (only.has('W3')) {
    rows.push(
      {
        label: `W3 _find month of debits among ${n0(o.n)}: first / warm p50 ms`,
        target: 'p50 ≤ 3',
        metrics: [(r) => r.oneByOne?.W3?.firstMs, (r) => r.oneByOne?.W3?.warmP50Ms],
        shape: 'pair',
        digits: 2,
      },
      {
        label: `W3 among ${n0(o.n)}: documents (expected)`,
        target: '',
        metrics: [(r) => r.oneByOne?.W3?.got, (r) => r.oneByOne?.W3?.expected],
        shape: 'answer',
        digits: 0,
      },
    );
  }
  if (only.has('W4')) {
    rows.push(
      {
        label: `W4 _bulk import ${n0(o.bulkN)} (batches of ${n0(o.batch)}): docs/s`,
        target: '≥ 60,000 (SQLite)',
        metrics: [(r) => r.bulk?.W4?.docsPerS],
        shape: 'pair',
        digits: 0,
        spread: true,
      },
      {
        label: `W3 among ${n0(o.bulkN)}: first / warm p50 ms`,
        target: 'p50 ≤ 25',
        metrics: [(r) => r.bulk?.W3?.firstMs, (r) => r.bulk?.W3?.warmP50Ms],
        shape: 'pair',
        digits: 2,
      },
      {
        label: `W3 among ${n0(o.bulkN)}: documents (expected)`,
        target: '',
        metrics: [(r) => r.bulk?.W3?.got, (r) => r.bulk?.W3?.expected],
        shape: 'answer',
        digits: 0,
      },
    );
  }
  if (only.has('series')) {
    const requests = Math.ceil(o.seriesPoints / o.seriesChunk);
    rows.push(
      {
        label: `series append ${n0(o.seriesPoints)} load-curve points (${requests} request${requests > 1 ? 's' : ''}): s`,
        target: '≤ 2',
        metrics: [(r) => r.bulk?.seriesAppend?.seconds],
        shape: 'pair',
        digits: 2,
        spread: true,
      },
      {
        label: 'series sum per day: first / warm p50 ms',
        target: '',
        metrics: [(r) => r.bulk?.seriesDay?.firstMs, (r) => r.bulk?.seriesDay?.warmP50Ms],
        shape: 'pair',
        digits: 2,
      },
      {
        label: 'series per day: buckets (expected)',
        target: '',
        metrics: [(r) => r.bulk?.seriesDay?.buckets, (r) => r.bulk?.seriesDay?.expectedBuckets],
        shape: 'answer',
        digits: 0,
      },
      {
        label: 'series sum per month: first / warm p50 ms',
        target: 'monthly ≤ 20',
        metrics: [(r) => r.bulk?.seriesMonth?.firstMs, (r) => r.bulk?.seriesMonth?.warmP50Ms],
        shape: 'pair',
        digits: 2,
      },
      {
        label: 'series per month: buckets (expected)',
        target: '',
        metrics: [(r) => r.bulk?.seriesMonth?.buckets, (r) => r.bulk?.seriesMonth?.expectedBuckets],
        shape: 'answer',
        digits: 0,
      },
    );
  }
  const first = (r: BenchRun) => r.oneByOne ?? r.bulk;
  rows.push(
    {
      label: 'startup to first healthy answer: ms',
      target: '',
      metrics: [(r) => first(r)?.startupMs],
      shape: 'pair',
      digits: 0,
    },
    {
      label: 'idle RSS 2 s after start: MiB',
      target: '≤ 80 MB (76.3 MiB)',
      metrics: [(r) => first(r)?.idle?.rssMiB],
      shape: 'pair',
      digits: 1,
      spread: true,
    },
    {
      label: 'peak RSS (VmHWM): W1–W3 server / W4 + series server, MiB',
      target: '',
      metrics: [(r) => r.oneByOne?.end?.peakRssMiB, (r) => r.bulk?.end?.peakRssMiB],
      shape: 'pair',
      digits: 1,
    },
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
