/**
 * The mapping of a bank CSV file, from its sample: a known layout when the header row carries a
 * layout's signature, otherwise inferred. Inference finds the header row (the text row most
 * followed by dated rows, preferring bank words), then the columns: the date (values are dates;
 * the value date told apart by its name), the amount or a debit/credit pair (values are numbers;
 * a pair when exactly one of two numeric columns is filled per line), the label (the longest,
 * most varied text), the day order (from values above 12, else from the lines' order) and the
 * decimal mark (from the values). Header words in French, English, German and Dutch count as
 * evidence; a column found by its values alone counts less.
 */
import type { CsvRow } from '../csv/csv-reader.js';
import { sniffDelimiter } from '../csv/csv-reader.js';
import type { ImportSample } from '../importer.js';
import { currencyMarkOf, decimalMarkOf, parseAmount, type DecimalMark } from './bank-csv-amount.js';
import { dateOrderOf, parseCsvDate, type DateOrder } from './bank-csv-date.js';
import { normalizeHeader, trimHeader } from './bank-csv-header.js';
import { layoutColumns, layoutOf, type BankCsvLayout } from './bank-csv-layouts.js';
import type { BankCsvColumns, BankCsvMapping, BankCsvRole } from './bank-csv-mapping.js';
import { sampleRows } from './bank-csv-sample.js';

/** A mapping that may lack required columns: what the preview shows when inference falls short. */
export type DraftMapping = Omit<BankCsvMapping, 'columns'> & { columns: Partial<BankCsvColumns> };

export interface CsvPlan {
  mapping: DraftMapping;
  layout?: BankCsvLayout;
  /** Header cells as written (trailing empty cells dropped), or null for a file without a header row. */
  header: string[] | null;
  /** Display names of the columns: the header's, or `Column 1`... */
  columns: string[];
  /** The sample's rows: preamble, header and the first data rows. */
  rows: CsvRow[];
  /** Index in `rows` of the header row, -1 when none. */
  headerIndex: number;
  /** Required roles that could not be found: `date`, `amount`, `label`. */
  missing: string[];
  /** How sure the mapping is, 0..1. */
  confidence: number;
  /** How much the file looks like bank lines, 0..1 (the importer's detection score). */
  bankScore: number;
}

export interface PlanOptions {
  /** Two-digit years up to this are 20yy. */
  pivotYear: number;
  /** Day order to use when the values do not tell. */
  dateOrder?: DateOrder;
}

const DATE_WORDS =
  /\b(date|datum|dateop|buchung|buchungstag|buchungsdatum|fecha|data|jour|started date|booking date)\b/;
const VALUE_DATE_WORDS = /\b(valeur|value|valuta|wertstellung|wertstellungsdatum|dateval|date val)\b/;
const AMOUNT_WORDS = /\b(montant|amount|betrag|bedrag|importe|importo|somme|sum|valor)\b/;
const DEBIT_WORDS =
  /\b(debit|debits|withdrawals?|paid out|money out|sorties?|depenses?|belastung|soll|ausgang|uitgaven|outflow)\b/;
const CREDIT_WORDS =
  /\b(credit|credits|deposits?|paid in|money in|entrees?|recettes?|gutschrift|haben|eingang|inkomsten|inflow)\b/;
const LABEL_WORDS =
  /\b(libelle|label|description|wording|memo|details?|narrative|payee|beneficiaire|verwendungszweck|buchungstext|omschrijving|concepto|intitule|motif)\b/;
const WEAK_LABEL_WORDS = /\b(operation|transaction|nature|name|nom|text|texte)\b/;
const BALANCE_WORDS = /\b(solde|balance|saldo|kontostand)\b/;
/** Numbers that are not the operation's amount. */
const NOT_AMOUNT_WORDS =
  /\b(kwh|wh|kw|kva|m3|litres?|km|minutes?|secondes?|seconds?|duration|duree|quantity|quantite|qty|index|francs?|foreign|etrangere|original|tva|vat|ht|fee|frais|taux|rate|cours|consommation|consumption|verbrauch|puissance|power|volume|price|prix|rating|note|score|year|annee|season|saison|episode|coefficient|conversion|temperature|percent|pourcentage)\b/;
const CATEGORY_WORDS = /\b(categorie|category|kategorie|rubrique)\b/;
const REFERENCE_WORDS = /\b(reference|ref|referenz|payment reference|numero d operation|cheque)\b/;
const CURRENCY_WORDS = /\b(devise|currency|wahrung|monnaie)\b/;
const COUNTERPARTY_WORDS =
  /\b(beneficiaire|payee|contrepartie|counterparty|tiers|empfanger|auftraggeber|partner name|merchant|commercant)\b/;

