/**
 * Bank statements as CSV: a known layout when the header row carries one (bank-csv-layouts.ts),
 * otherwise a mapping inferred from the sample (bank-csv-infer.ts) that the preview shows and the
 * person may correct (`options.csvMapping`). Lines become `bank.transaction` documents keyed by the
 * bank's own id when the layout has a real one, else by the fingerprint (bank-fingerprint.ts); each
 * account the file identifies becomes a `bank.account` with the balance the file states.
 *
 * Bad input, decided for a demanding user (no line silently missing):
 * - a dated line whose amount, debit or credit cannot be read, or whose date does not exist, or is
 *   absurd, stops the import (`import_invalid` naming the line);
 * - a line with no date and no amount (a title, "Total des opérations", "Solde au ...") is skipped
 *   with a warning naming the line; a line with an amount but no readable date stops the import;
 * - declined, reverted and cancelled operations (a status column) are skipped with a warning,
 *   pending ones kept with `bookingStatus: pending`.
 */
import type { CsvRow } from '../csv/csv-reader.js';
import { csvRows } from '../csv/csv-reader.js';
import { importError } from '../import-error.js';
import type { ImportRecord, ImportSample, ImportSource, Importer, ParseContext } from '../importer.js';
import { createFingerprinter } from './bank-fingerprint.js';
import { parseAmount } from './bank-csv-amount.js';
import { dateOrderOf, instantOf, parseCsvDate, type CsvDate, type DateOrder, type DateParse } from './bank-csv-date.js';
import { headerSignatureOf, normalizeHeader, trimHeader } from './bank-csv-header.js';
import { planFromSample, type CsvPlan, type DraftMapping } from './bank-csv-infer.js';
import { layoutOf, type BankCsvLayout } from './bank-csv-layouts.js';
import { checkBankCsvMapping, type BankCsvMapping } from './bank-csv-mapping.js';
import { ibanIn, readPreamble, type PreambleFacts } from './bank-csv-preamble.js';
import { dayEndInstant } from './bank-date-time.js';
import { typeFromWording, type BankOperationType } from './bank-operation-types.js';
import { bankDateProblem, isoInstant, MAX_BANK_AMOUNT } from './bank-values.js';

export const bankCsvImporter: Importer = {
  id: 'bank-csv',
  title: 'Bank statement CSV (known French and European layouts, or a mapping inferred from the columns)',
  doctypes: ['bank.transaction', 'bank.account'],
  detect(sample) {
    try {
      return planFromSample(sample, { pivotYear: new Date().getUTCFullYear() + 1 })?.bankScore ?? 0;
    } catch {
      return 0;
    }
  },
  parse: parseBankCsv,
  describe: describeBankCsv,
  // A mapping the person corrected is saved under the file's header and found again next time.
  presetKey: async (source) => csvHeaderSignature(source.sample),
};

/** The header signature of a file, under which a corrected mapping is saved as a preset and found again. */
export function csvHeaderSignature(sample: ImportSample): string | null {
  const plan = planFromSample(sample, { pivotYear: new Date().getUTCFullYear() + 1 });
  if (!plan) return null;
  return headerSignatureOf(plan.header, plan.mapping.delimiter, plan.columns.length);
}

/** Rows of the sample shown in the preview. */
const PREVIEW_ROWS = 10;
const MAX_PREAMBLE_ROWS = 200;
/** Status words of operations that never happened (declined, reverted, cancelled), in the languages seen. */
const SKIPPED_STATUS =
  /\b(declined|reverted|reversed|cancell?ed|canceled|failed|rejected|refuse|refusee|annule|annulee|renvoye|revert|abgelehnt|storniert)\b/;
const PENDING_STATUS = /\b(pending|processing|en attente|en cours|in progress|vorgemerkt|authorized|authorised)\b/;
const DEBIT_DIRECTION = /^(af|d|dr|debit|debet|soll|out|sortie)$/;
const CREDIT_DIRECTION = /^(bij|c|cr|credit|haben|in|entree)$/;
/** Words of lines that sum up rather than record an operation. */
const TOTAL_LINE = /\b(total|totaux|sous total|solde|soldes|balance|saldo|report|cumul|nouveau solde|ancien solde)\b/;
/**
 * Labels of dated lines that state a balance or a total. Only whole phrases: "TOTAL ENERGIES" or
 * "SOLDE DE TOUT COMPTE" (a final pay) are operations.
 */
