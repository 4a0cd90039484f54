/**
 * Cozy documents → catalog documents (docs/leaving.md has the table). Each mapper answers the
 * catalog document, or a reason it cannot, in which case the document is kept as a `raw.record`
 * (never dropped). Field names are those of cozy-doctypes (`docs/io.cozy.bank.md`, `io.cozy.bills.md`,
 * `io.cozy.contacts.md`, `io.cozy.calendar.md`).
 */
import { importedDocumentId } from '../../importers/import-service.js';
import { createCountryMatcher } from '../../importers/contacts/country-codes.js';
import { dialPlanFor, toE164 } from '../../importers/contacts/phone-number.js';

export const RAW_DOCTYPE = 'raw.record';
export const COZY_SOURCE = 'cozy';

/** Documents of the old instance's own bookkeeping: not the person's data, and meaningless (or secret) elsewhere. */
export const SKIPPED_DOCTYPES: ReadonlyMap<string, string> = new Map([
  ['io.cozy.sessions', 'the old Cozy’s login sessions'],
  ['io.cozy.sessions.logins', 'the old Cozy’s login history'],
  ['io.cozy.exports', 'the old Cozy’s export jobs'],
  ['io.cozy.oauth.access_codes', 'the old Cozy’s OAuth codes'],
]);

export interface MappingContext {
  timeZone: string;
  /** Cozy bank account `_id` → the catalog `accountId` its operations are filed under. */
  accounts: ReadonlyMap<string, string>;
  /** Cozy file `_id` → the Foyer file id it is imported as (files in the archive only). */
  files: ReadonlyMap<string, string>;
  /** Something dropped from a document that is otherwise mapped (a phone that is no number...). */
  warn(message: string): void;
}

export interface CatalogDocument {
  doctype: string;
  key: string;
  data: Record<string, unknown>;
}

export type Mapped = CatalogDocument | { unmapped: string };

type Doc = Record<string, unknown>;
type Mapper = (doc: Doc, ctx: MappingContext) => Record<string, unknown> | string;

const MAPPERS: ReadonlyMap<string, { doctype: string; map: Mapper }> = new Map([
  ['io.cozy.bank.accounts', { doctype: 'bank.account', map: bankAccount }],
  ['io.cozy.bank.operations', { doctype: 'bank.transaction', map: bankTransaction }],
  ['io.cozy.bills', { doctype: 'bill', map: bill }],
  ['io.cozy.contacts', { doctype: 'contact', map: contact }],
  ['io.cozy.calendar.events', { doctype: 'calendar.event', map: calendarEvent }],
  ['io.cozy.calendar', { doctype: 'calendar.event', map: calendarEvent }],
]);

/** The catalog doctypes the mapping produces (and `raw.record`). */
export const MAPPED_DOCTYPES: readonly string[] = [
  ...new Set([...MAPPERS.values()].map((m) => m.doctype)),
  RAW_DOCTYPE,
];

/** The natural key of a Cozy document: its `_id`, the same in every export of the same Cozy. */
export const cozyKey = (id: string) => `${COZY_SOURCE}:${id}`;

/** The Foyer file id of a Cozy file: derived from its `_id`, so a second import finds it. */
export const cozyFileId = (id: string) => importedDocumentId('foyer.file', cozyKey(id));

export function mapCozyDocument(cozyDoctype: string, id: string, doc: Doc, ctx: MappingContext): Mapped {
  const mapper = MAPPERS.get(cozyDoctype);
  if (!mapper) return { unmapped: `no catalog doctype for ${cozyDoctype}` };
  const data = mapper.map(doc, ctx);
  if (typeof data === 'string') return { unmapped: data };
  // The Cozy document itself rides along (without _id and _rev): fields no mapping reads
  // (categories, a connector's ids, metadata) are kept, not dropped.
  const { _id: _ignoredId, _rev: _ignoredRev, ...document } = doc;
  return {
    doctype: mapper.doctype,
    key: cozyKey(id),
    data: { ...data, extra: { cozy: { doctype: cozyDoctype, id, document } } },
  };
}

/** The document kept whole: `raw.record`, keyed by its Cozy doctype and id. */
export function rawRecord(cozyDoctype: string, id: string, doc: Doc): CatalogDocument {
  const { _rev: _ignored, ...data } = doc;
  return {
    doctype: RAW_DOCTYPE,
    key: `${COZY_SOURCE}:${cozyDoctype}:${id}`,
    data: { source: COZY_SOURCE, sourceDoctype: cozyDoctype, sourceId: id, data },
  };
}

