/**
 * One doctype's records in a virtualized table: loaded page by page (10,000 at a time, the table
 * usable from the first page), filtered by words and by source, sorted by any column, with
 * selection for deleting (the attached files named before they go).
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Bilingual, StoredDoc } from '../../api/types.js';
import { useApi } from '../../app/app-context.js';
import { Link } from '../../app/router.js';
import { DataTable } from '../../components/data-table.js';
import * as componentMessages from '../../components/messages.js';
import { ErrorNotice, Loading, Progress } from '../../components/states.js';
import { useLoad } from '../../components/use-load.js';
import { createFormatters, formatNumber } from '../../i18n/format.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import { cellText, columnsOf, sortKeyOf, type Column } from './columns.js';
import { attachedFiles, deleteRecords } from './delete-records.js';
import * as messages from './messages.js';
import { sourceKeyOf, sourceLabel } from './source-label.js';
import { filterRows, sortRows, type SortKey } from './table-view.js';

const PAGE = 10_000;

interface DoctypeDetail {
  name: string;
  title: Bilingual;
  schema: { properties?: Record<string, never>; required?: string[] };
  fileFields: string[];
}

interface Loaded {
  docs: StoredDoc[];
  search: string[];
  sources: string[];
  done: boolean;
  /** Bumped on every page, so views recompute. */
  version: number;
}