const BALANCE_LABEL =
  /^(?:(?:nouveau |ancien )?solde|total|totaux|sous total|report|a reporter)(?: (?:au|final|initial|crediteur|debiteur|du compte|des operations|en fin de periode|en debut de periode|de la periode)\b.*)?$/;
const SAVINGS = /\b(livret|ldd|ldds|lep|pel|cel|epargne|sparkonto|savings|tagesgeld|extra konto)\b/;

interface Resolved {
  plan: CsvPlan;
  mapping: BankCsvMapping;
  layout?: BankCsvLayout;
}

async function describeBankCsv(source: ImportSource, ctx: ParseContext): Promise<Record<string, unknown>> {
  const plan = planFromSample(source.sample, planOptions(ctx));
  if (!plan) return { mapping: null, confidence: 0, missing: ['date', 'amount', 'label'], columns: [], sample: [] };
  const mapping: DraftMapping = ctx.options.csvMapping ? checkBankCsvMapping(ctx.options.csvMapping) : plan.mapping;
  const headerRow = plan.rows.find((r) => r.line === mapping.headerLine);
  const header = headerRow ? trimHeader(headerRow.fields) : mapping.headerLine === 0 ? null : plan.header;
  const layout = header ? layoutOf(header.map(normalizeHeader)) : undefined;
  const data = plan.rows.filter((r) => r.line > mapping.headerLine && r !== headerRow).slice(0, PREVIEW_ROWS);
  const preamble = plan.rows.filter((r) => r.line < mapping.headerLine);
  const columns = header
    ? plan.columns.map((c, i) => header[i]?.trim() || c)
    : plan.columns.map((_, i) => `Column ${i + 1}`);
  return {
    mapping,
    ...(layout ? { layout: layout.name, layoutId: layout.id, layoutEvidence: layout.evidence } : {}),
    confidence: ctx.options.csvMapping ? 1 : plan.confidence,
    missing: ctx.options.csvMapping ? [] : plan.missing,
    headerLine: mapping.headerLine,
    headerSignature: headerSignatureOf(header, mapping.delimiter, columns.length),
    columns,
    sample: data.map((r) => r.fields),
    account: readPreamble(preamble, layout, planOptions(ctx).pivotYear),
  };
}

function planOptions(ctx: ParseContext): { pivotYear: number; dateOrder?: DateOrder } {
  return {
    pivotYear: new Date(ctx.now).getUTCFullYear() + 1,
    ...(ctx.options.dateOrder ? { dateOrder: ctx.options.dateOrder } : {}),
  };
}

/** The mapping to import with: the person's, or the inferred one when it is complete (else a clear error). */
function resolve(source: ImportSource, ctx: ParseContext): Resolved {
  const plan = planFromSample(source.sample, planOptions(ctx));
  if (!plan) throw importError(source.name, 'this is not a table of bank lines (no delimited columns found).');
  if (ctx.options.csvMapping) {
    const mapping = checkBankCsvMapping(ctx.options.csvMapping);
    const headerRow = plan.rows.find((r) => r.line === mapping.headerLine);
    const layout = headerRow ? layoutOf(trimHeader(headerRow.fields).map(normalizeHeader)) : undefined;
    return { plan, mapping, ...(layout ? { layout } : {}) };
  }
  if (plan.missing.length > 0) {
    const what = plan.missing
      .map((m) => (m === 'amount' ? 'an amount column (or a debit and a credit column)' : `a ${m} column`))
      .join(', nor ');
    throw importError(
      source.name,
      `could not find ${what} among the columns ${plan.columns.map((c) => `"${c}"`).join(', ')}; ` +
        'choose the columns in the preview.',
      plan.mapping.headerLine || undefined,
      { missing: plan.missing },
    );
  }
  return { plan, mapping: plan.mapping as BankCsvMapping, ...(plan.layout ? { layout: plan.layout } : {}) };
}