// --- values ----------------------------------------------------------------------------------

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Cozy dates: ISO 8601, `2017-09-22 00:00:00+01:00`, or Date.toString() text; as a UTC instant. */
export function cozyInstant(v: unknown): string | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const s = typeof v === 'string' ? v.trim().replace(/^(\d{4}-\d{2}-\d{2}) (?=\d)/, '$1T') : v;
  const ms = typeof s === 'string' ? Date.parse(s) : s;
  if (!Number.isFinite(ms) || ms < Date.UTC(1900, 0, 1) || ms > Date.UTC(2200, 0, 1)) return undefined;
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** The local day of a Cozy date in the space's time zone (a bill dated 2018-02-07T23:00Z is Paris's 8th). */
export function cozyDay(v: unknown, timeZone: string): string | undefined {
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v.trim())) return v.trim();
  const instant = cozyInstant(v);
  if (!instant) return undefined;
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(instant),
  );
}

const currency = (v: unknown): string => {
  const c = text(v)?.toUpperCase();
  return c && /^[A-Z]{3}$/.test(c) ? c : 'EUR';
};

/** `io.cozy.bills:<id>` or `io.cozy.files:<id>` or a bare id → the id. */
const refId = (v: unknown): string | undefined => {
  const s = text(v);
  return s?.includes(':') ? s.slice(s.lastIndexOf(':') + 1) : s;
};

const definedOnly = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

// --- banking ---------------------------------------------------------------------------------

const ACCOUNT_TYPES: [RegExp, string][] = [
  [/^(checkings?|bank|current|courant)$/i, 'checking'],
  [/^(savings?|livret)$/i, 'savings'],
  [/^(credit ?card|card)$/i, 'card'],
  [/^(loan|liability|mortgage)$/i, 'loan'],
  [/^(life ?insurance)$/i, 'life_insurance'],
  [/^(market|pea|asset|securities|article83)$/i, 'securities'],
];

/** The `accountId` of a Cozy bank account: its IBAN, else its number, else its Cozy id. */
export function cozyAccountId(doc: Doc, id: string): string {
  const iban = normalisedIban(doc.iban);
  return iban ?? text(doc.number) ?? cozyKey(id);
}

function normalisedIban(v: unknown): string | undefined {
  const s = text(v)?.replace(/\s+/g, '').toUpperCase();
  return s && /^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/.test(s) ? s : undefined;
}

function bankAccount(doc: Doc): Record<string, unknown> | string {
  const id = text(doc._id) ?? '';
  const label = text(doc.label) ?? text(doc.shortLabel) ?? text(doc.number);
  if (!label) return 'a bank account without a label or number';
  const type = text(doc.type) ?? '';
  return definedOnly({
    accountId: cozyAccountId(doc, id),
    vendor: text(doc.institutionLabel) ?? 'unknown',
    label,
    type: ACCOUNT_TYPES.find(([re]) => re.test(type))?.[1] ?? 'other',
    currency: currency(doc.currency),
    balance: num(doc.balance),
    iban: normalisedIban(doc.iban),
  });
}

const OPERATION_TYPES: Record<string, string> = {
  'credit card': 'card',
  'debit card': 'card',
  cash: 'withdrawal',
  check: 'check',
  transfer: 'transfer',
  'internal transfer': 'transfer',
  deposit: 'deposit',
  'financial fee': 'fee',
  'direct debit': 'direct_debit',
  'loan payment': 'loan_payment',
};

function bankTransaction(doc: Doc, ctx: MappingContext): Record<string, unknown> | string {
  const date = cozyInstant(doc.date);
  if (!date) return `an operation whose date (${JSON.stringify(doc.date)}) is not a date`;
  const amount = num(doc.amount);
  if (amount === undefined) return 'an operation without an amount';
  const account = refId(doc.account);
  const label = text(doc.label) ?? text(doc.originalBankLabel) ?? '(sans libellé)';
  const bills = Array.isArray(doc.bills) ? doc.bills.map(refId).filter((b): b is string => b !== undefined) : [];
  const valueDate = doc.dateOperation ? cozyDay(doc.dateOperation, ctx.timeZone) : undefined;
  return definedOnly({
    date,
    label,
    amount,
    currency: currency(doc.currency),
    accountId: account ? (ctx.accounts.get(account) ?? cozyKey(account)) : 'default',
    type: OPERATION_TYPES[text(doc.type)?.toLowerCase() ?? ''],
    valueDate,
    originalLabel: text(doc.originalBankLabel),
    billIds: bills.length > 0 ? bills.map((b) => importedDocumentId('bill', cozyKey(b))) : undefined,
  });
}

// --- bills -----------------------------------------------------------------------------------

const VENDOR_CATEGORIES: Record<string, string> = {
  health_costs: 'health',
  health: 'health',
  phone: 'telecom',
  internet: 'telecom',
  telecom: 'telecom',
  energy: 'energy',
  insurance: 'insurance',
  water: 'water',
  bank: 'bank',
};

