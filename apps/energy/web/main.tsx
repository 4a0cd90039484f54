/**
 * The Energy app's page: consumption by day, month and season, the same period last year, the
 * hours that weigh most, and the bills checked against the meter and the bank. Reads through the
 * SDK only, with the grant the person gave at install; the figures come from ../logic.
 */
import { render } from 'preact';
import { useState } from 'preact/hooks';
import type { FoyerClient } from '../../../src/sdk/client.js';
import { formatter, type Format } from '../../shared/web/i18n.js';
import { addDays, localTimeIn } from '../../shared/local-time.js';
import { baseStyle, injectStyle } from '../../shared/web/style.css.js';
import { BarChart, Figures, Page } from '../../shared/web/ui.js';
import { readSeries, useApp } from '../../shared/web/use-app.js';
import { byDay, byMonth, bySeason } from '../logic/consumption.js';
import { hourProfile, type HourProfile } from '../logic/peak-hours.js';
import { reconcileBills, type BillReconciliation } from '../logic/reconcile.js';
import type {
  BankTransaction,
  Bill,
  ElectricityDay,
  Energy,
  EnergyContract,
  GasDay,
  LoadPoint,
} from '../logic/types.js';
import { monthsOverYear } from '../logic/year-over-year.js';
import { text } from './text.js';

interface Data {
  electricity: ElectricityDay[];
  gas: GasDay[];
  hours?: HourProfile;
  bills: BillReconciliation[];
}

const TIME_ZONE = 'Europe/Paris';

async function load(client: FoyerClient): Promise<Data> {
  const [contracts, bills, electricity, gas, transactions] = await Promise.all([
    client.documents<EnergyContract>('energy.contract').all(),
    client.documents<Bill>('bill').all({ selector: { vendorCategory: 'energy' } }),
    readSeries<ElectricityDay>(client, 'energy.electricity.daily'),
    readSeries<GasDay>(client, 'energy.gas.daily'),
    client.documents<BankTransaction>('bank.transaction').all({ selector: { type: 'direct_debit' } }),
  ]);
  const last = electricity.reduce((m, d) => (d.date > m ? d.date : m), '');
  let hours: HourProfile | undefined;
  if (last) {
    const from = addDays(last, -89);
    const curve = await readSeries<LoadPoint>(client, 'energy.electricity.load-curve', {
      from: `${from}T00:00:00Z`,
      to: `${addDays(last, 1)}T00:00:00Z`,
    });
    if (curve.length > 0) hours = hourProfile(curve, localTimeIn(TIME_ZONE));
  }
  return { electricity, gas, hours, bills: reconcileBills({ contracts, bills, electricity, gas, transactions }) };
}

type View = 'month' | 'day' | 'season';