interface AccountState {
  accountId: string;
  facts: PreambleFacts;
  /** Running balance on the first and last lines read, to take the latest one. */
  first?: { day: string; balance: number };
  last?: { day: string; balance: number };
  /** True when the file identifies the account (an IBAN or a number), not only the options. */
  identified: boolean;
  /** Operations filed under it. */
  lines: number;
}

async function* parseBankCsv(source: ImportSource, ctx: ParseContext): AsyncIterable<ImportRecord> {
  const { mapping, layout } = resolve(source, ctx);
  const c = mapping.columns;
  const file = source.name;
  const pivotYear = new Date(ctx.now).getUTCFullYear() + 1;
  const timeZone = mapping.timeZone === 'UTC' ? 'UTC' : ctx.timeZone;
  const bankId = layout?.id ?? 'csv';
  const fingerprint = createFingerprinter();
  const accounts = new Map<string, AccountState>();
  const midnights = new Map<string, Instant>();
  /** Operation types by label: statements repeat their labels (subscriptions, the same shops). */
  const types = new Map<string, BankOperationType | null>();

  let preamble: CsvRow[] = [];
  let pending: CsvRow[] = [];
  let headerKey: string | null = null;
  let headerWidth = 0;
  let section: AccountState | null = null;
  let lines = 0;

  const accountState = (accountId: string, facts: PreambleFacts, identified: boolean): AccountState => {
    let state = accounts.get(accountId);
    if (!state) {
      state = { accountId, facts, identified, lines: 0 };
      accounts.set(accountId, state);
    } else if (identified) {
      state.facts = { ...state.facts, ...facts };
    }
    return state;
  };
  const sectionOf = (rows: readonly CsvRow[]): AccountState => {
    const facts = readPreamble(rows, layout, pivotYear);
    const id = accountIdOf(facts, bankId, ctx.options.accountId);
    return accountState(id.accountId, facts, id.identified);
  };
  // Lines of one day follow each other: the last date read is most often the next one too.
  let lastDateText = '';
  let lastDate: DateParse = null;
  const readDate = (text: string): DateParse => {
    if (text !== lastDateText) {
      lastDateText = text;
      lastDate = parseCsvDate(text, mapping.dateOrder, pivotYear);
    }
    return lastDate;
  };
  const cell = (row: CsvRow, column: number | undefined) =>
    column === undefined ? '' : (row.fields[column] ?? '').trim();

  /** A line that is not an operation: skipped with a warning, unless it carries an amount. */
  const judge = (row: CsvRow) => {
    const texts = row.fields.map((f) => f.trim()).filter((f) => f !== '');
    if (texts.length === 0) return;
    const snippet = texts.join(' ').replace(/\s+/g, ' ').slice(0, 80);
    if (texts.some((t) => TOTAL_LINE.test(normalizeHeader(t)))) {
      ctx.warn({ line: row.line, message: `skipped a total or balance line: "${snippet}"` });
      return;
    }
    const amounts = [c.amount, c.debit, c.credit].map((col) => cell(row, col)).filter((t) => t !== '');
    if (amounts.some((t) => parseAmount(t, mapping.decimalMark) !== null)) {
      const dateText = cell(row, c.date);
      throw importError(
        file,
        dateText === ''
          ? `this line has an amount but no date: "${snippet}".`
          : `the date "${dateText}" is not a date.`,
        row.line,
      );
    }
    ctx.warn({ line: row.line, message: `skipped a line that is not an operation: "${snippet}"` });
  };
  const flushPending = () => {
    for (const row of pending) judge(row);
    pending = [];
  };

  for await (const row of csvRows(source, mapping.delimiter)) {
    if (row.line < mapping.headerLine) {
      if (preamble.length < MAX_PREAMBLE_ROWS) preamble.push(row);
      continue;
    }
    if (row.line === mapping.headerLine) {
      headerKey = headerKeyOf(row.fields);
      headerWidth = trimHeader(row.fields).length;
      section = sectionOf(preamble);
      preamble = [];
      continue;
    }
    const dateText = cell(row, c.date);
    const date = readDate(dateText);
    if (date === null) {
      if (row.fields.every((f) => f.trim() === '')) continue;
      if (headerKey !== null && headerKeyOf(row.fields) === headerKey) {
        // The header again: the next account of a multi-account export, its own preamble above.
        section = sectionOf(pending);
        pending = [];
        continue;
      }
      pending.push(row);
      if (pending.length > MAX_PREAMBLE_ROWS) judge(pending.shift()!);
      continue;
    }
    if (date === 'invalid') throw importError(file, invalidDateMessage(dateText, mapping.dateOrder), row.line);
    if (section === null) {
      // Lines above the first operation of a file without a header row describe the account.
      section = sectionOf(pending);
      pending = [];
    } else {
      flushPending();
    }
    const current = section;
    lines++;

    const { iso, problem } = instantFor(date, timeZone, midnights, ctx.now);
    if (problem) throw importError(file, `the date "${dateText}" is impossible: ${problem}.`, row.line);
    const label = labelOf(row, mapping);
    if (
      /^(?:solde|total|sous|report|nouveau|ancien|[aà] reporter)/i.test(label) &&
      BALANCE_LABEL.test(normalizeHeader(label))
    ) {
      // "31/03/2026;Solde au 31/03/2026;1 234,56": a dated balance, not an operation.
      ctx.warn({ line: row.line, message: `skipped a total or balance line: "${label.slice(0, 80)}"` });
      continue;
    }
    const amount = amountOf(row, mapping, file, headerWidth);
    const statusText = cell(row, c.status);
    const status = statusText === '' ? '' : normalizeHeader(statusText);
    if (status !== '' && SKIPPED_STATUS.test(status)) {
      ctx.warn({ line: row.line, message: `skipped an operation with status "${cell(row, c.status)}": "${label}"` });
      continue;
    }

    const lineAccount = cell(row, c.account);
    const account = lineAccount === '' ? current : lineAccountState(lineAccount);
    const currencyText = cell(row, c.currency);
    const currency = /^[A-Z]{3}$/.test(currencyText) ? currencyText : (account.facts.currency ?? mapping.currency);
    const data: Record<string, unknown> = {
      date: iso,
      label,
      amount,
      currency,
      accountId: account.accountId,
    };
    const valueDate = optionalDay(row, c.valueDate, readDate, mapping.dateOrder, file, ctx.now);
    if (valueDate) data.valueDate = valueDate;
    const category = cell(row, c.category);
    if (category) data.category = category.slice(0, 64);
    const reference = cell(row, c.reference);
    if (reference) data.reference = reference.slice(0, 140);
    const counterparty = cell(row, c.counterparty);
    if (counterparty) data.counterparty = { name: counterparty.replace(/\s+/g, ' ').slice(0, 200) };
    let type = types.get(label);
    if (type === undefined) {
      if (types.size > 10_000) types.clear();
      type = typeFromWording(label) ?? null;
      types.set(label, type);
    }
    if (type) data.type = type;
    if (status !== '' && PENDING_STATUS.test(status)) data.bookingStatus = 'pending';

    const balanceText = cell(row, c.balance);
    const balance = balanceText === '' ? null : parseAmount(balanceText, mapping.decimalMark);
    if (balance !== null && Math.abs(balance) < MAX_BANK_AMOUNT) {
      const mark = { day: date.day, balance };
      account.first ??= mark;
      account.last = mark;
    }

    account.lines++;
    const id = cell(row, c.id);
    const key = id
      ? `id:${account.accountId}|${id}`
      : fingerprint({
          accountId: account.accountId,
          day: optionalDay(row, c.bookingDate, readDate, mapping.dateOrder, file, ctx.now) ?? date.day,
          amount,
          label,
        });
    yield { kind: 'document', doctype: 'bank.transaction', key, data, line: row.line };
  }
  flushPending();
  if (lines === 0) {
    throw importError(
      file,
      mapping.headerLine > 0 ? 'the file has a header but no operations below it.' : 'no operations found in the file.',
      mapping.headerLine || undefined,
    );
  }
  for (const account of accounts.values()) {
    // An account only the options name is the person's own document: the file would only blank it.
    if (account.lines === 0 || (!account.identified && account.accountId !== 'default')) continue;
    yield {
      kind: 'document',
      doctype: 'bank.account',
      key: `account:${account.accountId}`,
      data: accountData(account, layout, timeZone, mapping.currency),
    };
  }

  function lineAccountState(text: string): AccountState {
    const iban = ibanIn(text.replace(/\s/g, '').toUpperCase());
    const number = text.replace(/^="?|"$/g, '').replace(/\s/g, '');
    const facts: PreambleFacts = iban ? { iban } : { accountNumber: number };
    return accountState(iban ?? `${bankId}:${number}`.slice(0, 128), facts, true);
  }
}