export function DoctypeTable(props: { doctype: string; source: string }) {
  const t = useT(messages);
  const tc = useT(componentMessages);
  const { locale } = useLocale();
  const fmt = useMemo(() => createFormatters(locale), [locale]);
  const api = useApi();
  const detail = useLoad(
    () => api.get<DoctypeDetail>(`/api/doctypes/${encodeURIComponent(props.doctype)}`),
    [api, props.doctype],
  );
  const columns = useMemo(() => (detail.data ? columnsOf(detail.data.schema) : []), [detail.data]);
  const [loaded, setLoaded] = useState<Loaded>({ docs: [], search: [], sources: [], done: false, version: 0 });
  const [loadError, setLoadError] = useState<unknown>(undefined);
  const [filterInput, setFilterInput] = useState('');
  const [filter, setFilter] = useState('');
  const [source, setSource] = useState(props.source);
  const [sort, setSort] = useState<{ key: string; direction: 'asc' | 'desc' } | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const sortKeys = useRef(new Map<string, SortKey[]>());

  // Pages of records, appended as they come; the table works from the first one.
  useEffect(() => {
    if (columns.length === 0) return;
    let stopped = false;
    const docs: StoredDoc[] = [];
    const search: string[] = [];
    const sources: string[] = [];
    // Sort keys too are computed as pages arrive, so sorting later is the sort alone.
    sortKeys.current = new Map();
    const keys = columns.map((c) => {
      const column: SortKey[] = [];
      sortKeys.current.set(c.field, column);
      return column;
    });
    setLoaded({ docs, search, sources, done: false, version: 0 });
    const kept = [...new Set([...columns.map((c) => c.field), 'currency', ...(detail.data?.fileFields ?? [])])];
    (async () => {
      let bookmark: string | undefined;
      let version = 0;
      do {
        const page: { docs: StoredDoc[]; bookmark?: string } = await api.post(
          `/api/data/${encodeURIComponent(props.doctype)}/_find`,
          { selector: {}, limit: PAGE, meta: true, fields: kept, ...(bookmark ? { bookmark } : {}) },
        );
        if (stopped) return;
        for (const doc of page.docs) {
          // Only what the table shows stays in memory: a smaller heap keeps garbage collection
          // pauses short while scrolling (the record's page reads the whole document).
          const row: StoredDoc = { _id: doc._id, _rev: doc._rev };
          for (const f of kept) if (doc[f] !== undefined) row[f] = doc[f];
          docs.push(row);
          search.push(
            columns
              .map((c) => cellText(c, row, fmt))
              .join(' ')
              .toLowerCase(),
          );
          sources.push(sourceKeyOf(doc._meta?.createdBy));
          columns.forEach((c, i) => keys[i]!.push(sortKeyOf(c, row)));
        }
        bookmark = page.docs.length === PAGE ? page.bookmark : undefined;
        setLoaded({ docs, search, sources, done: !bookmark, version: ++version });
      } while (bookmark);
    })().catch((e: unknown) => !stopped && setLoadError(e));
    return () => {
      stopped = true;
    };
  }, [api, props.doctype, columns, fmt, detail.data]);

  // Typing settles for a moment before the filter runs.
  useEffect(() => {
    const timer = setTimeout(() => setFilter(filterInput), 150);
    return () => clearTimeout(timer);
  }, [filterInput]);

  const view = useMemo(() => {
    const { docs, search, sources } = loaded;
    let base: Uint32Array | undefined;
    if (source) {
      const within: number[] = [];
      for (let i = 0; i < sources.length; i++) if (sources[i] === source) within.push(i);
      base = Uint32Array.from(within);
    }
    let rows = filter || base ? filterRows(search, filter, base) : Uint32Array.from(docs.keys());
    if (sort) {
      const column = columns.find((c) => c.field === sort.key);
      if (column) rows = sortRows(rows, keysOf(column), sort.direction);
    }
    return rows;
    // `loaded.version` stands for the loaded arrays, which grow in place.
  }, [loaded.version, filter, source, sort, columns]);

  function keysOf(column: Column): SortKey[] {
    let keys = sortKeys.current.get(column.field);
    if (!keys || keys.length !== loaded.docs.length) {
      keys = loaded.docs.map((d) => sortKeyOf(column, d));
      sortKeys.current.set(column.field, keys);
    }
    return keys;
  }

  const title = detail.data?.title[locale] ?? props.doctype;
  const sourceChoices = useMemo(() => [...new Set(loaded.sources)].sort(), [loaded.version, loaded.sources]);
  const selectedDocs = () => loaded.docs.filter((d) => selected.has(d._id));

  async function confirmDelete() {
    setActionError(null);
    const docs = selectedDocs();
    try {
      await deleteRecords(api, props.doctype, docs, detail.data?.fileFields ?? []);
      const gone = new Set(docs.map((d) => d._id));
      const keep = loaded.docs.map((d, i) => (gone.has(d._id) ? -1 : i)).filter((i) => i >= 0);
      sortKeys.current = new Map();
      setLoaded({
        docs: keep.map((i) => loaded.docs[i]!),
        search: keep.map((i) => loaded.search[i]!),
        sources: keep.map((i) => loaded.sources[i]!),
        done: loaded.done,
        version: loaded.version + 1,
      });
      setSelected(new Set());
      setConfirming(false);
      setNotice(t('deleted', { count: formatNumber(locale, docs.length) }));
    } catch (e) {
      setActionError(e);
    }
  }

  if (detail.error !== undefined) return <ErrorNotice error={detail.error} onRetry={detail.reload} />;
  if (!detail.data) return <Loading />;
  const files = confirming ? attachedFiles(selectedDocs(), detail.data.fileFields) : [];

  return (
    <section data-ready={loaded.done ? 'table' : undefined}>
      <p>
        <Link href="/data">{t('back')}</Link>
      </p>
      <h1>{title}</h1>
      {!loaded.done && <Progress label={t('loadingRows', { loaded: formatNumber(locale, loaded.docs.length) })} />}
      {loadError !== undefined && <ErrorNotice error={loadError} />}
      {notice && (
        <p class="notice notice-ok" role="status">
          {notice}
        </p>
      )}
      {actionError !== null && <ErrorNotice error={actionError} />}
      <div class="toolbar">
        <div class="field">
          <label for="table-filter">{t('filter')}</label>
          <input
            id="table-filter"
            type="search"
            value={filterInput}
            aria-describedby="table-filter-help"
            onInput={(e) => setFilterInput(e.currentTarget.value)}
          />
          <p id="table-filter-help" class="help">
            {t('filterHelp')}
          </p>
        </div>
        {sourceChoices.length > 1 || source ? (
          <div class="field">
            <label for="table-source">{t('source')}</label>
            <select id="table-source" value={source} onChange={(e) => setSource(e.currentTarget.value)}>
              <option value="">{t('allSources')}</option>
              {sourceChoices.map((key) => {
                const [kind, ...id] = key.split(':');
                return (
                  <option key={key} value={key}>
                    {sourceLabel(t, kind!, id.join(':') || null)}
                  </option>
                );
              })}
            </select>
          </div>
        ) : null}
        {selected.size > 0 && (
          <div class="actions">
            <button type="button" class="button-danger" onClick={() => setConfirming(true)}>
              {t('deleteSelected', { count: formatNumber(locale, selected.size) })}
            </button>
            <button type="button" class="button-secondary" onClick={() => setSelected(new Set())}>
              {t('clearSelection')}
            </button>
          </div>
        )}
      </div>
      {confirming && (
        <div class="notice notice-warn" role="alertdialog" aria-labelledby="confirm-title">
          <p id="confirm-title">
            <strong>{t('confirmTitle', { count: formatNumber(locale, selected.size) })}</strong>
          </p>
          <ul>
            <li>{t('confirmDocs', { count: formatNumber(locale, selected.size), doctype: title })}</li>
            <li>
              {files.length > 0
                ? t('confirmFiles', { count: formatNumber(locale, files.length) })
                : t('confirmNoFiles')}
            </li>
          </ul>
          <p>{t('confirmFinal')}</p>
          <div class="actions">
            <button type="button" class="button-danger" onClick={() => void confirmDelete()}>
              {t('confirmDelete')}
            </button>
            <button type="button" class="button-secondary" onClick={() => setConfirming(false)}>
              {tc('cancel')}
            </button>
          </div>
        </div>
      )}
      <DataTable
        caption={title}
        columns={columns.map((c) => ({
          key: c.field,
          label: c.title[locale],
          numeric: c.kind === 'amount' || c.kind === 'number',
        }))}
        count={view.length}
        cell={(p, ci) => cellText(columns[ci]!, loaded.docs[view[p]!]!, fmt)}
        rowKey={(p) => loaded.docs[view[p]!]!._id}
        rowHref={(p) => `/data/${encodeURIComponent(props.doctype)}/${encodeURIComponent(loaded.docs[view[p]!]!._id)}`}
        renderLink={(href, text) => <Link href={href}>{text}</Link>}
        sort={sort}
        onSort={(key) =>
          setSort((s) =>
            s?.key === key ? (s.direction === 'asc' ? { key, direction: 'desc' } : null) : { key, direction: 'asc' },
          )
        }
        selected={(p) => selected.has(loaded.docs[view[p]!]!._id)}
        onToggle={(p) => {
          const id = loaded.docs[view[p]!]!._id;
          const next = new Set(selected);
          if (next.has(id)) next.delete(id);
          else next.add(id);
          setSelected(next);
        }}
        selectLabel={(p) => t('select', { label: cellText(columns[0]!, loaded.docs[view[p]!]!, fmt) || String(p + 1) })}
      />
    </section>
  );
}
