/**
 * The Carbon app's page: an estimated footprint of purchases per month from loyalty-card receipts
 * and bank categories, what weighs most, what is not estimated, and the factors with their
 * sources. Reads through the SDK only; the figures come from ../logic.
 */
import { render } from 'preact';
import type { FoyerClient } from '../../../src/sdk/client.js';
import { localTimeIn } from '../../shared/local-time.js';
import { formatter } from '../../shared/web/i18n.js';
import { baseStyle, injectStyle } from '../../shared/web/style.css.js';
import { BarChart, Figures, Page } from '../../shared/web/ui.js';
import { useApp } from '../../shared/web/use-app.js';
import { estimateFootprint, type EstimateResult } from '../logic/estimate.js';
import { categoryFactors, merchantFactors, productFactors, sources } from '../logic/factors.js';
import type { BankTransaction, Receipt } from '../logic/types.js';
import { categoryNames, text } from './text.js';

async function load(client: FoyerClient): Promise<EstimateResult> {
  const [receipts, transactions] = await Promise.all([
    client.documents<Receipt>('retail.receipt').all(),
    client.documents<BankTransaction>('bank.transaction').all({ selector: { amount: { $lt: 0 } } }),
  ]);
  const paris = localTimeIn('Europe/Paris');
  const monthOf = (instant: string) => (instant.length === 10 ? instant : paris(instant).day).slice(0, 7);
  return estimateFootprint({ receipts, transactions, monthOf });
}

function App() {
  const state = useApp(load);
  const t = text[state.lang];
  const f = formatter(state.lang);
  const lang = state.lang;
  return (
    <Page title={t.title} state={state} text={t}>
      {(data) => {
        if (data.months.length === 0) return <p>{t.noData}</p>;
        const last = data.months.slice(-12);
        const year = last.reduce((s, m) => s + m.kgCo2e, 0);
        const groups = new Map<string, number>();
        const left = new Map<string, number>();
        for (const m of last) {
          for (const g of m.byGroup) groups.set(g.group, (groups.get(g.group) ?? 0) + g.kgCo2e);
          for (const n of m.notEstimated) left.set(n.category, (left.get(n.category) ?? 0) + n.euros);
        }
        const product = new Map(productFactors.map((p) => [p.name.en, p.name[lang]]));
        const merchant = new Map(Object.values(merchantFactors).map((m) => [m.name.en, m.name[lang]]));
        const groupName = (g: string) => product.get(g) ?? merchant.get(g) ?? categoryNames[lang][g] ?? g;
        return (
          <>
            <p class="note" role="note">
              <strong>{t.estimate}.</strong> {t.honest}
            </p>
            <Figures
              items={[
                { value: f.n0(year), label: t.summaryYear },
                { value: f.n0(year / Math.max(1, last.length)), label: t.summaryMonth },
                { value: f.n0(data.lines.perKg), label: t.summaryLines },
              ]}
            />
            <section>
              <h2>{t.perMonth}</h2>
              <BarChart
                label={t.chart}
                bars={data.months.slice(-24).map((m) => ({
                  key: m.month,
                  label: m.month.slice(2),
                  value: m.kgCo2e,
                  title: `${f.month(m.month)} : ${f.n0(m.kgCo2e)} kgCO2e`,
                }))}
              />
              <div class="scroll">
                <table>
                  <thead>
                    <tr>
                      <th>{t.month}</th>
                      <th class="num">{t.total}</th>
                      <th class="num">{t.receipts}</th>
                      <th class="num">{t.bank}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {[...last].reverse().map((m) => (
                      <tr key={m.month}>
                        <td>{f.month(m.month)}</td>
                        <td class="num">{f.n0(m.kgCo2e)}</td>
                        <td class="num">{f.n0(m.receiptsKg)}</td>
                        <td class="num">{f.n0(m.bankKg)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
            <section>
              <h2>{t.topGroups}</h2>
              <table>
                <thead>
                  <tr>
                    <th>{t.group}</th>
                    <th class="num">{t.kg}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...groups]
                    .sort((a, b) => b[1] - a[1])
                    .slice(0, 10)
                    .map(([g, kg]) => (
                      <tr key={g}>
                        <td>{groupName(g)}</td>
                        <td class="num">{f.n0(kg)}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </section>
            <section>
              <h2>{t.notEstimated}</h2>
              <p class="note">{t.notEstimatedNote}</p>
              <table>
                <thead>
                  <tr>
                    <th>{t.category}</th>
                    <th class="num">{t.euros}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...left]
                    .sort((a, b) => b[1] - a[1])
                    .map(([c, euros]) => (
                      <tr key={c} data-category={c}>
                        <td>{categoryNames[lang][c] ?? c}</td>
                        <td class="num">{f.euro(euros)}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </section>
            <section>
              <h2>{t.method}</h2>
              <p>{t.methodText}</p>
              <h3>{t.sources}</h3>
              <ul>
                {sources.map((s) => (
                  <li key={s.key}>
                    {s.publisher}, <cite>{s.title}</cite>, {s.year} ({s.url})
                  </li>
                ))}
              </ul>
              <details>
                <summary>{t.factors}</summary>
                <table>
                  <thead>
                    <tr>
                      <th>{t.factor}</th>
                      <th class="num">{t.perKg}</th>
                      <th>{t.uncertainty}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {productFactors.map((p) => (
                      <tr key={p.name.en}>
                        <td>{p.name[lang]}</td>
                        <td class="num">{f.n1(p.kgCo2ePerKg)}</td>
                        <td>{p.uncertainty}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <table>
                  <thead>
                    <tr>
                      <th>{t.category}</th>
                      <th class="num">{t.perEuro}</th>
                      <th>{t.uncertainty}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {[
                      ...Object.entries(categoryFactors),
                      ...Object.values(merchantFactors).map((m) => [m.name[lang], m] as const),
                    ].map(([name, x]) => (
                      <tr key={name}>
                        <td>{name}</td>
                        <td class="num">{f.n2(x.kgCo2ePerEuro)}</td>
                        <td>{x.uncertainty}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </details>
            </section>
          </>
        );
      }}
    </Page>
  );
}

injectStyle(baseStyle);
render(<App />, document.getElementById('app') as HTMLElement);