/** The file's account: its IBAN, else `<bank>:<number>`, else the person's choice, else `default`. */
function accountIdOf(
  facts: PreambleFacts,
  bankId: string,
  optionAccountId: string | undefined,
): { accountId: string; identified: boolean } {
  if (facts.iban) return { accountId: facts.iban, identified: true };
  if (facts.accountNumber) return { accountId: `${bankId}:${facts.accountNumber}`.slice(0, 128), identified: true };
  return { accountId: optionAccountId || 'default', identified: false };
}

function accountData(
  account: AccountState,
  layout: BankCsvLayout | undefined,
  timeZone: string,
  currency: string,
): Record<string, unknown> {
  const { facts } = account;
  const vendor = layout?.vendor ?? 'Unknown bank (CSV import)';
  const number = facts.iban ?? facts.accountNumber;
  const label = facts.accountLabel ?? (number ? `${vendor} ${number}` : `${vendor} account`);
  const data: Record<string, unknown> = {
    accountId: account.accountId,
    vendor,
    label: label.slice(0, 200),
    type: SAVINGS.test(normalizeHeader(facts.accountLabel ?? '')) ? 'savings' : 'checking',
    currency: facts.currency ?? currency,
  };
  if (facts.iban) data.iban = facts.iban;
  // The preamble's balance; else the running balance of the latest line (lines may come newest first).
  if (facts.balance !== undefined && Math.abs(facts.balance) < MAX_BANK_AMOUNT) {
    data.balance = facts.balance;
    // A balance "as of" a day holds once that day's operations are booked: at its end.
    if (facts.balanceDay) data.balanceDate = dayEndInstant(facts.balanceDay, timeZone);
  } else if (account.first && account.last) {
    const latest = account.last.day >= account.first.day ? account.last : account.first;
    data.balance = latest.balance;
  }
  return data;
}