function Consumption(props: { readings: (ElectricityDay | GasDay)[]; t: (typeof text)['en']; f: Format }) {
  const { t, f } = props;
  const [view, setView] = useState<View>('month');
  const months = byMonth(props.readings).slice(-24);
  const days = byDay(props.readings).slice(-90);
  const seasons = bySeason(props.readings).slice(-8);
  return (
    <section>
      <h2>{t.consumption}</h2>
      <div class="tabs" role="group" aria-label={t.consumption}>
        {(['month', 'day', 'season'] as const).map((v) => (
          <button key={v} type="button" aria-pressed={view === v} onClick={() => setView(v)}>
            {v === 'month' ? t.byMonth : v === 'day' ? t.byDay : t.bySeason}
          </button>
        ))}
      </div>
      {view === 'month' && (
        <BarChart
          label={t.chartMonths}
          bars={months.map((m) => ({
            key: m.key,
            label: m.key.slice(2),
            value: m.kwh,
            title: `${f.month(m.key)} : ${f.n0(m.kwh)} kWh`,
          }))}
        />
      )}
      {view === 'day' && (
        <BarChart
          label={t.chartDays}
          bars={days.map((d) => ({
            key: d.key,
            label: d.key.slice(5),
            value: d.kwh,
            title: `${f.day(d.key)} : ${f.n1(d.kwh)} kWh`,
          }))}
        />
      )}
      {view === 'season' && (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th>{t.season}</th>
                <th class="num">{t.kwh}</th>
                <th class="num">{t.perDay}</th>
                <th class="num">{t.days}</th>
              </tr>
            </thead>
            <tbody>
              {seasons.map((s) => (
                <tr key={s.key}>
                  <td>
                    {t[s.season]} {s.key.slice(0, s.key.lastIndexOf('-'))}
                  </td>
                  <td class="num">{f.n0(s.kwh)}</td>
                  <td class="num">{f.n1(s.kwh / Math.max(1, s.days))}</td>
                  <td class="num">{s.days}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function LastYear(props: { readings: (ElectricityDay | GasDay)[]; t: (typeof text)['en']; f: Format }) {
  const { t, f } = props;
  const months = byMonth(props.readings)
    .filter((m) => m.days >= 28)
    .slice(-12)
    .map((m) => m.key);
  const rows = monthsOverYear(props.readings, months);
  return (
    <section>
      <h2>{t.lastYear}</h2>
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th>{t.month}</th>
              <th class="num">{t.thisYear}</th>
              <th class="num">{t.yearBefore}</th>
              <th class="num">{t.change}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.month}>
                <td>{f.month(r.month)}</td>
                <td class="num">{f.n0(r.current.kwh)}</td>
                <td class="num">{r.previous.days > 0 ? f.n0(r.previous.kwh) : '–'}</td>
                <td class="num">{r.change !== undefined ? f.percent(r.change) : t.incomplete}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Hours(props: { hours: HourProfile; t: (typeof text)['en']; f: Format }) {
  const { hours, t, f } = props;
  const top = new Set(hours.ranked.slice(0, 3));
  return (
    <section>
      <h2>{t.hours}</h2>
      <p class="note">{t.hoursNote}</p>
      <BarChart
        label={t.hoursChart}
        every={3}
        bars={hours.hours.map((h) => ({
          key: String(h.hour),
          label: `${h.hour}h`,
          value: h.kwh,
          highlight: top.has(h.hour),
          title: `${h.hour}h–${h.hour + 1}h : ${f.n0(h.kwh)} kWh (${f.n1(h.share * 100)} %)`,
        }))}
      />
      <p>
        {t.topHours} :{' '}
        {hours.ranked
          .slice(0, 3)
          .map((h) => `${h}h–${h + 1}h (${f.n1((hours.hours[h]?.share ?? 0) * 100)} %)`)
          .join(', ')}
      </p>
    </section>
  );
}

function Bills(props: { bills: BillReconciliation[]; t: (typeof text)['en']; f: Format }) {
  const { t, f } = props;
  const rows = [...props.bills].reverse().slice(0, 24);
  return (
    <section>
      <h2>{t.bills}</h2>
      <p class="note">{t.billsNote}</p>
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th>{t.period}</th>
              <th class="num">{t.billedKwh}</th>
              <th class="num">{t.meteredKwh}</th>
              <th class="num">{t.billedAmount}</th>
              <th class="num">{t.expectedAmount}</th>
              <th>{t.paid}</th>
              <th>{t.status}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((b) => (
              <tr key={`${b.number ?? ''}${b.periodStart}${b.energy}`}>
                <td>
                  {b.energy === 'gas' ? t.gas : t.electricity} · {f.month(b.periodStart.slice(0, 7))}
                </td>
                <td class="num">{f.n0(b.billedKwh)}</td>
                <td class="num">{f.n0(b.meteredKwh)}</td>
                <td class="num">{f.euro(b.billedEnergyAmount)}</td>
                <td class="num">{f.euro(b.expectedEnergyAmount)}</td>
                <td>{b.payment ? f.day(b.payment.date) : '–'}</td>
                <td class={b.gaps.length === 0 ? 'ok' : 'gap'}>
                  {b.gaps.length === 0 ? t.ok : b.gaps.map((g) => t[`gap_${g}`]).join(', ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.some((b) => b.splitFromBill) && <p class="note">{t.splitNote}</p>}
    </section>
  );
}

function App() {
  const state = useApp(load);
  const t = text[state.lang];
  const f = formatter(state.lang);
  const [energy, setEnergy] = useState<Energy>('electricity');
  return (
    <Page title={t.title} state={state} text={t}>
      {(data) => {
        const readings = energy === 'electricity' ? data.electricity : data.gas;
        const yearKwh = byDay(readings)
          .slice(-365)
          .reduce((s, d) => s + d.kwh, 0);
        const bills = data.bills.filter((b) => b.energy === energy);
        if (data.electricity.length === 0 && data.gas.length === 0) return <p>{t.noData}</p>;
        return (
          <>
            <div class="tabs" role="group" aria-label={t.title}>
              {(['electricity', 'gas'] as const).map((e) => (
                <button key={e} type="button" aria-pressed={energy === e} onClick={() => setEnergy(e)}>
                  {t[e]}
                </button>
              ))}
            </div>
            <Figures
              items={[
                { value: f.n0(yearKwh), label: t.summaryYear },
                { value: bills.length, label: t.summaryBills },
                { value: bills.filter((b) => b.gaps.length > 0).length, label: t.summaryGaps },
              ]}
            />
            {readings.length === 0 ? (
              <p>{t.noData}</p>
            ) : (
              <>
                <Consumption readings={readings} t={t} f={f} />
                <LastYear readings={readings} t={t} f={f} />
              </>
            )}
            {energy === 'electricity' && data.hours && <Hours hours={data.hours} t={t} f={f} />}
            <Bills bills={bills} t={t} f={f} />
          </>
        );
      }}
    </Page>
  );
}

injectStyle(baseStyle);
render(<App />, document.getElementById('app') as HTMLElement);
