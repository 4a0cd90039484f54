/**
 * The access log: a timeline of the ledger (newest first, by day) with filters (who, which data,
 * when, outcome), a chart of accesses per grantee and per day from the server's aggregates,
 * refused accesses highlighted, and "verify integrity" (the hash chain checked by the server).
 * Filters live in the address (`?grantee=connector:bank-psd2&from=2026-03-01`), so a view can be
 * linked to.
 */
import { useState } from 'preact/hooks';
import type { Api } from '../../api/client.js';
import { doctypeTitle, loadDoctypes } from '../../api/doctypes.js';
import { query } from '../../api/client.js';
import type { PageProps } from '../../app/page.js';
import { useApi } from '../../app/app-context.js';
import { useRouter } from '../../app/router.js';
import { dayLabel } from '../../charts/axis-labels.js';
import { BarChart } from '../../charts/bar-chart.js';
import '../../charts/charts.css';
import { EmptyState, ErrorNotice, Loading } from '../../components/states.js';
import { useLoad } from '../../components/use-load.js';
import { formatDate, formatNumber, localeTag } from '../../i18n/format.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import { addDays, daysBetween, localDay } from '../mon-logis/calendar.js';
import {
  actorKey,
  actorName,
  entryWords,
  groupByDay,
  stackByActorAndDay,
  topActors,
  type AggregateRow,
  type LedgerEntry,
} from './ledger-view.js';
import * as messages from './messages.js';
import './access-log.css';

interface Filters {
  grantee: string;
  doctype: string;
  from: string;
  to: string;
  outcome: string;
}

interface Aggregate {
  timeZone: string;
  rows: AggregateRow[];
}

const PALETTE = ['#24406b', '#b36b00', '#1f7a8c', '#7b3f8c', '#1e6b3a', '#8c887d'];
const NAMED_ACTORS = 5;

/** The API's filter parameters: `to` is exclusive there, included here. */
const apiFilters = (f: Filters) => ({
  grantee: f.grantee || undefined,
  doctype: f.doctype || undefined,
  outcome: f.outcome || undefined,
  from: f.from || undefined,
  to: f.to ? addDays(f.to, 1) : undefined,
});

async function loadContext(api: Api) {
  const [grants, titles, actors, types] = await Promise.all([
    api.get<{ grants: { id: string; grantee: { kind: string; id: string; name: string } }[] }>('/api/grants'),
    loadDoctypes(api),
    api.get<Aggregate>('/api/ledger/aggregate?by=actor'),
    api.get<Aggregate>('/api/ledger/aggregate?by=doctype'),
  ]);
  const names = new Map(
    grants.grants.flatMap((g) => [
      [actorKey(g.grantee.kind, g.grantee.id), g.grantee.name],
      [`grant:${g.id}`, g.grantee.name],
    ]),
  );
  return {
    names,
    titles,
    timeZone: actors.timeZone,
    actors: actors.rows.map((r) => r.key),
    doctypes: types.rows.map((r) => r.key),
  };
}