function amountOf(row: CsvRow, mapping: BankCsvMapping, file: string, headerWidth: number): number {
  const c = mapping.columns;
  let amount: number;
  if (c.amount !== undefined) {
    const value = moneyIn(row, c.amount, 'amount', mapping, file, headerWidth);
    if (value === null) throw importError(file, 'this line has no amount.', row.line);
    amount = value;
    if (c.direction !== undefined) {
      const direction = normalizeHeader((row.fields[c.direction] ?? '').trim());
      if (DEBIT_DIRECTION.test(direction)) amount = -Math.abs(amount);
      else if (CREDIT_DIRECTION.test(direction)) amount = Math.abs(amount);
      else throw importError(file, `the direction "${direction}" is neither a debit nor a credit.`, row.line);
    }
  } else {
    const debit = moneyIn(row, c.debit, 'debit', mapping, file, headerWidth);
    const credit = moneyIn(row, c.credit, 'credit', mapping, file, headerWidth);
    if (debit === null && credit === null) {
      throw importError(file, 'this line has neither a debit nor a credit.', row.line);
    }
    if (debit && credit) {
      throw importError(file, `this line has both a debit (${debit}) and a credit (${credit}).`, row.line);
    }
    // A debit is a debit whether the bank writes it positive (Crédit Agricole) or negative (BPCE).
    amount = debit ? -Math.abs(debit) : (credit ?? 0);
  }
  const fee = moneyIn(row, c.fee, 'fee', mapping, file, headerWidth);
  if (fee) amount = Math.round((amount - fee) * 100) / 100;
  return amount || 0;
}

