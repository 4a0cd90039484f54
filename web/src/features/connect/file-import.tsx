/**
 * Importing a file: drop it (or choose it), see the preview Foyer makes without writing anything
 * (recognised format, counts, a sample, warnings, and for bank CSV files the column mapping, which
 * can be corrected and previewed again), then import it with live progress and read the summary.
 */
import { useState } from 'preact/hooks';
import { query } from '../../api/client.js';
import { doctypeTitle, type DoctypeTitles } from '../../api/doctypes.js';
import type { ImportOutcome, ImportReport } from '../../api/types.js';
import { useApi } from '../../app/app-context.js';
import { ErrorNotice, Progress } from '../../components/states.js';
import { formatBytes, formatNumber } from '../../i18n/format.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import * as messages from './messages.js';

type Phase =
  | { kind: 'idle' }
  | { kind: 'reading'; file: File }
  | { kind: 'preview'; file: File; outcomes: ImportOutcome[] }
  | { kind: 'importing'; file: File; bytes: number; size: number | null; records: number }
  | { kind: 'done'; file: File; outcomes: ImportOutcome[] };

interface CsvMapping {
  columns: Record<string, number | undefined>;
  [key: string]: unknown;
}

const MAPPED_ROLES = ['date', 'label', 'amount', 'debit', 'credit', 'currency', 'category', 'balance'] as const;

export function FileImport(props: { doctypes: DoctypeTitles | undefined; onImported: () => void }) {
  const t = useT(messages);
  const { locale } = useLocale();
  const api = useApi();
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [error, setError] = useState<unknown>(null);
  const [mapping, setMapping] = useState<CsvMapping | null>(null);
  const [dragging, setDragging] = useState(false);

  const optionsOf = (m: CsvMapping | null) => (m ? JSON.stringify({ csvMapping: m }) : undefined);

  async function preview(file: File, m: CsvMapping | null) {
    setError(null);
    setPhase({ kind: 'reading', file });
    try {
      const { files } = await api.upload<{ files: ImportOutcome[] }>(
        `/api/imports${query({ name: file.name, dryRun: 'true', options: optionsOf(m) })}`,
        file,
      );
      const inferred = files[0]?.report?.details?.mapping as CsvMapping | null | undefined;
      setMapping(m ?? inferred ?? null);
      setPhase({ kind: 'preview', file, outcomes: files });
    } catch (e) {
      setError(e);
      setPhase({ kind: 'idle' });
    }
  }

  async function commit(file: File) {
    setError(null);
    setPhase({ kind: 'importing', file, bytes: 0, size: file.size, records: 0 });
    try {
      const { files } = await api.stream<{ files: ImportOutcome[] }>(
        `/api/imports${query({ name: file.name, options: optionsOf(mapping) })}`,
        file,
        (e) => {
          if (e.event !== 'progress') return;
          const p = e.data as { bytes: number; size: number | null; records: number };
          setPhase({ kind: 'importing', file, bytes: p.bytes, size: p.size, records: p.records });
        },
        file.type || 'application/octet-stream',
      );
      setPhase({ kind: 'done', file, outcomes: files });
      props.onImported();
    } catch (e) {
      setError(e);
      setPhase({ kind: 'idle' });
    }
  }

  const choose = (files: FileList | null | undefined) => {
    const file = files?.[0];
    if (file) void preview(file, null);
  };

  return (
    <section aria-labelledby="import-title" data-phase={phase.kind}>
      <h2 id="import-title">{t('importTitle')}</h2>
      <p>{t('importIntro')}</p>
      {(phase.kind === 'idle' || phase.kind === 'done') && (
        <div
          class={dragging ? 'dropzone dragging' : 'dropzone'}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            choose(e.dataTransfer?.files);
          }}
        >
          <p>{t('dropHere')}</p>
          <label class="button" for="import-file">
            {t('chooseFile')}
          </label>
          <input
            id="import-file"
            class="visually-hidden"
            type="file"
            onChange={(e) => {
              choose(e.currentTarget.files);
              e.currentTarget.value = '';
            }}
          />
        </div>
      )}
      {error !== null && <ErrorNotice error={error} />}
      {phase.kind === 'reading' && <Progress label={t('reading', { file: phase.file.name })} />}
      {phase.kind === 'preview' && (
        <div class="import-preview">
          <h3>{t('previewTitle', { file: phase.file.name })}</h3>
          {phase.outcomes.map((o) => (
            <Outcome key={o.file} outcome={o} doctypes={props.doctypes} preview />
          ))}
          {mapping && (
            <MappingEditor
              mapping={mapping}
              columns={(phase.outcomes[0]?.report?.details?.columns as string[] | undefined) ?? []}
              onChange={setMapping}
            />
          )}
          <div class="actions">
            {mapping && (
              <button type="button" class="button-secondary" onClick={() => void preview(phase.file, mapping)}>
                {t('previewAgain')}
              </button>
            )}
            <button type="button" onClick={() => void commit(phase.file)}>
              {t('importNow')}
            </button>
            <button type="button" class="button-secondary" onClick={() => setPhase({ kind: 'idle' })}>
              {t('refuse')}
            </button>
          </div>
        </div>
      )}
      {phase.kind === 'importing' && (
        <Progress
          label={t('importing', { file: phase.file.name })}
          {...(phase.size ? { value: phase.bytes, max: phase.size } : {})}
          detail={`${formatBytes(locale, phase.bytes)} · ${t('records', { count: formatNumber(locale, phase.records) })}`}
        />
      )}
      {phase.kind === 'done' && (
        <div class="import-done" data-testid="import-summary">
          {phase.outcomes.map((o) => (
            <Outcome key={o.file} outcome={o} doctypes={props.doctypes} preview={false} />
          ))}
        </div>
      )}
    </section>
  );
}

