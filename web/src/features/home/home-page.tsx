/**
 * Home: what the space holds, source by source (connected organisations, imported files, apps,
 * the owner's own entries): items per kind of data, the period covered, the last update, and for
 * connectors their status with the action to take.
 */
import { doctypeTitle, loadDoctypes, type DoctypeTitles } from '../../api/doctypes.js';
import type { ConnectorListing, ImportReport, SeriesSummary, SourceSummary, SpaceSummary } from '../../api/types.js';
import { useApi } from '../../app/app-context.js';
import type { PageProps } from '../../app/page.js';
import { Link } from '../../app/router.js';
import { StatusBadge } from '../../components/badge.js';
import { EmptyState, ErrorNotice, Loading } from '../../components/states.js';
import { useLoad } from '../../components/use-load.js';
import { formatDate, formatDateTime, formatMonth, formatNumber } from '../../i18n/format.js';
import { useLocale, useT, type Locale, type Translate } from '../../i18n/i18n.js';
import { connectorState } from '../connect/connector-state.js';
import * as connectMessages from '../connect/messages.js';
import * as messages from './messages.js';

interface HomeData {
  summary: SpaceSummary;
  connectors: ConnectorListing[];
  imports: ImportReport[];
  doctypes: DoctypeTitles;
}

export function HomePage(_props: PageProps) {
  const t = useT(messages);
  const api = useApi();
  const home = useLoad<HomeData>(async () => {
    const [summary, connectors, imports, doctypes] = await Promise.all([
      api.get<SpaceSummary>('/api/summary'),
      api.get<{ connectors: ConnectorListing[] }>('/api/connectors'),
      api.get<{ imports: ImportReport[] }>('/api/imports'),
      loadDoctypes(api),
    ]);
    return { summary, connectors: connectors.connectors, imports: imports.imports, doctypes };
  }, [api]);

  return (
    <section data-ready={home.data ? 'home' : undefined}>
      <h1>{t('title')}</h1>
      <p>{t('intro')}</p>
      {home.loading && !home.data && <Loading />}
      {home.error !== undefined && <ErrorNotice error={home.error} onRetry={home.reload} />}
      {home.data && <Sources data={home.data} />}
    </section>
  );
}

function Sources(props: { data: HomeData }) {
  const t = useT(messages);
  const { locale } = useLocale();
  const { summary, connectors, imports, doctypes } = props.data;
  const installed = connectors.filter((c) => c.installed);
  const bySource = new Map(summary.sources.map((s) => [`${s.kind}:${s.id ?? ''}`, s]));
  const claimed = new Set<string>();
  const seriesOf = (listing: ConnectorListing) =>
    summary.series.filter(
      (s) =>
        listing.manifest.doctypes.some((d) => d.doctype === s.doctype) &&
        !claimed.has(s.doctype) &&
        claimed.add(s.doctype),
    );

  const others = summary.sources.filter(
    (s) => s.kind !== 'connector' || !installed.some((c) => c.manifest.id === s.id),
  );
  const connectorCards = installed.map((listing) => ({ listing, series: seriesOf(listing) }));
  const unclaimed = summary.series.filter((s) => !claimed.has(s.doctype));

  if (installed.length === 0 && summary.sources.length === 0 && summary.series.length === 0) {
    return (
      <EmptyState title={t('emptyTitle')} action={<Link href="/connect">{t('goConnect')}</Link>}>
        <p>{t('emptyText')}</p>
      </EmptyState>
    );
  }
  const totalDocs = summary.sources.reduce((n, s) => n + s.count, 0);
  const totalPoints = summary.series.reduce((n, s) => n + s.points, 0);
  return (
    <>
      <dl class="facts" aria-label={t('summaryTitle')}>
        <dt>{t('sources')}</dt>
        <dd data-testid="home-sources">{formatNumber(locale, installed.length + others.length)}</dd>
        <dt>{t('documents')}</dt>
        <dd data-testid="home-documents">{formatNumber(locale, totalDocs)}</dd>
        <dt>{t('readings')}</dt>
        <dd data-testid="home-points">{formatNumber(locale, totalPoints)}</dd>
      </dl>
      <div class="cards">
        {connectorCards.map(({ listing, series }) => (
          <ConnectorCard
            key={listing.manifest.id}
            listing={listing}
            source={bySource.get(`connector:${listing.manifest.id}`)}
            series={series}
            doctypes={doctypes}
          />
        ))}
        {others.map((source) => (
          <SourceCard key={`${source.kind}:${source.id}`} source={source} imports={imports} doctypes={doctypes} />
        ))}
        {unclaimed.length > 0 && (
          <article class="card">
            <h2>{t('series')}</h2>
            <DoctypeTable rows={[]} series={unclaimed} doctypes={doctypes} locale={locale} t={t} />
          </article>
        )}
      </div>
    </>
  );
}

