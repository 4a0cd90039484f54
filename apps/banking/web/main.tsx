/**
 * The Banking app's page. It gets its session from Foyer (`foyerApp()`), reads the documents its
 * grant covers through the SDK, computes everything with the app's logic in the page, and writes
 * only its own documents: category corrections and budget limits.
 */
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { FoyerClient } from '../../../src/sdk/client.js';
import { foyerApp } from '../../../src/sdk/frame.js';
import { categories } from '../logic/category-rules.js';
import type {
  BankAccount,
  BankTransaction,
  Bill,
  CategoryCorrection,
  Contract,
  InsuranceClaim,
  Receipt,
} from '../logic/types.js';
import { BalanceChart } from './balance-chart.js';
import { longDay, messages, money, monthName, type Language } from './messages.js';
import { bankingModel, monthView, type BankingData } from './view-model.js';

interface Stored {
  _id: string;
  _rev: string;
}
type CorrectionDoc = CategoryCorrection & Stored;
type LimitDoc = { category: string; amount: number } & Stored;

/** A scope the person left unticked reads as nothing rather than failing the page. */
async function readAll<T extends object>(client: FoyerClient, doctype: string): Promise<(T & Stored)[]> {
  try {
    return (await client.documents<T>(doctype).all()) as (T & Stored)[];
  } catch (e) {
    if ((e as { code?: string }).code === 'scope_denied' || (e as { status?: number }).status === 403) return [];
    throw e;
  }
}

async function load(
  client: FoyerClient,
): Promise<{ data: BankingData; corrections: CorrectionDoc[]; limits: LimitDoc[] }> {
  const [accounts, transactions, bills, receipts, claims, insurance, energy, telecom, corrections, limits] =
    await Promise.all([
      readAll<BankAccount>(client, 'bank.account'),
      readAll<BankTransaction>(client, 'bank.transaction'),
      readAll<Bill>(client, 'bill'),
      readAll<Receipt>(client, 'retail.receipt'),
      readAll<InsuranceClaim>(client, 'insurance.claim'),
      readAll<Contract>(client, 'insurance.contract'),
      readAll<Contract>(client, 'energy.contract'),
      readAll<Contract>(client, 'telecom.line'),
      readAll<CategoryCorrection>(client, 'app.banking.correction'),
      readAll<{ category: string; amount: number }>(client, 'app.banking.limit'),
    ]);
  return {
    data: {
      accounts,
      transactions,
      bills,
      receipts,
      claims,
      contracts: [
        ...insurance.map((c) => ({ ...c, doctype: 'insurance.contract' as const })),
        ...energy.map((c) => ({ ...c, doctype: 'energy.contract' as const })),
        ...telecom.map((c) => ({ ...c, doctype: 'telecom.line' as const })),
      ],
      corrections,
      limits: Object.fromEntries(limits.map((l) => [l.category, l.amount])),
    },
    corrections,
    limits,
  };
}

function Head(props: { cols: string[] }) {
  return (
    <thead>
      <tr>
        {props.cols.map((c) => (
          <th key={c} scope="col">
            {c}
          </th>
        ))}
      </tr>
    </thead>
  );
}

