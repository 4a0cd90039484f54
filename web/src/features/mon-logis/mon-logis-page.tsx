/**
 * Mon logis, the home dashboard: monthly housing costs (stacked bars from bills and bank debits),
 * electricity and gas per day and per month with a zoomable load curve, water with leak alerts,
 * and upcoming contract dates. It reads only the public data API, as a third-party app would;
 * each section loads, fails and shows its empty state on its own.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { Api } from '../../api/client.js';
import type { PageProps } from '../../app/page.js';
import { useApi } from '../../app/app-context.js';
import { dayLabel, monthLabel } from '../../charts/axis-labels.js';
import { BarChart } from '../../charts/bar-chart.js';
import { LineChart, type LinePoint } from '../../charts/line-chart.js';
import '../../charts/charts.css';
import { EmptyState, ErrorNotice, Loading } from '../../components/states.js';
import { useLoad } from '../../components/use-load.js';
import { useLocale, useT, type Locale, type Translate } from '../../i18n/i18n.js';
import { formatCurrency, formatDate, formatMonth, formatNumber, localeTag } from '../../i18n/format.js';
import { addDays, addMonths, localDay } from './calendar.js';
import { upcomingContractDates, type ContractDate } from './contract-dates.js';
import {
  loadCurveQuery,
  pan,
  perDay,
  perMonth,
  resolutionFor,
  totalOf,
  zoom,
  type DayRange,
  type Resolution,
} from './consumption.js';
import { HOUSING_CATEGORIES, housingCosts, type BillInput, type DebitInput } from './housing-costs.js';
import { aggregate, findAll, points } from './mon-logis-data.js';
import { leakAlerts, type WaterDay } from './water-leaks.js';
import * as messages from './messages.js';
import './mon-logis.css';

type T = Translate<typeof messages.en>;

const COLORS: Record<(typeof HOUSING_CATEGORIES)[number], string> = {
  insurer: '#24406b',
  energy: '#b36b00',
  water: '#1f7a8c',
  telecom: '#7b3f8c',
};

/** The space's time zone (series answers carry it) and today's local day there. */
async function spaceToday(api: Api): Promise<{ timeZone: string; today: string }> {
  const probe = await aggregate(
    api,
    'energy.electricity.daily',
    { from: '2000-01-01', to: '2000-01-02' },
    'day',
    'sum',
  );
  return { timeZone: probe.timeZone, today: localDay(Date.now(), probe.timeZone) };
}

export function MonLogisPage(_props: PageProps) {
  const t = useT(messages);
  const api = useApi();
  const space = useLoad(() => spaceToday(api), [api]);
  return (
    <section class="mon-logis">
      <h1>{t('title')}</h1>
      <p class="help">{t('intro')}</p>
      {space.error ? (
        <ErrorNotice error={space.error} onRetry={space.reload} />
      ) : !space.data ? (
        <Loading />
      ) : (
        <>
          <Costs today={space.data.today} timeZone={space.data.timeZone} />
          <Energy
            doctype="energy.electricity.daily"
            title={t('electricityTitle')}
            today={space.data.today}
            id="electricity"
          />
          <LoadCurve today={space.data.today} timeZone={space.data.timeZone} />
          <Energy doctype="energy.gas.daily" title={t('gasTitle')} today={space.data.today} id="gas" />
          <Water today={space.data.today} />
          <Contracts today={space.data.today} />
        </>
      )}
    </section>
  );
}

function Section(props: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section class="ml-section" aria-labelledby={`${props.id}-title`} id={props.id}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      {props.children}
    </section>
  );
}