function bill(doc: Doc, ctx: MappingContext): Record<string, unknown> | string {
  // A pay slip is an income statement, not a bill: no catalog doctype holds it yet.
  if (doc.type === 'pay') return 'a pay slip (no catalog doctype for pay slips)';
  const issueDate = cozyDay(doc.date, ctx.timeZone);
  if (!issueDate) return `a bill whose date (${JSON.stringify(doc.date)}) is not a date`;
  const amount = num(doc.amount);
  if (amount === undefined) return 'a bill without an amount';
  const file = refId(doc.invoice) ?? refId(doc.document);
  return definedOnly({
    vendor: text(doc.vendor) ?? 'unknown',
    vendorCategory: VENDOR_CATEGORIES[text(doc.type) ?? ''] ?? 'other',
    type: doc.isRefund === true ? 'credit_note' : 'invoice',
    label: text(doc.subtype),
    number: text(doc.vendorRef),
    issueDate,
    totalAmount: amount,
    currency: currency(doc.currency),
    fileId: file ? ctx.files.get(file) : undefined,
  });
}

// --- contacts --------------------------------------------------------------------------------

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const kindOf = <T extends string>(v: unknown, allowed: readonly T[], fallback: T): T => {
  const s = text(v)?.toLowerCase();
  return allowed.find((a) => a === s) ?? fallback;
};
const list = (v: unknown): Doc[] =>
  Array.isArray(v) ? v.filter((x): x is Doc => typeof x === 'object' && x !== null) : [];

function contact(doc: Doc, ctx: MappingContext): Record<string, unknown> | string {
  const n = typeof doc.name === 'object' && doc.name !== null ? (doc.name as Doc) : {};
  const name = definedOnly({
    given: text(n.givenName),
    family: text(n.familyName),
    additional: text(n.additionalName),
    prefix: text(n.namePrefix),
    suffix: text(n.nameSuffix),
  });
  const emails = list(doc.email).flatMap((e) => {
    const address = text(e.address);
    if (!address || !EMAIL.test(address)) {
      ctx.warn(`a contact's e-mail "${address ?? ''}" is not an address: left out`);
      return [];
    }
    return [
      definedOnly({
        address,
        type: kindOf(e.type, ['home', 'work'], 'other'),
        primary: e.primary === true || undefined,
      }),
    ];
  });
  const plan = dialPlanFor(ctx.timeZone);
  const phones = list(doc.phone).flatMap((p) => {
    const number = text(p.number) ? toE164(text(p.number)!, plan) : undefined;
    if (!number) {
      ctx.warn(`a contact's phone "${text(p.number) ?? ''}" is not a number Foyer can read: left out`);
      return [];
    }
    const type =
      text(p.type)?.toLowerCase() === 'cell' ? 'mobile' : kindOf(p.type, ['mobile', 'home', 'work', 'fax'], 'other');
    return [definedOnly({ number, type, primary: p.primary === true || undefined })];
  });
  const countries = createCountryMatcher();
  const addresses = list(doc.address).flatMap((a) => {
    const street =
      text(a.street) ?? (text(a.street) === undefined && !text(a.city) ? text(a.formattedAddress) : undefined);
    const country = text(a.country) ? countries.code(text(a.country)!) : undefined;
    const address = definedOnly({
      type: kindOf(a.type, ['home', 'work'], 'other'),
      street,
      postalCode: text(a.postcode),
      city: text(a.city),
      region: text(a.region),
      country,
    });
    return Object.keys(address).length > 1 ? [address] : [];
  });
  const displayName =
    text(doc.displayName) ??
    text(doc.fullname) ??
    ([name.given, name.family].filter(Boolean).join(' ') || undefined) ??
    text(doc.company) ??
    (emails[0]?.address as string | undefined) ??
    (phones[0]?.number as string | undefined);
  if (!displayName) return 'a contact without a name, an e-mail or a phone';
  const birthday = text(doc.birthday);
  return definedOnly({
    displayName,
    name: Object.keys(name).length > 0 ? name : undefined,
    organisation: text(doc.company),
    jobTitle: text(doc.jobTitle),
    emails: emails.length > 0 ? emails.slice(0, 20) : undefined,
    phones: phones.length > 0 ? phones.slice(0, 20) : undefined,
    addresses: addresses.length > 0 ? addresses.slice(0, 10) : undefined,
    birthday: birthday && /^\d{4}-\d{2}-\d{2}$/.test(birthday) ? birthday : undefined,
    note: text(doc.note),
  });
}

// --- calendar --------------------------------------------------------------------------------

function calendarEvent(doc: Doc): Record<string, unknown> | string {
  const title = text(doc.label) ?? text(doc.summary) ?? text(doc.title);
  if (!title) return 'an event without a label';
  const start = cozyInstant(doc.start);
  if (!start) return `an event whose start (${JSON.stringify(doc.start)}) is not a date`;
  const status = text(doc.status)?.toLowerCase();
  const timeZone = text(doc.timezone);
  return definedOnly({
    title,
    start,
    end: cozyInstant(doc.end),
    timeZone: timeZone && /^[A-Za-z]+(\/[A-Za-z0-9_+-]+)*$/.test(timeZone) ? timeZone : undefined,
    location: text(doc.location),
    description: text(doc.description),
    status: status === 'confirmed' || status === 'cancelled' || status === 'tentative' ? status : undefined,
  });
}
