/**
 * Known bank CSV layouts, as declarations: the header that identifies a layout, which column holds
 * what, how dates and amounts are written, where the preamble keeps the account and balance. A
 * layout is recognised by its header row only, never by the file name. Names are normalised
 * (`normalizeHeader`): `Date de l'opération` is `date de l operation`.
 *
 * `evidence` says how well each is known (docs/importers/bank-csv.md lists the sources):
 * - `checked`: several independent public descriptions (open-source importers' code and tests,
 *   help pages, blog posts showing a real file) agree on the header;
 * - `partial`: one public description, or descriptions that disagree on details.
 * Layouts that could not be substantiated (LCL, Hello bank!) are left to the inferred mapping.
 */
import type { DecimalMark } from './bank-csv-amount.js';
import type { DateOrder } from './bank-csv-date.js';
import type { BankCsvRole } from './bank-csv-mapping.js';

/** A role's column: a normalised header name, or several of which the first present is taken. */
type ColumnName = string | readonly string[];

export interface BankCsvLayout {
  /** Stable id; also the bank part of account ids built from an account number (`<id>:<number>`). */
  id: string;
  /** For the preview. */
  name: string;
  /** `bank.account.vendor`. */
  vendor: string;
  evidence: 'checked' | 'partial';
  sources: readonly string[];
  /** Normalised names that must all be in the header row. */
  signature: readonly string[];
  /** When true, the header must be exactly `signature`, in order: for layouts with common names. */
  exact?: boolean;
  columns: { date: ColumnName; label: ColumnName } & Partial<Record<BankCsvRole, ColumnName>>;
  dateOrder: DateOrder;
  decimalMark: DecimalMark;
  /** Times in the file are UTC (the header says so). */
  utc?: boolean;
  /** Cells (0-based) of the first preamble row that hold the account number, balance and balance date. */
  preambleCells?: { account?: number; balance?: number; balanceDate?: number };
}