function Costs(props: { today: string; timeZone: string }) {
  const t = useT(messages);
  const { locale } = useLocale();
  const api = useApi();
  const costs = useLoad(async () => {
    // The twelve months up to this one, or up to the last month with data when it is older (a
    // connection that stopped, or a space restored from an archive).
    const latest = await Promise.all([
      api.post<{ docs: { date: string }[] }>('/api/data/bank.transaction/_find', {
        selector: { amount: { $lt: 0 } },
        sort: [{ date: 'desc' }],
        fields: ['date'],
        limit: 1,
      }),
      api.post<{ docs: { issueDate: string }[] }>('/api/data/bill/_find', {
        selector: {},
        sort: [{ issueDate: 'desc' }],
        fields: ['issueDate'],
        limit: 1,
      }),
    ]);
    const lastMonths = [
      latest[0].docs[0] ? localDay(latest[0].docs[0].date, props.timeZone).slice(0, 7) : null,
      latest[1].docs[0]?.issueDate.slice(0, 7) ?? null,
    ].filter((m): m is string => m !== null);
    const current = props.today.slice(0, 7);
    const lastData = lastMonths.sort().at(-1) ?? current;
    const to = lastData < current ? lastData : current;
    const from = addMonths(to, -11);
    const [bills, debits] = await Promise.all([
      findAll<BillInput>(api, 'bill', { issueDate: { $gte: `${addMonths(from, -13)}-01` } }, [
        'vendor',
        'vendorCategory',
        'type',
        'number',
        'issueDate',
        'dueDate',
        'paymentDate',
        'totalAmount',
        'extra',
      ]),
      findAll<DebitInput>(
        api,
        'bank.transaction',
        { date: { $gte: `${addDays(`${from}-01`, -1)}T00:00:00Z` }, amount: { $lt: 0 } },
        ['date', 'label', 'amount', 'category', 'reference', 'counterparty'],
      ),
    ]);
    return { result: housingCosts({ bills, debits, from, to, timeZone: props.timeZone }) };
  }, [api, props.today, props.timeZone]);

  return (
    <Section id="costs" title={t('costsTitle')}>
      {costs.error ? (
        <ErrorNotice error={costs.error} onRetry={costs.reload} />
      ) : !costs.data ? (
        <Loading />
      ) : costs.data.result.months.every((m) => m.total === 0) ? (
        <EmptyState title={t('costsEmpty')}>{t('costsEmptyText')}</EmptyState>
      ) : (
        <CostsView months={costs.data.result.months} t={t} locale={locale} />
      )}
    </Section>
  );
}

