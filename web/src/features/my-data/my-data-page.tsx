/**
 * My data: the index (by kind of data, by source), a doctype's table, a record's detail. The path
 * says which: `/data`, `/data/<doctype>[?source=kind:id]`, `/data/<doctype>/<id>`.
 */
import { doctypeTitle, loadDoctypes } from '../../api/doctypes.js';
import type { SpaceSummary } from '../../api/types.js';
import { useApi } from '../../app/app-context.js';
import type { PageProps } from '../../app/page.js';
import { Link } from '../../app/router.js';
import { EmptyState, ErrorNotice, Loading } from '../../components/states.js';
import { useLoad } from '../../components/use-load.js';
import { formatNumber } from '../../i18n/format.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import { ExportPanel } from '../export/export-panel.js';
import { DoctypeTable } from './doctype-table.js';
import * as messages from './messages.js';
import { RecordDetail } from './record-detail.js';
import { sourceLabel } from './source-label.js';

export function MyDataPage(props: PageProps) {
  const { doctype, id } = props.params;
  if (doctype && id) return <RecordDetail doctype={doctype} id={id} />;
  if (doctype) return <DoctypeTable doctype={doctype} source={props.query.get('source') ?? ''} />;
  return <DataIndex />;
}

function DataIndex() {
  const t = useT(messages);
  const { locale } = useLocale();
  const api = useApi();
  const data = useLoad(() => Promise.all([api.get<SpaceSummary>('/api/summary'), loadDoctypes(api)]), [api]);
  const [summary, doctypes] = data.data ?? [];
  const totals = new Map<string, number>();
  for (const s of summary?.sources ?? [])
    for (const d of s.doctypes) totals.set(d.doctype, (totals.get(d.doctype) ?? 0) + d.count);
  const names = [...totals.keys()].sort((a, b) =>
    doctypeTitle(doctypes, a, locale).localeCompare(doctypeTitle(doctypes, b, locale), locale),
  );

  return (
    <section>
      <h1>{t('title')}</h1>
      <p>{t('intro')}</p>
      {data.loading && !data.data && <Loading />}
      {data.error !== undefined && <ErrorNotice error={data.error} onRetry={data.reload} />}
      {summary && names.length === 0 && summary.series.length === 0 && (
        <EmptyState title={t('emptyTitle')} action={<Link href="/connect">{t('goConnect')}</Link>}>
          <p>{t('emptyText')}</p>
        </EmptyState>
      )}
      {summary && (names.length > 0 || summary.series.length > 0) && (
        <>
          <h2>{t('byDoctype')}</h2>
          <ul class="doctype-list">
            {names.map((name) => (
              <li key={name}>
                <Link href={`/data/${encodeURIComponent(name)}`}>
                  <span>{doctypeTitle(doctypes, name, locale)}</span>
                  <span class="help">{t('items', { count: formatNumber(locale, totals.get(name) ?? 0) })}</span>
                </Link>
              </li>
            ))}
            {summary.series.map((s) => (
              <li key={s.doctype}>
                <span class="doctype-series">
                  <span>{doctypeTitle(doctypes, s.doctype, locale)}</span>{' '}
                  <span class="help">{t('readings', { count: formatNumber(locale, s.points) })}</span>
                </span>
              </li>
            ))}
          </ul>
          <h2>{t('bySource')}</h2>
          {summary.sources.map((source) => (
            <div key={`${source.kind}:${source.id}`} class="source-group">
              <h3>{sourceLabel(t, source.kind, source.id)}</h3>
              <ul class="doctype-list">
                {source.doctypes.map((d) => (
                  <li key={d.doctype}>
                    <Link
                      href={`/data/${encodeURIComponent(d.doctype)}?source=${encodeURIComponent(`${source.kind}:${source.id ?? ''}`)}`}
                    >
                      <span>{doctypeTitle(doctypes, d.doctype, locale)}</span>
                      <span class="help">{t('items', { count: formatNumber(locale, d.count) })}</span>
                    </Link>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </>
      )}
      <ExportPanel />
    </section>
  );
}