/** The plan for a sample, or null when it is not a table at all (JSON, XML, prose, one column). */
export function planFromSample(sample: ImportSample, options: PlanOptions): CsvPlan | null {
  const head = sample.text.trimStart();
  if (head === '' || /^[<{[]/.test(head) || /^OFXHEADER/i.test(head)) return null;
  const delimiter = sniffDelimiter(sample.text);
  const rows = sampleRows(sample.text, delimiter, sample.complete);
  if (!rows.some((r) => r.fields.length >= 2)) return null;

  let layout: BankCsvLayout | undefined;
  let headerIndex = -1;
  for (let i = 0; i < Math.min(rows.length, 60) && !layout; i++) {
    layout = layoutOf(trimHeader(rows[i]!.fields).map(normalizeHeader));
    if (layout) headerIndex = i;
  }
  if (!layout) headerIndex = findHeader(rows, options.pivotYear);
  if (headerIndex < 0 && !rows.some((r) => r.fields.some((f) => isDateCell(f, options.pivotYear)))) {
    // No dated line at all (a header alone, or its lines cut off): a row of bank words is the header.
    headerIndex = rows.findIndex((r) => isHeaderLike(r, options.pivotYear) && bankWords(r) >= 2);
  }
  const header = headerIndex >= 0 ? trimHeader(rows[headerIndex]!.fields) : null;
  const names = header ? header.map(normalizeHeader) : [];
  const data = dataRowsOf(rows, headerIndex, options.pivotYear);
  const width = Math.max(header?.length ?? 0, ...data.map((r) => trimHeader(r.fields).length));
  const profiles = Array.from({ length: width }, (_, i) => profile(i, names[i] ?? '', data, options.pivotYear));

  const named = new Set<string>();
  const columns: Partial<BankCsvColumns> = layout ? layoutColumns(layout, names) : inferRoles(profiles, data, named);
  const missing = (['date', 'label'] as const).filter((r) => columns[r] === undefined) as string[];
  if (columns.amount === undefined && (columns.debit === undefined || columns.credit === undefined)) {
    missing.splice(1, 0, 'amount');
  }

  const orderEvidence = dateOrderEvidence(data, columns, options.pivotYear);
  const dateOrder = orderEvidence ?? layout?.dateOrder ?? options.dateOrder ?? 'DMY';
  const markEvidence = decimalMarkEvidence(data, columns);
  const decimalMark: DecimalMark = markEvidence ?? layout?.decimalMark ?? (delimiter === ',' ? '.' : ',');
  const mapping: DraftMapping = {
    delimiter: delimiter as BankCsvMapping['delimiter'],
    headerLine: headerIndex >= 0 ? rows[headerIndex]!.line : 0,
    columns,
    dateOrder,
    decimalMark,
    timeZone: layout?.utc ? 'UTC' : 'local',
    currency: currencyEvidence(data, columns, header) ?? 'EUR',
  };

  let confidence: number;
  let bankScore: number;
  if (missing.length > 0) {
    confidence = 0;
    bankScore = layout ? 0.6 : 0.05;
  } else if (layout) {
    confidence = 1;
    bankScore = 0.95;
  } else {
    const hits = ['date', 'amount', 'label'].filter((r) => named.has(r)).length;
    confidence = 1;
    if (!named.has('date')) confidence -= 0.15;
    if (!named.has('amount')) confidence -= 0.2;
    if (!named.has('label')) confidence -= 0.1;
    if (orderEvidence === null) confidence -= 0.15;
    if (markEvidence === null) confidence -= 0.1;
    if (header === null) confidence -= 0.1;
    confidence = Math.max(0.05, Math.round(confidence * 100) / 100);
    bankScore = header === null ? 0.5 : [0.3, 0.35, 0.7, 0.9][hits]!;
  }
  return {
    mapping,
    ...(layout ? { layout } : {}),
    header,
    columns: Array.from({ length: width }, (_, i) => header?.[i]?.trim() || `Column ${i + 1}`),
    rows,
    headerIndex,
    missing,
    confidence,
    bankScore,
  };
}

/** True for a cell that is shaped like a date (a real one or not). */
function isDateCell(text: string, pivotYear: number): boolean {
  return parseCsvDate(text, 'DMY', pivotYear) !== null;
}

/** A header row: at least two cells, every filled cell has letters, none is a date or a number. */
function isHeaderLike(row: CsvRow, pivotYear: number): boolean {
  let filled = 0;
  for (const f of row.fields) {
    const t = f.trim();
    if (t === '') continue;
    if (!/\p{L}/u.test(t) || isDateCell(t, pivotYear) || parseAmount(t, ',') !== null) return false;
    filled++;
  }
  return filled >= 2;
}

/**
 * The header row: among text rows of the first sixty, the one followed by the most rows that have
 * a date in one same column and a compatible width, bank words breaking ties. -1 when no text row
 * is followed by dated rows (a file without a header).
 */
function findHeader(rows: readonly CsvRow[], pivotYear: number): number {
  let best = -1;
  let bestScore = 0;
  for (let i = 0; i < Math.min(rows.length, 60); i++) {
    const row = rows[i]!;
    if (!isHeaderLike(row, pivotYear)) continue;
    const width = trimHeader(row.fields).length;
    const dated = new Map<number, number>();
    for (let j = i + 1; j < Math.min(rows.length, i + 11); j++) {
      const next = rows[j]!;
      if (next.fields.length < width - 1 || next.fields.length > row.fields.length + 2) continue;
      next.fields.forEach((f, c) => {
        if (isDateCell(f, pivotYear)) dated.set(c, (dated.get(c) ?? 0) + 1);
      });
    }
    const followers = Math.max(0, ...dated.values());
    if (followers === 0) continue;
    const score = followers + 2 * bankWords(row);
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  }
  return best;
}

/** How many cells of a row are words bank headers use. */
function bankWords(row: CsvRow): number {
  return trimHeader(row.fields)
    .map(normalizeHeader)
    .filter((n) => DATE_WORDS.test(n) || AMOUNT_WORDS.test(n) || DEBIT_WORDS.test(n) || LABEL_WORDS.test(n)).length;
}

/** The rows values are inferred from: after the header (or from the first dated row), up to 200. */
function dataRowsOf(rows: readonly CsvRow[], headerIndex: number, pivotYear: number): CsvRow[] {
  let from = headerIndex + 1;
  if (headerIndex < 0) {
    from = rows.findIndex((r) => r.fields.some((f) => isDateCell(f, pivotYear)));
    if (from < 0) return [];
  }
  const header = headerIndex >= 0 ? rows[headerIndex]!.fields.join('\u0000') : null;
  return rows
    .slice(from)
    .filter((r) => r.fields.length >= 2 && r.fields.join('\u0000') !== header)
    .slice(0, 200);
}

interface ColumnProfile {
  index: number;
  name: string;
  filled: number;
  dates: number;
  /** Values that read as numbers at all. */
  numbers: number;
  /** Numbers that can be sums of money. */
  amounts: number;
  negatives: number;
  texts: number;
  codes: number;
  distinct: number;
  length: number;
}

function profile(index: number, name: string, rows: readonly CsvRow[], pivotYear: number): ColumnProfile {
  const p: ColumnProfile = {
    index,
    name,
    filled: 0,
    dates: 0,
    numbers: 0,
    amounts: 0,
    negatives: 0,
    texts: 0,
    codes: 0,
    distinct: 0,
    length: 0,
  };
  const seen = new Set<string>();
  for (const row of rows) {
    const v = (row.fields[index] ?? '').trim();
    if (v === '') continue;
    p.filled++;
    p.length += v.length;
    seen.add(v);
    if (isDateCell(v, pivotYear)) p.dates++;
    else {
      const n = parseAmount(v, ',');
      if (n !== null) {
        p.numbers++;
        if (!/^[+-]?\d{8,}$/.test(v)) p.amounts++;
        if (n < 0) p.negatives++;
      }
    }
    if (/\p{L}/u.test(v)) p.texts++;
    if (/^[A-Z]{3}$/.test(v)) p.codes++;
  }
  p.distinct = seen.size;
  return p;
}

function inferRoles(
  profiles: readonly ColumnProfile[],
  data: readonly CsvRow[],
  named: Set<string>,
): Partial<BankCsvColumns> {
  const roles: Partial<BankCsvColumns> = {};
  const taken = new Set<number>();
  const take = (role: BankCsvRole, p: ColumnProfile | undefined, byName: boolean) => {
    if (!p) return;
    roles[role] = p.index;
    taken.add(p.index);
    if (byName) named.add(role === 'debit' || role === 'credit' ? 'amount' : role);
  };
  const rows = Math.max(...profiles.map((p) => p.filled), 0);

  // Without lines (a header alone), names are all there is to go by.
  const byName = (p: ColumnProfile, words: RegExp) => rows === 0 && words.test(p.name);
  // A column named as a date may hold a bad value (the import will then name its line); others must be dates.
  const dates = profiles.filter(
    (p) =>
      (p.filled > 0 && p.dates >= (DATE_WORDS.test(p.name) ? 0.5 : 0.8) * p.filled && p.filled >= 0.5 * rows) ||
      byName(p, DATE_WORDS),
  );
  const valueDates = dates.filter((p) => VALUE_DATE_WORDS.test(p.name));
  const opDate =
    dates.find((p) => DATE_WORDS.test(p.name) && !VALUE_DATE_WORDS.test(p.name)) ??
    dates.find((p) => !VALUE_DATE_WORDS.test(p.name)) ??
    dates[0];
  take('date', opDate, opDate !== undefined && DATE_WORDS.test(opDate.name));
  take(
    'valueDate',
    valueDates.find((p) => p !== opDate),
    true,
  );
  for (const p of dates) taken.add(p.index);

  // A column named as money may hold a bad value (the import will then name its line), or none in the
  // sample (only debits so far); others must be sums of money.
  const moneyWords = (p: ColumnProfile) =>
    AMOUNT_WORDS.test(p.name) || DEBIT_WORDS.test(p.name) || CREDIT_WORDS.test(p.name);
  const numeric = profiles.filter(
    (p) =>
      !taken.has(p.index) &&
      !NOT_AMOUNT_WORDS.test(p.name) &&
      (moneyWords(p) ? p.numbers >= 0.5 * p.filled : p.filled > 0 && p.amounts >= 0.9 * p.filled),
  );
  const balance = numeric.find((p) => BALANCE_WORDS.test(p.name));
  const money = numeric.filter((p) => p !== balance);
  const debit = money.find((p) => DEBIT_WORDS.test(p.name));
  const credit = money.find((p) => CREDIT_WORDS.test(p.name) && p !== debit);
  const amount = money.find(
    (p) => AMOUNT_WORDS.test(p.name) && !DEBIT_WORDS.test(p.name) && !CREDIT_WORDS.test(p.name),
  );
  if (amount && (!debit || !credit || amount.filled >= 0.95 * rows)) take('amount', amount, true);
  else if (debit && credit) {
    take('debit', debit, true);
    take('credit', credit, true);
  } else {
    const pair = exclusivePair(money, data);
    if (pair) {
      take('debit', pair[0], false);
      take('credit', pair[1], false);
    } else {
      // Unnamed, a column is an amount only with signs: bank lines go both ways, meter readings do not.
      take(
        'amount',
        money.find((p) => p.filled >= 0.8 * rows && p.negatives > 0),
        false,
      );
    }
  }
  take('balance', balance, true);

  const texts = profiles.filter(
    (p) =>
      !taken.has(p.index) &&
      ((p.filled > 0 && p.filled >= 0.5 * rows && p.texts >= 0.5 * p.filled) || byName(p, LABEL_WORDS)),
  );
  // Labels vary from line to line; a column repeating a few words (Réel, Estimé) is a status or a type.
  const varied = (share: number) => (p: ColumnProfile) =>
    p.filled === 0 || (p.codes < p.filled && (rows <= 3 || p.distinct >= share * p.filled));
  const labelByName =
    best(texts.filter((p) => LABEL_WORDS.test(p.name) && varied(0.3)(p))) ??
    best(texts.filter((p) => WEAK_LABEL_WORDS.test(p.name) && varied(0.3)(p)));
  take('label', labelByName ?? best(texts.filter(varied(0.6))), labelByName !== undefined);

  const free = profiles.filter((p) => !taken.has(p.index) && p.filled > 0);
  take(
    'category',
    free.find((p) => CATEGORY_WORDS.test(p.name)),
    true,
  );
  take(
    'reference',
    free.find((p) => REFERENCE_WORDS.test(p.name) && !taken.has(p.index)),
    true,
  );
  take(
    'currency',
    free.find((p) => !taken.has(p.index) && p.codes === p.filled && (CURRENCY_WORDS.test(p.name) || p.name === '')),
    true,
  );
  take(
    'counterparty',
    free.find((p) => !taken.has(p.index) && COUNTERPARTY_WORDS.test(p.name)),
    true,
  );
  return roles;
}

/** The text column most like a label: long and varied. */
function best(candidates: readonly ColumnProfile[]): ColumnProfile | undefined {
  let top: ColumnProfile | undefined;
  let topScore = -1;
  for (const p of candidates) {
    const score = p.filled === 0 ? 0 : (p.length / p.filled) * (p.distinct / p.filled);
    if (score > topScore) {
      top = p;
      topScore = score;
    }
  }
  return top;
}

/**
 * Two numeric columns of which exactly one is filled on (nearly) every line: debit and credit.
 * The one holding negative values, or else the first, is the debit (`Débit;Crédit`, `Paid out;Paid in`).
 */
function exclusivePair(
  money: readonly ColumnProfile[],
  data: readonly CsvRow[],
): [ColumnProfile, ColumnProfile] | undefined {
  const filled = (row: CsvRow, c: number) => (row.fields[c] ?? '').trim() !== '';
  for (let i = 0; i < money.length; i++) {
    for (let j = i + 1; j < money.length; j++) {
      const a = money[i]!;
      const b = money[j]!;
      let one = 0;
      let any = 0;
      for (const row of data) {
        const fa = filled(row, a.index);
        const fb = filled(row, b.index);
        if (fa || fb) any++;
        if (fa !== fb) one++;
      }
      if (any > 0 && one >= 0.9 * any && a.filled < any && b.filled < any) {
        return b.negatives > 0 && a.negatives === 0 ? [b, a] : [a, b];
      }
    }
  }
  return undefined;
}

/** How many cells of these columns say each thing `read` finds in them. */
function tally<T>(
  rows: readonly CsvRow[],
  columns: readonly (number | undefined)[],
  read: (text: string) => T | null,
): Map<T, number> {
  const votes = new Map<T, number>();
  for (const row of rows) {
    for (const c of columns) {
      if (c === undefined) continue;
      const said = read(row.fields[c] ?? '');
      if (said !== null) votes.set(said, (votes.get(said) ?? 0) + 1);
    }
  }
  return votes;
}

/** The day order the date values prove, or, when they prove none, the order in which the lines are sorted. */
function dateOrderEvidence(
  rows: readonly CsvRow[],
  columns: Partial<BankCsvColumns>,
  pivotYear: number,
): DateOrder | null {
  const votes = tally(rows, [columns.date, columns.valueDate, columns.bookingDate], dateOrderOf);
  if (votes.size === 1) return [...votes.keys()][0]!;
  const dmy = votes.get('DMY') ?? 0;
  const mdy = votes.get('MDY') ?? 0;
  if (dmy !== mdy) return dmy > mdy ? 'DMY' : 'MDY';
  if (columns.date === undefined) return null;
  // Undecided: bank lines come sorted by date, so the reading that jumps around less is the right one.
  const spread = (order: DateOrder) => {
    let total = 0;
    let previous: number | null = null;
    for (const row of rows) {
      const d = parseCsvDate(row.fields[columns.date!] ?? '', order, pivotYear);
      if (d === null) continue;
      if (d === 'invalid') return Number.POSITIVE_INFINITY;
      const t = Date.parse(d.day);
      if (previous !== null) total += Math.abs(t - previous);
      previous = t;
    }
    return total;
  };
  const a = spread('DMY');
  const b = spread('MDY');
  if (a === b) return null;
  return a < b ? 'DMY' : 'MDY';
}

/** The decimal mark the amounts prove, by majority (the balance column only if they prove none), or null. */
function decimalMarkEvidence(rows: readonly CsvRow[], columns: Partial<BankCsvColumns>): DecimalMark | null {
  const money = [columns.amount, columns.debit, columns.credit, columns.fee];
  return markOfColumns(rows, money) ?? markOfColumns(rows, [columns.balance]);
}

function markOfColumns(rows: readonly CsvRow[], columns: readonly (number | undefined)[]): DecimalMark | null {
  const votes = tally(rows, columns, decimalMarkOf);
  const comma = votes.get(',') ?? 0;
  const dot = votes.get('.') ?? 0;
  if (comma === dot) return null;
  return comma > dot ? ',' : '.';
}

/** The currency the amounts or their column names are written in (`-$200.00`, `12,50 €`, `Amount (USD)`), by majority. */
function currencyEvidence(
  rows: readonly CsvRow[],
  columns: Partial<BankCsvColumns>,
  header: readonly string[] | null,
): string | null {
  const cols = [columns.amount, columns.debit, columns.credit].filter((c): c is number => c !== undefined);
  const votes = tally(rows, cols, currencyMarkOf);
  for (const c of cols) {
    const name = header?.[c] ?? '';
    const code = /\b(euros?)\b/i.test(name) ? 'EUR' : /\(([A-Z]{3})\)/.exec(name)?.[1];
    if (code) votes.set(code, (votes.get(code) ?? 0) + rows.length + 1);
  }
  let best: string | null = null;
  let bestVotes = 0;
  for (const [code, n] of votes) {
    if (n > bestVotes) {
      best = code;
      bestVotes = n;
    }
  }
  return best;
}