function CostsView(props: { months: ReturnType<typeof housingCosts>['months']; t: T; locale: Locale }) {
  const { months, t, locale } = props;
  const euros = (v: number) => formatCurrency(locale, v);
  const series = HOUSING_CATEGORIES.map((c) => ({ id: c, label: t(c), color: COLORS[c] }));
  const total = months.reduce((a, m) => a + m.total, 0);
  return (
    <>
      <p class="help">{t('costsHelp')}</p>
      <p class="ml-figure" data-figure="costs-average">
        {t('average', { n: months.length, amount: euros(total / months.length) })}
      </p>
      <BarChart
        id="costs-chart"
        title={t('costsChart')}
        keys={months.map((m) => m.month)}
        keyLabel={(k) => monthLabel(locale, k)}
        keyTitle={(k) => formatMonth(locale, k)}
        series={series}
        values={months.map((m) => HOUSING_CATEGORIES.map((c) => m[c]))}
        format={(v) => formatNumber(locale, v, 0)}
      />
      <div class="table-wrap">
        <table class="table" id="costs-table">
          <caption class="visually-hidden">{t('costsTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('month')}</th>
              {HOUSING_CATEGORIES.map((c) => (
                <th scope="col" class="num" key={c}>
                  {t(c)}
                </th>
              ))}
              <th scope="col" class="num">
                {t('total')}
              </th>
            </tr>
          </thead>
          <tbody>
            {months.map((m) => (
              <tr key={m.month} data-month={m.month}>
                <th scope="row">{formatMonth(locale, m.month)}</th>
                {HOUSING_CATEGORIES.map((c) => (
                  <td class="num" key={c} data-category={c}>
                    {euros(m[c])}
                  </td>
                ))}
                <td class="num" data-category="total">
                  {euros(m.total)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function Energy(props: { doctype: string; title: string; today: string; id: string }) {
  const t = useT(messages);
  const { locale } = useLocale();
  const api = useApi();
  const data = useLoad(async () => {
    const monthly = await aggregate(
      api,
      props.doctype,
      { from: `${addMonths(props.today.slice(0, 7), -36)}-01`, to: addDays(props.today, 1) },
      'month',
      'sum',
    );
    const last = monthly.buckets[monthly.buckets.length - 1];
    if (!last) return null;
    const months = perMonth(monthly.buckets, addMonths(last.key, -11), last.key);
    const daily = await aggregate(
      api,
      props.doctype,
      { from: `${addMonths(last.key, -1)}-01`, to: `${addMonths(last.key, 1)}-01` },
      'day',
      'sum',
    );
    const lastDay = daily.buckets[daily.buckets.length - 1]?.key;
    if (!lastDay) return null;
    const days = perDay(daily.buckets, addDays(lastDay, -29), lastDay);
    return { months, days };
  }, [api, props.doctype, props.today]);
  const kwh = (v: number) => `${formatNumber(locale, v, 0)} kWh`;
  const what = props.title;
  return (
    <Section id={props.id} title={props.title}>
      {data.error ? (
        <ErrorNotice error={data.error} onRetry={data.reload} />
      ) : data.loading && !data.data ? (
        <Loading />
      ) : !data.data ? (
        <EmptyState title={t('energyEmpty', { what: what.toLowerCase() })}>{t('energyEmptyText')}</EmptyState>
      ) : (
        <>
          <p class="ml-figure">
            <span data-figure={`${props.id}-12-months`}>
              {t('lastTwelve', { value: kwh(totalOf(data.data.months)) })}
            </span>
            {' · '}
            <span data-figure={`${props.id}-30-days`}>
              {t('lastDays', { n: 30, value: kwh(totalOf(data.data.days)) })}
            </span>
          </p>
          <div class="ml-pair">
            <BarChart
              id={`${props.id}-monthly`}
              title={t('perMonth', { what })}
              keys={data.data.months.map((m) => m.key)}
              keyLabel={(k) => monthLabel(locale, k)}
              keyTitle={(k) => formatMonth(locale, k)}
              series={[{ id: 'kwh', label: 'kWh', color: '#24406b' }]}
              values={data.data.months.map((m) => [m.value])}
              format={(v) => formatNumber(locale, v, 0)}
            />
            <BarChart
              id={`${props.id}-daily`}
              title={t('perDay', { what, n: 30 })}
              keys={data.data.days.map((d) => d.key)}
              keyLabel={(k) => dayLabel(locale, k)}
              keyTitle={(k) => formatDate(locale, k, 'long')}
              series={[{ id: 'kwh', label: 'kWh', color: '#b36b00' }]}
              values={data.data.days.map((d) => [d.value])}
              format={(v) => formatNumber(locale, v, 1)}
            />
          </div>
        </>
      )}
    </Section>
  );
}

/** Load-curve points with the range and resolution they were asked for. */
interface DrawnCurve {
  range: DayRange;
  resolution: Resolution;
  points: LinePoint[];
}

function LoadCurve(props: { today: string; timeZone: string }) {
  const t = useT(messages);
  const { locale } = useLocale();
  const api = useApi();
  const [range, setRange] = useState<DayRange | null>(null);
  const bounds = useLoad(async () => {
    const daily = await aggregate(
      api,
      'energy.electricity.load-curve',
      { from: `${addMonths(props.today.slice(0, 7), -36)}-01`, to: addDays(props.today, 1) },
      'month',
      'avg',
    );
    const first = daily.buckets[0];
    const last = daily.buckets[daily.buckets.length - 1];
    if (!first || !last) return null;
    const lastDays = await aggregate(
      api,
      'energy.electricity.load-curve',
      { from: `${last.key}-01`, to: `${addMonths(last.key, 1)}-01` },
      'day',
      'avg',
    );
    const end = lastDays.buckets[lastDays.buckets.length - 1]?.key ?? `${last.key}-01`;
    return { from: `${first.key}-01`, to: end };
  }, [api, props.today]);
  const shown: DayRange | null =
    range ?? (bounds.data ? { from: addDays(bounds.data.to, -6), to: bounds.data.to } : null);
  // The chart keeps showing the last range it loaded until the next one arrives: its caption and
  // axis follow what is drawn (the range and resolution of those points), not the range asked for.
  const curve = useLoad(async (): Promise<DrawnCurve | null> => {
    if (!shown) return null;
    const resolution = resolutionFor(shown);
    const q = loadCurveQuery(shown);
    if (resolution === 'points') {
      const pts = await points<{ t: string; powerW: number }>(api, 'energy.electricity.load-curve', q);
      return { range: shown, resolution, points: pts.map((p) => ({ x: Date.parse(p.t), y: p.powerW })) };
    }
    const agg = await api.get<{ buckets: { key: string; value: number }[] }>(
      `/api/series/energy.electricity.load-curve?${q}`,
    );
    // Bucket keys are local wall times; drawn as such (labels formatted in UTC to keep them).
    const drawn = agg.buckets.map((b) => ({
      x: Date.parse(b.key.length === 13 ? `${b.key}:00:00Z` : `${b.key}T12:00:00Z`),
      y: b.value,
    }));
    return { range: shown, resolution, points: drawn };
  }, [api, shown?.from, shown?.to]);
  const drawn = curve.data;

  const xFormat = (ms: number) =>
    new Intl.DateTimeFormat(localeTag(locale), {
      ...(drawn?.resolution === 'day'
        ? { day: 'numeric', month: 'short' }
        : { weekday: 'short', hour: '2-digit', minute: '2-digit' }),
      timeZone: drawn?.resolution === 'points' ? props.timeZone : 'UTC',
    }).format(new Date(ms));
  const change = (next: DayRange) => setRange(next);
  const resolutionLabel = t(
    drawn?.resolution === 'points'
      ? 'resolutionPoints'
      : drawn?.resolution === 'day'
        ? 'resolutionDay'
        : 'resolutionHour',
  );

  return (
    <Section id="load-curve" title={t('loadCurveTitle')}>
      {bounds.error ? (
        <ErrorNotice error={bounds.error} onRetry={bounds.reload} />
      ) : bounds.loading && !bounds.data ? (
        <Loading />
      ) : !bounds.data || !shown ? (
        <EmptyState title={t('loadCurveEmpty')} />
      ) : (
        <>
          <div class="actions" role="group" aria-label={t('loadCurveTitle')}>
            <button
              type="button"
              class="button-secondary"
              onClick={() => change(zoom(shown, 0.5, bounds.data!))}
              disabled={shown.from === shown.to}
            >
              {t('zoomIn')}
            </button>
            <button type="button" class="button-secondary" onClick={() => change(zoom(shown, 2, bounds.data!))}>
              {t('zoomOut')}
            </button>
            <button
              type="button"
              class="button-secondary"
              onClick={() => change(pan(shown, -0.5, bounds.data!))}
              disabled={shown.from <= bounds.data.from}
            >
              {t('earlier')}
            </button>
            <button
              type="button"
              class="button-secondary"
              onClick={() => change(pan(shown, 0.5, bounds.data!))}
              disabled={shown.to >= bounds.data.to}
            >
              {t('later')}
            </button>
          </div>
          <p class="help">{t('zoomHelp')}</p>
          {curve.error ? (
            <ErrorNotice error={curve.error} onRetry={curve.reload} />
          ) : !drawn ? (
            <Loading />
          ) : drawn.points.length === 0 ? (
            <EmptyState title={t('loadCurveEmpty')} />
          ) : (
            <LineChart
              id="load-curve-chart"
              title={t('loadCurveChart', {
                from: formatDate(locale, drawn.range.from, 'long'),
                to: formatDate(locale, drawn.range.to, 'long'),
                resolution: resolutionLabel,
              })}
              points={drawn.points}
              xFormat={xFormat}
              yFormat={(v) => formatNumber(locale, v, 0)}
              onZoom={(f) => change(zoom(shown, f, bounds.data!))}
              onPan={(f) => change(pan(shown, f, bounds.data!))}
            />
          )}
        </>
      )}
    </Section>
  );
}

function Water(props: { today: string }) {
  const t = useT(messages);
  const { locale } = useLocale();
  const api = useApi();
  const data = useLoad(async () => {
    const from = addDays(props.today, -(365 + 60));
    const pts = await points<WaterDay & { meterId: string }>(
      api,
      'water.daily',
      `from=${from}&to=${addDays(props.today, 1)}&limit=10000`,
    );
    if (pts.length === 0) return null;
    // One meter per home in practice; with several, each is read alone (alerts need one meter's days).
    const meter = pts[pts.length - 1]!.meterId;
    const days = pts.filter((p) => p.meterId === meter);
    const alerts = leakAlerts(days).filter((a) => a.to >= addDays(props.today, -365));
    const recent = days.slice(-60);
    return { alerts: alerts.reverse(), recent, allAlerts: alerts };
  }, [api, props.today]);
  const litres = (v: number) => `${formatNumber(locale, v, 0)} L`;
  return (
    <Section id="water" title={t('waterTitle')}>
      {data.error ? (
        <ErrorNotice error={data.error} onRetry={data.reload} />
      ) : data.loading && !data.data ? (
        <Loading />
      ) : !data.data ? (
        <EmptyState title={t('waterEmpty')}>{t('waterEmptyText')}</EmptyState>
      ) : (
        <>
          <BarChart
            id="water-chart"
            title={t('waterChart', { n: data.data.recent.length })}
            keys={data.data.recent.map((d) => d.date)}
            keyLabel={(k) => dayLabel(locale, k)}
            keyTitle={(k) => formatDate(locale, k, 'long')}
            series={[{ id: 'litres', label: 'L', color: '#1f7a8c' }]}
            values={data.data.recent.map((d) => [d.volumeLitres])}
            format={(v) => formatNumber(locale, v, 0)}
            marked={data.data.recent.map((d) => data.data!.allAlerts.some((a) => a.from <= d.date && d.date <= a.to))}
            markLabel={t('leakMark')}
          />
          <h3>{t('leaksTitle')}</h3>
          {data.data.alerts.length === 0 ? (
            <p class="notice notice-ok">{t('noLeak')}</p>
          ) : (
            <ul class="ml-alerts">
              {data.data.alerts.map((a) => (
                <li key={a.from} class="notice notice-warn" data-leak-from={a.from}>
                  <strong>
                    {t('leakAlert', {
                      from: formatDate(locale, a.from, 'long'),
                      to: formatDate(locale, a.to, 'long'),
                      days: a.days,
                      litres: litres(a.extraLitres),
                    })}
                  </strong>{' '}
                  (
                  {t(
                    a.source === 'meter'
                      ? 'leakSourceMeter'
                      : a.source === 'pattern'
                        ? 'leakSourcePattern'
                        : 'leakSourceBoth',
                  )}
                  )
                </li>
              ))}
            </ul>
          )}
          <p class="help">{t('leakRule')}</p>
        </>
      )}
    </Section>
  );
}

const EVENT_KEYS = {
  renewal: 'eventRenewal',
  anniversary: 'eventAnniversary',
  end: 'eventEnd',
  'commitment-end': 'eventCommitmentEnd',
} as const;
const KIND_KEYS = {
  insurance: 'kindInsurance',
  electricity: 'kindElectricity',
  gas: 'kindGas',
  telecom: 'kindTelecom',
} as const;

function Contracts(props: { today: string }) {
  const t = useT(messages);
  const { locale } = useLocale();
  const api = useApi();
  const data = useLoad(async (): Promise<ContractDate[]> => {
    const [insurance, energy, telecom] = await Promise.all([
      findAll<never>(api, 'insurance.contract', {}, [
        'vendor',
        'contractNumber',
        'product',
        'productName',
        'status',
        'startDate',
        'endDate',
        'renewalDate',
        'tacitRenewal',
      ]),
      findAll<never>(api, 'energy.contract', {}, [
        'vendor',
        'energy',
        'contractNumber',
        'offer',
        'status',
        'startDate',
        'endDate',
      ]),
      findAll<never>(api, 'telecom.line', {}, [
        'vendor',
        'type',
        'contractNumber',
        'lineNumber',
        'plan',
        'status',
        'startDate',
        'commitmentEndDate',
        'endDate',
      ]),
    ]);
    return upcomingContractDates({ insurance, energy, telecom, today: props.today });
  }, [api, props.today]);
  return (
    <Section id="contracts" title={t('contractsTitle')}>
      {data.error ? (
        <ErrorNotice error={data.error} onRetry={data.reload} />
      ) : data.loading && !data.data ? (
        <Loading />
      ) : (data.data ?? []).length === 0 ? (
        <EmptyState title={t('contractsEmpty')}>{t('contractsEmptyText')}</EmptyState>
      ) : (
        <div class="table-wrap">
          <table class="table" id="contracts-table">
            <caption class="visually-hidden">{t('contractsTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('date')}</th>
                <th scope="col">{t('what')}</th>
                <th scope="col">{t('contract')}</th>
              </tr>
            </thead>
            <tbody>
              {data.data!.map((c) => (
                <tr key={`${c.day}-${c.contractNumber ?? c.label}-${c.event}`} data-contract={c.contractNumber}>
                  <td>{formatDate(locale, c.day, 'long')}</td>
                  <td>{t(EVENT_KEYS[c.event])}</td>
                  <td>
                    {t(KIND_KEYS[c.kind])} · {c.vendor} · {c.label}
                    {c.contractNumber ? ` (${c.contractNumber})` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