export const BANK_CSV_LAYOUTS: readonly BankCsvLayout[] = [
  {
    id: 'credit-agricole',
    name: 'Crédit Agricole',
    vendor: 'Crédit Agricole',
    evidence: 'checked',
    sources: ['kledghq/kledg presets', 'open-source CA parsers and tests (code search)'],
    signature: ['date', 'libelle', 'debit euros', 'credit euros'],
    columns: {
      date: 'date',
      valueDate: 'date valeur',
      label: 'libelle',
      debit: 'debit euros',
      credit: 'credit euros',
    },
    dateOrder: 'DMY',
    decimalMark: ',',
  },
  {
    id: 'la-banque-postale',
    name: 'La Banque Postale',
    vendor: 'La Banque Postale',
    evidence: 'checked',
    sources: ['OpenFlyers import model (via kledghq/kledg)', 'open-source LBP parsers and tests (code search)'],
    signature: ['date', 'libelle', 'montant euros'],
    columns: { date: 'date', label: 'libelle', amount: 'montant euros' },
    dateOrder: 'DMY',
    decimalMark: ',',
  },
  {
    id: 'societe-generale',
    name: 'Société Générale',
    vendor: 'Société Générale',
    evidence: 'checked',
    sources: ['AiroPi/moneymanager (via kledghq/kledg)', 'open-source SG parsers and tests (code search)'],
    signature: ['date de l operation', 'libelle', 'detail de l ecriture', 'montant de l operation'],
    columns: {
      date: 'date de l operation',
      label: 'detail de l ecriture',
      amount: 'montant de l operation',
      currency: 'devise',
    },
    dateOrder: 'DMY',
    decimalMark: ',',
    // ="00000000000";01/05/2026;31/05/2026;50;29/05/2026;27423,29 EUR
    preambleCells: { account: 0, balanceDate: 4, balance: 5 },
  },
  {
    id: 'societe-generale-2019',
    name: 'Société Générale (2019 export)',
    vendor: 'Société Générale',
    evidence: 'partial',
    sources: ['https://enodev.fr/posts/fin-du-qif-a-la-societe-generale.html'],
    signature: ['date comptabilisation', 'libelle complet operation', 'montant operation'],
    columns: {
      date: 'date comptabilisation',
      label: 'libelle complet operation',
      amount: 'montant operation',
      currency: 'devise',
    },
    dateOrder: 'DMY',
    decimalMark: ',',
    // ="0201900016400270";17/05/2019;16/11/2019;
    preambleCells: { account: 0 },
  },
  {
    id: 'bnp-paribas',
    name: 'BNP Paribas',
    vendor: 'BNP Paribas',
    evidence: 'checked',
    sources: ['BrunBrun24/InsightBank and Corsud/Tresoperso (via kledghq/kledg)', 'tests seen through code search'],
    signature: ['date operation', 'libelle court', 'type operation', 'libelle operation', 'montant operation en euro'],
    columns: {
      date: 'date operation',
      label: 'libelle operation',
      amount: 'montant operation en euro',
    },
    dateOrder: 'DMY',
    decimalMark: ',',
    // Compte de chèques;M OU MME X;00012345678;28/02/2026;;1 234,56
    preambleCells: { account: 2, balanceDate: 3, balance: 5 },
  },
  {
    id: 'bnp-paribas-categories',
    name: 'BNP Paribas (with categories)',
    vendor: 'BNP Paribas',
    evidence: 'partial',
    sources: ['two open-source importers seen through code search'],
    signature: [
      'date operation',
      'categorie operation',
      'sous categorie operation',
      'libelle operation',
      'montant operation',
    ],
    columns: {
      date: 'date operation',
      category: 'sous categorie operation',
      label: 'libelle operation',
      amount: 'montant operation',
    },
    dateOrder: 'DMY',
    decimalMark: ',',
  },
  {
    id: 'bpce',
    name: "Banque Populaire / Caisse d'Épargne",
    vendor: "Banque Populaire / Caisse d'Épargne",
    evidence: 'checked',
    sources: ['NonoHM/budgetpilot, Djoulzy/compta (via kledghq/kledg)', 'many tests seen through code search'],
    signature: [
      'date de comptabilisation',
      'libelle simplifie',
      'libelle operation',
      'reference',
      'debit',
      'credit',
      'date operation',
      'date de valeur',
    ],
    columns: {
      date: 'date operation',
      bookingDate: 'date de comptabilisation',
      valueDate: 'date de valeur',
      label: 'libelle operation',
      reference: 'reference',
      category: ['sous categorie', 'categorie'],
      debit: 'debit',
      credit: 'credit',
    },
    dateOrder: 'DMY',
    decimalMark: ',',
  },
  {
    id: 'caisse-epargne',
    name: "Caisse d'Épargne (older export)",
    vendor: "Caisse d'Épargne",
    evidence: 'partial',
    sources: ['afup/web AppBundle/Compta/Importer/CaisseEpargne.php', 'a C# test seen through code search'],
    signature: ['date', 'numero d operation', 'libelle', 'debit', 'credit'],
    columns: {
      date: 'date',
      id: 'numero d operation',
      label: 'libelle',
      debit: 'debit',
      credit: 'credit',
    },
    dateOrder: 'DMY',
    decimalMark: ',',
  },
  {
    id: 'credit-mutuel-cic',
    name: 'Crédit Mutuel / CIC',
    vendor: 'Crédit Mutuel / CIC',
    evidence: 'checked',
    sources: [
      'afup/web AppBundle/Compta/Importer/CreditMutuel.php',
      'vrischmann/beancount-importers (via kledghq/kledg)',
    ],
    signature: ['date', 'date de valeur', 'debit', 'credit', 'libelle', 'solde'],
    exact: true,
    columns: {
      date: 'date',
      valueDate: 'date de valeur',
      debit: 'debit',
      credit: 'credit',
      label: 'libelle',
      balance: 'solde',
    },
    dateOrder: 'DMY',
    decimalMark: ',',
  },
  {
    id: 'credit-mutuel-cic-amount',
    name: 'Crédit Mutuel / CIC (single amount)',
    vendor: 'Crédit Mutuel / CIC',
    evidence: 'partial',
    sources: ['vrischmann/beancount-importers (via kledghq/kledg)', 'OpenFlyers CIC import model'],
    signature: ['date', 'date de valeur', 'montant', 'libelle', 'solde'],
    exact: true,
    columns: { date: 'date', valueDate: 'date de valeur', amount: 'montant', label: 'libelle', balance: 'solde' },
    dateOrder: 'DMY',
    decimalMark: ',',
  },
  {
    id: 'cic-comma',
    name: 'CIC (comma separated)',
    vendor: 'CIC',
    evidence: 'partial',
    sources: ['OpenFlyers "Modèle d\'import de relevé bancaire CSV CIC avec virgule"'],
    signature: ['date d operation', 'date de valeur', 'montant', 'libelle', 'solde'],
    exact: true,
    columns: {
      date: 'date d operation',
      valueDate: 'date de valeur',
      amount: 'montant',
      label: 'libelle',
      balance: 'solde',
    },
    dateOrder: 'DMY',
    decimalMark: '.',
  },
  {
    id: 'boursobank',
    name: 'BoursoBank',
    vendor: 'BoursoBank',
    evidence: 'checked',
    sources: ['azerpas/bourso-api src/bourso_api/src/client/transaction.rs', 'AiroPi/moneymanager (via kledghq/kledg)'],
    signature: ['dateop', 'dateval', 'label', 'amount'],
    columns: {
      date: 'dateop',
      valueDate: 'dateval',
      label: 'label',
      category: 'category',
      counterparty: 'supplierfound',
      amount: 'amount',
      account: 'accountnum',
      balance: 'accountbalance',
    },
    dateOrder: 'DMY',
    decimalMark: ',',
  },
  {
    id: 'fortuneo',
    name: 'Fortuneo',
    vendor: 'Fortuneo',
    evidence: 'checked',
    sources: ['several open-source Fortuneo parsers (C#, Haskell, Python) seen through code search'],
    signature: ['date operation', 'date valeur', 'libelle', 'debit', 'credit'],
    exact: true,
    columns: { date: 'date operation', valueDate: 'date valeur', label: 'libelle', debit: 'debit', credit: 'credit' },
    dateOrder: 'DMY',
    decimalMark: ',',
  },
  {
    id: 'shine',
    name: 'Shine',
    vendor: 'Shine',
    evidence: 'partial',
    sources: ['rodulfo-dmgz/RD-Recueil app/js/engine/import-shine.js', 'babao60/ComptaTVA-Auto (via kledghq/kledg)'],
    signature: ['transaction id', 'date d operation', 'debit', 'credit', 'libelle', 'nom de la contrepartie'],
    columns: {
      id: 'transaction id',
      date: 'date d operation',
      valueDate: 'date de la valeur',
      label: 'libelle',
      counterparty: 'nom de la contrepartie',
      category: 'category',
      debit: 'debit',
      credit: 'credit',
    },
    dateOrder: 'DMY',
    decimalMark: ',',
  },
  {
    id: 'qonto',
    name: 'Qonto',
    vendor: 'Qonto',
    evidence: 'partial',
    sources: [
      'qonto/qonto-faq-benchmark and enobase/demo-coda-export (via kledghq/kledg)',
      'a test seen through code search',
    ],
    signature: ['status', 'transaction id', 'total amount incl vat'],
    columns: {
      status: 'status',
      date: ['operation date utc', 'operation date local', 'settlement date utc'],
      bookingDate: ['settlement date utc', 'settlement date local'],
      label: 'counterparty name',
      counterparty: 'counterparty name',
      reference: 'reference',
      category: 'category',
      amount: 'total amount incl vat',
      currency: 'currency',
      id: 'transaction id',
    },
    dateOrder: 'YMD',
    decimalMark: '.',
    utc: true,
  },
  {
    id: 'qonto-fr',
    name: 'Qonto (French export)',
    vendor: 'Qonto',
    evidence: 'partial',
    sources: ['enobase/demo-coda-export src/parsers/qonto.ts (via kledghq/kledg)'],
    signature: ['statut', 'identifiant de transaction', 'montant total ttc'],
    columns: {
      status: 'statut',
      date: ['date de l operation utc', 'date de la valeur utc'],
      bookingDate: 'date de la valeur utc',
      label: 'nom de la contrepartie',
      counterparty: 'nom de la contrepartie',
      reference: 'reference',
      amount: 'montant total ttc',
      currency: 'devise',
      id: 'identifiant de transaction',
    },
    dateOrder: 'DMY',
    decimalMark: ',',
    utc: true,
  },
  {
    id: 'revolut',
    name: 'Revolut',
    vendor: 'Revolut',
    evidence: 'checked',
    sources: ['many open-source Revolut importers and tests seen through code search (English and French headers)'],
    signature: ['type', 'started date', 'completed date', 'description', 'amount', 'fee', 'currency', 'state'],
    columns: {
      date: 'started date',
      label: 'description',
      amount: 'amount',
      fee: 'fee',
      currency: 'currency',
      status: 'state',
      balance: 'balance',
    },
    dateOrder: 'YMD',
    decimalMark: '.',
  },
  {
    id: 'revolut-fr',
    name: 'Revolut (French export)',
    vendor: 'Revolut',
    evidence: 'checked',
    sources: ['many open-source Revolut importers and tests seen through code search (English and French headers)'],
    signature: ['type', 'date de debut', 'date de fin', 'description', 'montant', 'frais', 'devise', 'etat'],
    columns: {
      date: 'date de debut',
      label: 'description',
      amount: 'montant',
      fee: 'frais',
      currency: 'devise',
      status: 'etat',
      balance: 'solde',
    },
    dateOrder: 'YMD',
    decimalMark: '.',
  },
  {
    id: 'revolut-business',
    name: 'Revolut Business',
    vendor: 'Revolut',
    evidence: 'partial',
    sources: [
      'BananaAccounting/Universal Revolut import extension (via kledghq/kledg)',
      'a test seen through code search',
    ],
    signature: ['date started utc', 'date completed utc', 'id', 'description', 'amount', 'payment currency'],
    columns: {
      date: 'date started utc',
      bookingDate: 'date completed utc',
      id: 'id',
      status: 'state',
      label: 'description',
      reference: 'reference',
      counterparty: 'payer',
      amount: ['total amount', 'amount'],
      currency: 'payment currency',
      balance: 'balance',
    },
    dateOrder: 'YMD',
    decimalMark: '.',
    utc: true,
  },
  {
    id: 'n26',
    name: 'N26',
    vendor: 'N26',
    evidence: 'checked',
    sources: ['N26 importers and their fixtures seen through code search (beancount-n26, you-need-a-parser)'],
    signature: ['booking date', 'value date', 'partner name', 'payment reference', 'amount eur'],
    columns: {
      date: 'booking date',
      valueDate: 'value date',
      label: 'partner name',
      counterparty: 'partner name',
      reference: 'payment reference',
      amount: 'amount eur',
    },
    dateOrder: 'YMD',
    decimalMark: '.',
  },
  {
    id: 'n26-2019',
    name: 'N26 (until 2023)',
    vendor: 'N26',
    evidence: 'checked',
    sources: ['N26 importers and their fixtures seen through code search'],
    signature: ['date', 'payee', 'transaction type', 'payment reference', 'amount eur'],
    columns: {
      date: 'date',
      label: 'payee',
      counterparty: 'payee',
      reference: 'payment reference',
      category: 'category',
      amount: 'amount eur',
    },
    dateOrder: 'YMD',
    decimalMark: '.',
  },
  {
    id: 'n26-2019-de',
    name: 'N26 (until 2023, German)',
    vendor: 'N26',
    evidence: 'partial',
    sources: ['N26 importers and their fixtures seen through code search'],
    signature: ['datum', 'empfanger', 'transaktionstyp', 'verwendungszweck', 'betrag eur'],
    columns: {
      date: 'datum',
      label: 'empfanger',
      counterparty: 'empfanger',
      reference: 'verwendungszweck',
      category: 'kategorie',
      amount: 'betrag eur',
    },
    dateOrder: 'YMD',
    decimalMark: '.',
  },
  {
    id: 'n26-2019-fr',
    name: 'N26 (until 2023, French)',
    vendor: 'N26',
    evidence: 'partial',
    sources: ['a test seen through code search'],
    signature: ['date', 'beneficiaire', 'type de transaction', 'montant eur'],
    columns: { date: 'date', label: 'beneficiaire', counterparty: 'beneficiaire', amount: 'montant eur' },
    dateOrder: 'YMD',
    decimalMark: '.',
  },
  {
    id: 'ing-de',
    name: 'ING (Germany)',
    vendor: 'ING',
    evidence: 'checked',
    sources: ['several ING-DiBa importers, their READMEs and tests seen through code search'],
    signature: ['buchung', 'auftraggeber empfanger', 'buchungstext', 'verwendungszweck', 'betrag'],
    columns: {
      date: 'buchung',
      valueDate: ['valuta', 'wertstellungsdatum'],
      label: 'auftraggeber empfanger',
      counterparty: 'auftraggeber empfanger',
      reference: 'verwendungszweck',
      category: 'kategorie',
      balance: 'saldo',
      amount: 'betrag',
    },
    dateOrder: 'DMY',
    decimalMark: ',',
  },
  {
    id: 'ing-nl',
    name: 'ING (Netherlands)',
    vendor: 'ING',
    evidence: 'partial',
    sources: ['an ING NL sample in an open-source design document (code search)'],
    signature: ['datum', 'naam omschrijving', 'rekening', 'tegenrekening', 'af bij', 'bedrag eur'],
    columns: {
      date: 'datum',
      label: 'naam omschrijving',
      account: 'rekening',
      direction: 'af bij',
      amount: 'bedrag eur',
      reference: 'mededelingen',
    },
    dateOrder: 'YMD',
    decimalMark: ',',
  },
];

/** The layout whose signature the header row carries, if any. */
export function layoutOf(normalizedHeader: readonly string[]): BankCsvLayout | undefined {
  const names = new Set(normalizedHeader);
  for (const layout of BANK_CSV_LAYOUTS) {
    if (layout.exact) {
      if (
        normalizedHeader.length === layout.signature.length &&
        layout.signature.every((name, i) => normalizedHeader[i] === name)
      ) {
        return layout;
      }
    } else if (layout.signature.every((name) => names.has(name))) {
      return layout;
    }
  }
  return undefined;
}

/** The column of each role a layout names, resolved against this header (first present name). */
export function layoutColumns(
  layout: BankCsvLayout,
  normalizedHeader: readonly string[],
): Partial<Record<BankCsvRole, number>> {
  const columns: Partial<Record<BankCsvRole, number>> = {};
  for (const [role, names] of Object.entries(layout.columns) as [BankCsvRole, ColumnName][]) {
    for (const name of typeof names === 'string' ? [names] : names) {
      const index = normalizedHeader.indexOf(name);
      if (index >= 0) {
        columns[role] = index;
        break;
      }
    }
  }
  return columns;
}