/** A sum of money in a column: null when the cell is empty, an error naming the line when it is not a number. */
function moneyIn(
  row: CsvRow,
  column: number | undefined,
  what: string,
  mapping: BankCsvMapping,
  file: string,
  headerWidth: number,
): number | null {
  if (column === undefined) return null;
  const text = (row.fields[column] ?? '').trim();
  if (text === '') {
    if (column >= row.fields.length && headerWidth > row.fields.length) {
      throw importError(
        file,
        `the line has ${row.fields.length} fields where the header has ${headerWidth}: cut short?`,
        row.line,
      );
    }
    return null;
  }
  const value = parseAmount(text, mapping.decimalMark);
  if (value === null) throw importError(file, `the ${what} "${text}" is not a number.`, row.line);
  if (Math.abs(value) >= MAX_BANK_AMOUNT) {
    throw importError(file, `the ${what} "${text}" is absurd (a trillion or more).`, row.line);
  }
  return value;
}

function labelOf(row: CsvRow, mapping: BankCsvMapping): string {
  const c = mapping.columns;
  for (const column of [c.label, c.counterparty, c.reference]) {
    if (column === undefined) continue;
    const raw = (row.fields[column] ?? '').trim();
    // Labels over several lines (Crédit Agricole) or padded with spaces become one line.
    const text = /\s\s|[\t\n\r]/.test(raw) ? raw.replace(/\s+/g, ' ') : raw;
    if (text !== '') return text.slice(0, 500);
  }
  return '(no label)';
}

function optionalDay(
  row: CsvRow,
  column: number | undefined,
  readDate: (text: string) => DateParse,
  order: DateOrder,
  file: string,
  now: number,
): string | undefined {
  if (column === undefined) return undefined;
  const text = (row.fields[column] ?? '').trim();
  if (text === '') return undefined;
  const date = readDate(text);
  if (date === 'invalid') throw importError(file, invalidDateMessage(text, order), row.line);
  if (date === null) return undefined;
  const problem = dayProblem(date.day, now);
  if (problem) throw importError(file, `the date "${text}" is impossible: ${problem}.`, row.line);
  return date.day;
}

function invalidDateMessage(text: string, order: DateOrder): string {
  const other = dateOrderOf(text);
  const hint =
    other && other !== order
      ? ` (dates were read as ${order}; this one reads as ${other}: adjust the date order in the preview)`
      : '';
  return `the date "${text}" does not exist${hint}.`;
}

interface Instant {
  iso: string;
  /** Why the date is absurd (year 1200, 9999), if it is. */
  problem?: string;
}

/** The instant of a line's date; day-only dates (nearly all) are computed once per day. */
function instantFor(date: CsvDate, timeZone: string, midnights: Map<string, Instant>, now: number): Instant {
  if (date.seconds !== undefined || date.offsetMinutes !== undefined) return instantCheck(date, timeZone, now);
  let t = midnights.get(date.day);
  if (t === undefined) {
    if (midnights.size > 10_000) midnights.clear();
    t = instantCheck(date, timeZone, now);
    midnights.set(date.day, t);
  }
  return t;
}

function instantCheck(date: CsvDate, timeZone: string, now: number): Instant {
  const problem = dayProblem(date.day, now);
  return problem ? { iso: '', problem } : { iso: isoInstant(instantOf(date, timeZone)) };
}

/** Why a real calendar day is absurd for a bank line (year 1200, 9999), if it is. */
function dayProblem(day: string, now: number): string | undefined {
  return bankDateProblem(Number(day.slice(0, 4)), Number(day.slice(5, 7)), Number(day.slice(8, 10)), now);
}

function headerKeyOf(fields: readonly string[]): string {
  return trimHeader(fields).map(normalizeHeader).join('\u0000');
}