function totals(report: ImportReport) {
  const sum = (k: 'created' | 'updated' | 'unchanged') => Object.values(report.counts).reduce((n, c) => n + c[k], 0);
  return { created: sum('created'), updated: sum('updated'), unchanged: sum('unchanged') };
}

function Outcome(props: { outcome: ImportOutcome; doctypes: DoctypeTitles | undefined; preview: boolean }) {
  const t = useT(messages);
  const { locale } = useLocale();
  const { outcome } = props;
  if (outcome.status === 'skipped') return <p class="help">{`${outcome.file}: ${t('skipped')}`}</p>;
  if (outcome.error || !outcome.report) {
    return (
      <div class="notice notice-error" role="alert">
        <p>{`${outcome.file}: ${outcome.error?.message ?? ''}`}</p>
      </div>
    );
  }
  const report = outcome.report;
  const n = totals(report);
  return (
    <div class="import-outcome">
      {!props.preview && (
        <p class="notice notice-ok" role="status">
          {t('importDone', {
            file: outcome.file,
            created: formatNumber(locale, n.created),
            updated: formatNumber(locale, n.updated),
            unchanged: formatNumber(locale, n.unchanged),
          })}
        </p>
      )}
      <p>
        <strong>{t('recognised', { format: report.format.title, encoding: report.encoding })}</strong> ·{' '}
        {t('records', { count: formatNumber(locale, report.records) })}
      </p>
      <div class="table-wrap">
        <table class="table table-compact">
          <caption class="visually-hidden">{t('willImport')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('doctype')}</th>
              <th scope="col" class="num">
                {t('toCreate')}
              </th>
              <th scope="col" class="num">
                {t('toUpdate')}
              </th>
              <th scope="col" class="num">
                {t('unchangedCount')}
              </th>
              <th scope="col" class="num">
                {t('points')}
              </th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(report.counts).map(([doctype, c]) => (
              <tr key={doctype} data-doctype={doctype}>
                <th scope="row">{doctypeTitle(props.doctypes, doctype, locale)}</th>
                <td class="num" data-created={c.created}>
                  {formatNumber(locale, c.created)}
                </td>
                <td class="num">{formatNumber(locale, c.updated)}</td>
                <td class="num">{formatNumber(locale, c.unchanged)}</td>
                <td class="num">{formatNumber(locale, c.points)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {props.preview &&
        Object.entries(report.sample).map(([doctype, items]) => (
          <Sample
            key={doctype}
            title={`${t('sample')}: ${doctypeTitle(props.doctypes, doctype, locale)}`}
            items={items}
          />
        ))}
      {report.warnings.length > 0 && (
        <details>
          <summary>
            {t('warnings')} ({formatNumber(locale, report.warningCount)})
          </summary>
          <ul>
            {report.warnings.slice(0, 20).map((w, i) => (
              <li key={i}>
                {w.line !== undefined && `${t('line', { line: w.line })}: `}
                {w.message}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

function Sample(props: { title: string; items: unknown[] }) {
  const rows = props.items.slice(0, 5) as Record<string, unknown>[];
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((k) => !k.startsWith('_')).slice(0, 6);
  if (rows.length === 0) return null;
  const text = (v: unknown) =>
    v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return (
    <div class="table-wrap">
      <table class="table table-compact sample">
        <caption>{props.title}</caption>
        <thead>
          <tr>
            {keys.map((k) => (
              <th key={k} scope="col">
                {k}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {keys.map((k) => (
                <td key={k}>{text(r[k])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function MappingEditor(props: { mapping: CsvMapping; columns: string[]; onChange: (m: CsvMapping) => void }) {
  const t = useT(messages);
  const { mapping, columns } = props;
  if (columns.length === 0) return null;
  return (
    <fieldset class="mapping">
      <legend>{t('mapping')}</legend>
      <p class="help">{t('mappingIntro')}</p>
      <div class="mapping-grid">
        {MAPPED_ROLES.map((role) => (
          <div key={role} class="field">
            <label for={`map-${role}`}>{t(`role.${role}` as keyof typeof messages.en)}</label>
            <select
              id={`map-${role}`}
              value={mapping.columns[role] === undefined ? '' : String(mapping.columns[role])}
              onChange={(e) => {
                const value = e.currentTarget.value;
                const next = { ...mapping.columns };
                if (value === '') delete next[role];
                else next[role] = Number(value);
                props.onChange({ ...mapping, columns: next });
              }}
            >
              <option value="">{t('notUsed')}</option>
              {columns.map((c, i) => (
                <option key={i} value={String(i)}>
                  {c}
                </option>
              ))}
            </select>
          </div>
        ))}
      </div>
    </fieldset>
  );
}