function ConnectorCard(props: {
  listing: ConnectorListing;
  source: SourceSummary | undefined;
  series: SeriesSummary[];
  doctypes: DoctypeTitles;
}) {
  const t = useT(messages);
  const tc = useT(connectMessages);
  const { locale } = useLocale();
  const { manifest, installed } = props.listing;
  const state = connectorState(props.listing);
  const holder = manifest.holder.name;
  const tone =
    state.status === 'ok' ? 'ok' : state.status === 'failing' ? 'bad' : state.status === 'running' ? 'info' : 'warn';
  const label = {
    ok: tc('statusOk'),
    action: tc('statusAction'),
    failing: tc('statusFailing'),
    running: tc('statusRunning'),
    'not-installed': '',
  }[state.status];
  return (
    <article class="card" data-source={`connector:${manifest.id}`}>
      <h2>{holder}</h2>
      <p class="card-meta">
        <StatusBadge tone={tone} label={label} />{' '}
        {installed?.lastRun
          ? tc('lastRun', { when: formatDateTime(locale, installed.lastRun.endedAt) })
          : tc('neverRun')}
      </p>
      {state.action && (
        <div class={state.status === 'failing' ? 'notice notice-error' : 'notice notice-warn'}>
          <p>
            <strong>{t('whatToDo')}: </strong>
            {state.code && state.status === 'failing'
              ? tc(`error.${state.code}` as keyof typeof connectMessages.en, { holder })
              : tc(`action.${state.action}` as keyof typeof connectMessages.en, { holder })}
          </p>
          {state.action !== 'wait' && (
            <Link href={`/connect?connector=${encodeURIComponent(manifest.id)}`}>{t('fix')}</Link>
          )}
        </div>
      )}
      <DoctypeTable
        rows={props.source?.doctypes ?? []}
        series={props.series}
        doctypes={props.doctypes}
        locale={locale}
        t={t}
      />
    </article>
  );
}

function SourceCard(props: { source: SourceSummary; imports: ImportReport[]; doctypes: DoctypeTitles }) {
  const t = useT(messages);
  const { locale } = useLocale();
  const { source } = props;
  const title =
    source.kind === 'import'
      ? t('importer')
      : source.kind === 'owner'
        ? t('owner')
        : source.kind === 'app' || source.kind === 'service'
          ? `${t('app')}: ${source.id}`
          : `${t('other')}: ${source.id ?? source.kind}`;
  const lastImport =
    source.kind === 'import'
      ? props.imports.find((i) => i.format.id === source.id && i.status === 'imported')
      : undefined;
  return (
    <article class="card" data-source={`${source.kind}:${source.id ?? ''}`}>
      <h2>
        {title}
        {lastImport && <span class="card-sub"> · {lastImport.format.title}</span>}
      </h2>
      <p class="card-meta">
        <StatusBadge tone="ok" label="OK" /> {t('lastUpdate')}: {formatDateTime(locale, source.lastUpdate)}
      </p>
      {lastImport && <p class="help">{t('lastImport', { file: lastImport.file })}</p>}
      <DoctypeTable rows={source.doctypes} series={[]} doctypes={props.doctypes} locale={locale} t={t} />
    </article>
  );
}

function DoctypeTable(props: {
  rows: SourceSummary['doctypes'];
  series: SeriesSummary[];
  doctypes: DoctypeTitles;
  locale: Locale;
  t: Translate<typeof messages.en>;
}) {
  const { rows, series, doctypes, locale, t } = props;
  if (rows.length === 0 && series.length === 0) return null;
  const period = (from: string | null, to: string | null, month = false) => {
    if (!from || !to) return '—';
    // A range breaks only after its dash, never inside a date ("March" / "2026") or before the dash.
    const f = (v: string) => (month ? formatMonth(locale, v) : formatDate(locale, v, 'short')).replace(/ /g, '\u00a0');
    return t('periodRange', { from: f(from), to: f(to) });
  };
  return (
    <div class="table-wrap">
      <table class="table table-compact">
        <thead>
          <tr>
            <th scope="col">{t('doctype')}</th>
            <th scope="col" class="num">
              {t('count')}
            </th>
            <th scope="col">{t('period')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.doctype} data-doctype={r.doctype}>
              <th scope="row">
                <Link href={`/data/${encodeURIComponent(r.doctype)}`}>{doctypeTitle(doctypes, r.doctype, locale)}</Link>
              </th>
              <td class="num" data-count={r.count}>
                {formatNumber(locale, r.count)}
              </td>
              <td>{period(r.from, r.to)}</td>
            </tr>
          ))}
          {series.map((s) => (
            <tr key={s.doctype} data-doctype={s.doctype}>
              <th scope="row">{doctypeTitle(doctypes, s.doctype, locale)}</th>
              <td class="num" data-count={s.points}>
                {t('points', { count: formatNumber(locale, s.points) })}
              </td>
              <td>{period(s.from, s.to, true)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