function Banking(props: { client: FoyerClient; language: Language }) {
  const { client, language } = props;
  const t = messages[language];
  const [state, setState] = useState<Awaited<ReturnType<typeof load>> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [month, setMonth] = useState<string | undefined>(undefined);
  const reload = (): void => {
    load(client).then(setState, (e: unknown) => setError((e as Error).message));
  };
  useEffect(reload, [client]);
  // The heavy part (categories, links, recurring series) once per load; the month's part on each change.
  const model = useMemo(() => (state ? bankingModel(state.data) : null), [state]);
  const view = useMemo(() => (model ? monthView(model, month) : null), [model, month]);

  if (error)
    return (
      <p role="alert" class="error">
        {t.error} {error}
      </p>
    );
  if (!state || !view) return <p aria-busy="true">{t.loading}</p>;
  if (state.data.accounts.length === 0) return <p>{t.empty}</p>;

  const correct = async (transactionId: string, category: string): Promise<void> => {
    const at = new Date().toISOString();
    const old = state.corrections.find((c) => c.transactionId === transactionId);
    const docs = client.documents<CategoryCorrection>('app.banking.correction');
    if (old) await docs.update({ _id: old._id, _rev: old._rev, transactionId, category, at });
    else await docs.create({ transactionId, category, at });
    reload();
  };
  const setLimit = async (category: string, amount: number): Promise<void> => {
    const old = state.limits.find((l) => l.category === category);
    const docs = client.documents<{ category: string; amount: number }>('app.banking.limit');
    if (old) await docs.update({ _id: old._id, _rev: old._rev, category, amount });
    else await docs.create({ category, amount });
    reload();
  };
  const accountLabel = new Map(view.accounts.map((a) => [a.accountId, a.label]));
  const spending = view.budget.lines.filter((l) => l.spent > 0 || l.limitSource === 'person');

  return (
    <main>
      <h1>{t.title}</h1>

      <section aria-labelledby="accounts">
        <h2 id="accounts">{t.accounts}</h2>
        <ul class="cards" data-testid="accounts">
          {view.accounts.map((a) => (
            <li key={a.accountId} class="card">
              <span class="muted">
                {a.vendor} · {t.types[a.type as keyof typeof t.types] ?? a.type}
              </span>
              <strong>{a.label}</strong>
              {a.balance !== undefined ? (
                <span class={a.balance < 0 ? 'amount negative' : 'amount'} data-testid="balance">
                  {money(a.balance, language, a.currency)}
                </span>
              ) : null}
              {a.balanceDay ? (
                <span class="muted">
                  {t.balanceOn} {longDay(a.balanceDay, language)}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
        {Object.entries(view.netWorth).map(([currency, value]) => (
          <p key={currency}>
            {t.netWorth} <strong data-testid="net-worth">{money(value, language, currency)}</strong>
          </p>
        ))}
      </section>

      <section aria-labelledby="balances">
        <h2 id="balances">{t.balances}</h2>
        <p class="muted">{t.balancesHint}</p>
        <BalanceChart points={view.balances} language={language} title={t.balances} />
      </section>

      <label class="month">
        {t.month}{' '}
        <select
          value={view.month}
          onChange={(e) => setMonth((e.currentTarget as HTMLSelectElement).value)}
          data-testid="month"
        >
          {view.months.map((m) => (
            <option key={m} value={m}>
              {monthName(m, language)}
            </option>
          ))}
        </select>
      </label>

      <section aria-labelledby="budget">
        <h2 id="budget">
          {t.budget} · {monthName(view.month, language)}
        </h2>
        <div class="scroll">
          <table data-testid="budget">
            <Head cols={[t.category, t.spent, t.limit, t.remaining]} />
            <tbody>
              {spending.map((l) => (
                <tr key={l.category} data-category={l.category}>
                  <th scope="row">{t.categories[l.category] ?? l.category}</th>
                  <td class="amount">{money(l.spent, language)}</td>
                  <td>
                    <input
                      type="number"
                      min="0"
                      step="10"
                      value={l.limit}
                      aria-label={`${t.limit} ${t.categories[l.category] ?? l.category}`}
                      title={l.limitSource === 'average' ? t.averageLimit : undefined}
                      onChange={(e) => void setLimit(l.category, Number((e.currentTarget as HTMLInputElement).value))}
                    />
                  </td>
                  <td class={l.remaining < 0 ? 'amount negative' : 'amount'}>
                    <meter
                      min={0}
                      max={Math.max(l.limit, l.spent, 1)}
                      low={l.limit * 0.8}
                      high={l.limit}
                      optimum={0}
                      value={l.spent}
                      aria-hidden="true"
                    />{' '}
                    {money(l.remaining, language)}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t.received}</th>
                <td class="amount">{money(view.budget.totalReceived, language)}</td>
                <td />
                <td />
              </tr>
            </tfoot>
          </table>
        </div>
      </section>

      <section aria-labelledby="operations">
        <h2 id="operations">
          {t.operations} · {monthName(view.month, language)}
        </h2>
        <div class="scroll">
          <table data-testid="operations">
            <Head cols={[t.date, t.label, t.amount, t.category, t.linkedTo]} />
            <tbody>
              {view.operations.map((o) => (
                <tr key={o.id} data-id={o.id}>
                  <td>{longDay(o.day, language)}</td>
                  <td>
                    {o.label}
                    <div class="muted">{accountLabel.get(o.accountId)}</div>
                  </td>
                  <td class={o.amount < 0 ? 'amount negative' : 'amount'}>{money(o.amount, language)}</td>
                  <td>
                    <select
                      value={o.category.category}
                      aria-label={`${t.category}: ${o.label}`}
                      data-source={o.category.source}
                      onChange={(e) => void correct(o.id, (e.currentTarget as HTMLSelectElement).value)}
                    >
                      {categories.map((c) => (
                        <option key={c} value={c}>
                          {t.categories[c]}
                        </option>
                      ))}
                    </select>
                    {o.category.source !== 'rules' ? (
                      <div class="muted">{o.category.source === 'model' ? t.learnt : t.corrected}</div>
                    ) : null}
                  </td>
                  <td data-testid="link">
                    {o.link
                      ? o.link.targets.map((x) => (
                          <div key={`${x.id}${x.instalment ?? ''}`}>
                            {view.documents.get(x.id) ?? x.id}
                            {x.instalment ? ` (${longDay(x.instalment, language)})` : ''}
                          </div>
                        ))
                      : null}
                    {o.link ? <div class="muted">{t.evidence[o.link.evidence]}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="recurring">
        <h2 id="recurring">{t.recurring}</h2>
        <div class="scroll">
          <table data-testid="recurring">
            <Head cols={[t.label, t.every, t.amount, t.next]} />
            <tbody>
              {view.recurring.map((r) => (
                <tr key={r.key}>
                  <td>{r.name}</td>
                  <td>{t.periods[r.period]}</td>
                  <td class={r.amount < 0 ? 'amount negative' : 'amount'}>
                    {r.fixedAmount ? '' : '≈ '}
                    {money(r.amount, language)}
                  </td>
                  <td>{longDay(r.nextExpected, language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="health">
        <h2 id="health">{t.reimbursements}</h2>
        {view.reimbursements.expenses.length === 0 ? (
          <p>{t.noHealth}</p>
        ) : (
          <>
            <p data-testid="health-totals">
              {t.spent} {money(view.reimbursements.totals.spent, language)} · {t.reimbursedTotal}{' '}
              {money(view.reimbursements.totals.reimbursed, language)} · {t.outstanding}{' '}
              {money(view.reimbursements.totals.outstanding, language)}
            </p>
            <ul class="health">
              {view.reimbursements.expenses
                .slice(-8)
                .reverse()
                .map((e) => (
                  <li key={e.transactionId}>
                    {longDay(e.day, language)} · {e.label} · {money(e.amount, language)} ·{' '}
                    <span class={`status ${e.status}`}>{t.status[e.status]}</span>
                  </li>
                ))}
            </ul>
          </>
        )}
      </section>
    </main>
  );
}

async function main(): Promise<void> {
  const root = document.getElementById('app') as HTMLElement;
  try {
    const { client, session } = await foyerApp();
    document.documentElement.lang = session.language;
    document.title = messages[session.language].title;
    render(<Banking client={client} language={session.language} />, root);
  } catch (e) {
    root.textContent = `${messages.en.error} ${(e as Error).message}`;
  }
}

void main();