export function AccessLogPage(props: PageProps) {
  const t = useT(messages);
  const { locale } = useLocale();
  const api = useApi();
  const { navigate } = useRouter();
  const filters: Filters = {
    grantee: props.query.get('grantee') ?? '',
    doctype: props.query.get('doctype') ?? '',
    from: props.query.get('from') ?? '',
    to: props.query.get('to') ?? '',
    outcome: props.query.get('outcome') ?? '',
  };
  const [draft, setDraft] = useState<Filters>(filters);
  const context = useLoad(() => loadContext(api), [api]);
  const apply = (next: Filters) => navigate(`/access-log${query({ ...next })}`, { replace: true });
  const title = (doctype: string) => {
    if (context.data?.titles.has(doctype)) return doctypeTitle(context.data.titles, doctype, locale);
    // Foyer's own doctypes are not in the catalog.
    return doctype in messages.en ? t(doctype as keyof typeof messages.en) : doctype;
  };
  const who = (key: string) =>
    key === 'others' ? t('others') : actorName(key, context.data?.names ?? new Map(), locale);

  return (
    <section class="access-log">
      <h1>{t('title')}</h1>
      <p class="help">{t('intro')}</p>
      <Verify />
      {context.error ? (
        <ErrorNotice error={context.error} onRetry={context.reload} />
      ) : !context.data ? (
        <Loading />
      ) : (
        <>
          <form
            class="ledger-filters"
            aria-label={t('filters')}
            onSubmit={(e) => {
              e.preventDefault();
              apply(draft);
            }}
          >
            <div class="field">
              <label for="filter-who">{t('who')}</label>
              <select
                id="filter-who"
                value={draft.grantee}
                onChange={(e) => setDraft({ ...draft, grantee: (e.target as HTMLSelectElement).value })}
              >
                <option value="">{t('everyone')}</option>
                {context.data.actors.map((a) => (
                  <option key={a} value={a}>
                    {who(a)}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="filter-data">{t('whichData')}</label>
              <select
                id="filter-data"
                value={draft.doctype}
                onChange={(e) => setDraft({ ...draft, doctype: (e.target as HTMLSelectElement).value })}
              >
                <option value="">{t('allData')}</option>
                {context.data.doctypes.map((d) => (
                  <option key={d} value={d}>
                    {title(d)}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="filter-from">{t('from')}</label>
              <input
                id="filter-from"
                type="date"
                value={draft.from}
                onChange={(e) => setDraft({ ...draft, from: (e.target as HTMLInputElement).value })}
              />
            </div>
            <div class="field">
              <label for="filter-to">{t('to')}</label>
              <input
                id="filter-to"
                type="date"
                value={draft.to}
                onChange={(e) => setDraft({ ...draft, to: (e.target as HTMLInputElement).value })}
              />
            </div>
            <div class="field">
              <label for="filter-outcome">{t('outcome')}</label>
              <select
                id="filter-outcome"
                value={draft.outcome}
                onChange={(e) => setDraft({ ...draft, outcome: (e.target as HTMLSelectElement).value })}
              >
                <option value="">{t('allOutcomes')}</option>
                <option value="allowed">{t('allowed')}</option>
                <option value="denied">{t('denied')}</option>
                <option value="failed">{t('failed')}</option>
              </select>
            </div>
            <div class="actions">
              <button type="submit">{t('apply')}</button>
              <button
                type="button"
                class="button-secondary"
                onClick={() => {
                  const empty = { grantee: '', doctype: '', from: '', to: '', outcome: '' };
                  setDraft(empty);
                  apply(empty);
                }}
              >
                {t('reset')}
              </button>
            </div>
          </form>
          <PerDayChart filters={filters} timeZone={context.data.timeZone} who={who} />
          <Timeline filters={filters} who={who} title={title} />
        </>
      )}
    </section>
  );
}

function PerDayChart(props: { filters: Filters; timeZone: string; who: (key: string) => string }) {
  const t = useT(messages);
  const { locale } = useLocale();
  const api = useApi();
  const f = props.filters;
  const to = f.to || localDay(Date.now(), props.timeZone);
  const from = f.from || addDays(to, -29);
  const data = useLoad(async () => {
    const scope = { ...apiFilters(f), from, to: addDays(to, 1) };
    const [byActor, totals] = await Promise.all([
      api.get<Aggregate>(`/api/ledger/aggregate${query({ ...scope, by: 'actor' })}`),
      api.get<Aggregate>(`/api/ledger/aggregate${query({ ...scope, by: 'day' })}`),
    ]);
    const named = topActors(byActor.rows, NAMED_ACTORS);
    const perActor = await Promise.all(
      named.map(async (actor) => ({
        actor,
        rows: (await api.get<Aggregate>(`/api/ledger/aggregate${query({ ...scope, grantee: actor, by: 'day' })}`)).rows,
      })),
    );
    return stackByActorAndDay(daysBetween(from, to), perActor, totals.rows);
  }, [api, f.grantee, f.doctype, f.outcome, from, to]);

  if (data.error) return <ErrorNotice error={data.error} onRetry={data.reload} />;
  if (!data.data) return <Loading />;
  if (data.data.actors.length === 0) return null;
  const stacked = data.data;
  return (
    <BarChart
      id="ledger-chart"
      title={t('chartTitle', { from: formatDate(locale, from, 'long'), to: formatDate(locale, to, 'long') })}
      keys={stacked.days}
      keyLabel={(k) => dayLabel(locale, k)}
      keyTitle={(k) => formatDate(locale, k, 'long')}
      series={stacked.actors.map((a, i) => ({ id: a, label: props.who(a), color: PALETTE[i % PALETTE.length]! }))}
      values={stacked.values}
      format={(v) => formatNumber(locale, v, 0)}
      marked={stacked.denied}
      markLabel={t('deniedMark')}
    />
  );
}

function Timeline(props: { filters: Filters; who: (key: string) => string; title: (doctype: string) => string }) {
  const t = useT(messages);
  const { locale } = useLocale();
  const api = useApi();
  const f = props.filters;
  const [older, setOlder] = useState<{ entries: LedgerEntry[]; cursor?: string } | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<unknown>(null);
  const first = useLoad(async () => {
    setOlder(null);
    return api.get<{ entries: LedgerEntry[]; cursor?: string }>(
      `/api/ledger${query({ ...apiFilters(f), limit: 100 })}`,
    );
  }, [api, f.grantee, f.doctype, f.outcome, f.from, f.to]);
  const entries = [...(first.data?.entries ?? []), ...(older?.entries ?? [])];
  const cursor = older ? older.cursor : first.data?.cursor;
  const more = async () => {
    if (!cursor) return;
    setLoadingOlder(true);
    setOlderError(null);
    try {
      const page = await api.get<{ entries: LedgerEntry[]; cursor?: string }>(
        `/api/ledger${query({ ...apiFilters(f), limit: 100, cursor })}`,
      );
      setOlder({
        entries: [...(older?.entries ?? []), ...page.entries],
        ...(page.cursor ? { cursor: page.cursor } : {}),
      });
    } catch (e) {
      setOlderError(e);
    } finally {
      setLoadingOlder(false);
    }
  };
  const time = (at: string) =>
    new Intl.DateTimeFormat(localeTag(locale), { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(
      new Date(at),
    );

  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t('timeline')}</h2>
      {first.error ? (
        <ErrorNotice error={first.error} onRetry={first.reload} />
      ) : !first.data ? (
        <Loading />
      ) : entries.length === 0 ? (
        <EmptyState title={t('empty')}>{t('emptyText')}</EmptyState>
      ) : (
        <>
          {groupByDay(entries).map((group) => (
            <section key={group.day} class="ledger-day" aria-labelledby={`day-${group.day}`}>
              <h3 id={`day-${group.day}`}>
                {formatDate(locale, group.day, 'long')}{' '}
                <span class="help">· {t('entries', { n: group.entries.length })}</span>
              </h3>
              <ol class="ledger-entries">
                {group.entries.map((e) => (
                  <li key={e.seq} class={`ledger-entry outcome-${e.outcome}`} data-seq={e.seq} data-outcome={e.outcome}>
                    <time dateTime={e.at}>{time(e.at)}</time>
                    <span class="ledger-who">{props.who(actorKey(e.actorKind, e.actorId))}</span>
                    <span class="ledger-what">{entryWords(e, props.title(e.doctype), locale)}</span>
                    {e.outcome !== 'allowed' && (
                      <span class="badge badge-bad">{t(e.outcome === 'denied' ? 'deniedBadge' : 'failedBadge')}</span>
                    )}
                    {e.grantVersion !== null && (
                      <span class="help">{t('grantVersion', { version: e.grantVersion })}</span>
                    )}
                  </li>
                ))}
              </ol>
            </section>
          ))}
          {olderError != null && <ErrorNotice error={olderError} />}
          {cursor && (
            <div class="actions">
              <button type="button" class="button-secondary" onClick={() => void more()} disabled={loadingOlder}>
                {t('loadOlder')}
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

interface Verification {
  ok: boolean;
  checked: number;
  head: { seq: number; hash: string };
  problems: { seq: number; kind: string; message: string }[];
}

function Verify() {
  const t = useT(messages);
  const { locale } = useLocale();
  const api = useApi();
  const [state, setState] = useState<{ running: boolean; result?: Verification; error?: unknown }>({ running: false });
  return (
    <div class="ledger-verify">
      <button
        type="button"
        class="button-secondary"
        disabled={state.running}
        onClick={async () => {
          setState({ running: true });
          try {
            setState({ running: false, result: await api.get<Verification>('/api/ledger/verify') });
          } catch (error) {
            setState({ running: false, error });
          }
        }}
      >
        {t('verify')}
      </button>
      <div role="status" aria-live="polite" id="verify-result">
        {state.running && <Loading label={t('verifying')} />}
        {state.error != null && <ErrorNotice error={state.error} />}
        {state.result &&
          (state.result.ok ? (
            <p class="notice notice-ok">
              {t('verifyOk', {
                checked: formatNumber(locale, state.result.checked),
                seq: formatNumber(locale, state.result.head.seq),
              })}
            </p>
          ) : (
            <div class="notice notice-error">
              <p>
                {t('verifyBad', {
                  count: state.result.problems.length,
                  checked: formatNumber(locale, state.result.checked),
                })}
              </p>
              <ul>
                {state.result.problems.slice(0, 20).map((p) => (
                  <li key={`${p.seq}-${p.kind}`}>
                    #{p.seq} {p.kind}: {p.message}
                  </li>
                ))}
              </ul>
            </div>
          ))}
      </div>
    </div>
  );
}
