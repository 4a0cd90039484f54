/**
 * The space's data in the formats other software already reads (docs/archive-format.md, "Domain
 * formats"): bank transactions as CSV and OFX 2, calendar events as iCalendar, contacts as vCard
 * 4, places as GeoJSON, consumption series as CSV. Each is written as a stream of text from pages
 * of the store; each is in the archive under `formats/` and served alone on demand.
 */
import { localDay } from '../core/time/time-zone.js';
import type { PortabilityDeps } from './portability-deps.js';
import { ALL_TIME, documentPages } from './space-pages.js';

type Deps = Pick<PortabilityDeps, 'store' | 'catalog' | 'timeZoneOf'>;
type Doc = Record<string, unknown>;

export interface DomainFormat {
  /** Name in the archive (`formats/<file>`) and on the route. */
  file: string;
  /** The doctype read (the gate's). */
  doctype: string;
  mediaType: string;
  title: string;
  write(deps: Deps, space: string): AsyncIterable<string>;
}

/** Consumption series and the unit of their main value. */
const CONSUMPTION = ['energy.electricity.daily', 'energy.gas.daily', 'water.daily', 'energy.electricity.load-curve'];

/** Pages of a doctype's documents, parsed. Writers answer a page's text at once (one step per page). */
async function* pagesOf(deps: Deps, space: string, doctype: string): AsyncIterable<Doc[]> {
  for await (const page of documentPages(deps, space, doctype)) yield page.map((doc) => JSON.parse(doc.data!) as Doc);
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

/** RFC 4180: quoted when it holds a comma, a quote or a line break. */
export function csvCell(value: unknown): string {
  const s = str(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const csvRow = (cells: unknown[]) => cells.map(csvCell).join(',') + '\r\n';

async function* bankCsv(deps: Deps, space: string): AsyncIterable<string> {
  const tz = await deps.timeZoneOf(space);
  let first = true;
  for await (const page of pagesOf(deps, space, 'bank.transaction')) {
    let text = first ? csvRow(['Date', 'Description', 'Amount', 'Currency', 'Account', 'Category', 'Reference']) : '';
    first = false;
    for (const t of page) {
      text += csvRow([
        localDay(Date.parse(str(t.date)), tz),
        t.label,
        t.amount,
        t.currency,
        t.accountId,
        t.category,
        t.reference,
      ]);
    }
    yield text;
  }
}

const XML_SPECIAL = /[&<>]/;
const xml = (value: unknown) => {
  const s = str(value);
  return XML_SPECIAL.test(s) ? s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;')) : s;
};

/** OFX date-time in UTC: `YYYYMMDDHHMMSS.XXX[0:GMT]`. */
function ofxDate(iso: string): string {
  // Most dates are already UTC instants: rearranged as text, without a Date (a million per export).
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d{3})?Z$/.exec(iso);
  if (m) return `${m[1]}${m[2]}${m[3]}${m[4]}${m[5]}${m[6]}${m[7] ?? '.000'}[0:GMT]`;
  const d = new Date(Date.parse(iso));
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}` +
    `${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}[0:GMT]`
  );
}

const OFX_TYPES: Record<string, string> = {
  card: 'POS',
  direct_debit: 'DIRECTDEBIT',
  transfer: 'XFER',
  check: 'CHECK',
  cash_withdrawal: 'ATM',
  fee: 'FEE',
  interest: 'INT',
};

/** Lines of transactions held per account before they are written out as statements. */
const OFX_HOLD_BYTES = 8 * 1024 * 1024;

/**
 * OFX 2.1.1 (XML): one statement per account. One pass over the transactions (in id order);
 * lines are held per account and written as one statement each when the pass ends, or, past
 * `OFX_HOLD_BYTES`, as a statement per account so far (a large space gives a few statements per
 * account, each with its date span, as a bank's multi-period download does): memory stays bounded.
 */
async function* bankOfx(deps: Deps, space: string): AsyncIterable<string> {
  const accounts = new Map<string, Doc>();
  for await (const page of pagesOf(deps, space, 'bank.account'))
    for (const a of page) accounts.set(str(a.accountId), a);
  const held = new Map<string, { lines: string[]; from: string; to: string }>();
  let heldBytes = 0;
  let started = false;
  let n = 0;
  let newest = '';
  const statements = (final: boolean): string => {
    let text = '';
    for (const accountId of [...held.keys()].sort()) {
      const { lines, from, to } = held.get(accountId)!;
      const account = accounts.get(accountId);
      text +=
        `<STMTTRNRS><TRNUID>${++n}</TRNUID><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS><STMTRS>` +
        `<CURDEF>${xml(str(account?.currency) || 'EUR')}</CURDEF><BANKACCTFROM><BANKID>${xml(str(account?.bic) || 'FOYER')}</BANKID>` +
        `<ACCTID>${xml(accountId)}</ACCTID><ACCTTYPE>${account?.type === 'savings' ? 'SAVINGS' : 'CHECKING'}</ACCTTYPE>` +
        `</BANKACCTFROM><BANKTRANLIST><DTSTART>${ofxDate(from)}</DTSTART><DTEND>${ofxDate(to)}</DTEND>\n` +
        lines.join('') +
        '</BANKTRANLIST>' +
        (final && typeof account?.balance === 'number'
          ? `<LEDGERBAL><BALAMT>${account.balance.toFixed(2)}</BALAMT>` +
            `<DTASOF>${ofxDate(str(account.balanceDate) || to)}</DTASOF></LEDGERBAL>`
          : '') +
        '</STMTRS></STMTTRNRS>\n';
    }
    held.clear();
    heldBytes = 0;
    return text;
  };
  for await (const docs of documentPages(deps, space, 'bank.transaction')) {
    for (const doc of docs) {
      const t = JSON.parse(doc.data!) as Doc;
      const date = str(t.date);
      const amount = typeof t.amount === 'number' ? t.amount : 0;
      const line =
        `<STMTTRN><TRNTYPE>${OFX_TYPES[str(t.type)] ?? (amount < 0 ? 'DEBIT' : 'CREDIT')}</TRNTYPE>` +
        `<DTPOSTED>${ofxDate(date)}</DTPOSTED><TRNAMT>${amount.toFixed(2)}</TRNAMT>` +
        `<FITID>${xml(doc.id)}</FITID><NAME>${xml(str(t.label).slice(0, 255))}</NAME>` +
        (t.reference ? `<REFNUM>${xml(t.reference)}</REFNUM>` : '') +
        '</STMTTRN>\n';
      const accountId = str(t.accountId);
      let h = held.get(accountId);
      if (!h) held.set(accountId, (h = { lines: [], from: date, to: date }));
      h.lines.push(line);
      if (date < h.from) h.from = date;
      if (date > h.to) h.to = date;
      if (date > newest) newest = date;
      heldBytes += line.length;
    }
    if (!started && held.size > 0) {
      started = true;
      // The server time is the newest transaction's seen so far: the same data gives the same file.
      yield (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' +
        '<?OFX OFXHEADER="200" VERSION="211" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>\n' +
        '<OFX>\n<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>' +
        `<DTSERVER>${ofxDate(newest)}</DTSERVER><LANGUAGE>FRA</LANGUAGE></SONRS></SIGNONMSGSRSV1>\n<BANKMSGSRSV1>\n`
      );
    }
    if (heldBytes > OFX_HOLD_BYTES) yield statements(false);
  }
  if (!started) return;
  yield statements(true) + '</BANKMSGSRSV1>\n</OFX>\n';
}

/** RFC 5545/6350 text escaping. */
const icsText = (s: unknown) =>
  str(s)
    .replace(/[\\;,]/g, (c) => `\\${c}`)
    .replace(/\r?\n/g, '\\n');

/** Folds a content line at 75 octets, never inside a UTF-8 sequence. */
export function foldLine(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line + '\r\n';
  const parts: string[] = [];
  let start = 0;
  let limit = 75;
  while (start < bytes.length) {
    let end = Math.min(bytes.length, start + limit);
    while (end < bytes.length && (bytes[end]! & 0xc0) === 0x80) end--;
    parts.push(bytes.subarray(start, end).toString('utf8'));
    start = end;
    limit = 74; // continuation lines start with a space
  }
  return parts.join('\r\n ') + '\r\n';
}

const icsInstant = (iso: string) =>
  new Date(Date.parse(iso))
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
const icsDay = (day: string) => day.replace(/-/g, '');

async function* calendarIcs(deps: Deps, space: string): AsyncIterable<string> {
  let first = true;
  for await (const page of pagesOf(deps, space, 'calendar.event'))
    for (const e of page) {
      if (first)
        yield 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Foyer//Archive export//EN\r\nCALSCALE:GREGORIAN\r\n';
      first = false;
      const lines = ['BEGIN:VEVENT'];
      const allDay = e.allDay === true;
      lines.push(`UID:${icsText(e.uid ?? `${str(e.start)}-${str(e.title)}@foyer`)}`);
      lines.push(`DTSTAMP:${icsInstant(str(e.start).length > 10 ? str(e.start) : `${str(e.start)}T00:00:00Z`)}`);
      lines.push(allDay ? `DTSTART;VALUE=DATE:${icsDay(str(e.start))}` : `DTSTART:${icsInstant(str(e.start))}`);
      if (e.end !== undefined) {
        lines.push(allDay ? `DTEND;VALUE=DATE:${icsDay(str(e.end))}` : `DTEND:${icsInstant(str(e.end))}`);
      }
      lines.push(`SUMMARY:${icsText(e.title)}`);
      if (e.location !== undefined) lines.push(`LOCATION:${icsText(e.location)}`);
      if (e.description !== undefined) lines.push(`DESCRIPTION:${icsText(e.description)}`);
      if (e.status !== undefined) lines.push(`STATUS:${str(e.status).toUpperCase()}`);
      if (e.recurrence !== undefined) lines.push(`RRULE:${str(e.recurrence)}`);
      if (Array.isArray(e.categories) && e.categories.length > 0) {
        lines.push(`CATEGORIES:${e.categories.map(icsText).join(',')}`);
      }
      if (e.busy === false) lines.push('TRANSP:TRANSPARENT');
      if (e.url !== undefined) lines.push(`URL:${str(e.url)}`);
      lines.push('END:VEVENT');
      yield lines.map(foldLine).join('');
    }
  if (!first) yield 'END:VCALENDAR\r\n';
}

const VCARD_PHONE: Record<string, string> = { mobile: 'cell', home: 'home', work: 'work', fax: 'fax' };

async function* contactsVcf(deps: Deps, space: string): AsyncIterable<string> {
  for await (const page of pagesOf(deps, space, 'contact'))
    for (const c of page) {
      const lines = ['BEGIN:VCARD', 'VERSION:4.0'];
      if (c.uid !== undefined) lines.push(`UID:${icsText(c.uid)}`);
      lines.push(`FN:${icsText(c.displayName)}`);
      const name = (c.name ?? {}) as Doc;
      if (c.name !== undefined) {
        lines.push(`N:${[name.family, name.given, name.additional, name.prefix, name.suffix].map(icsText).join(';')}`);
      }
      if (c.nickname !== undefined) lines.push(`NICKNAME:${icsText(c.nickname)}`);
      if (c.organisation !== undefined) lines.push(`ORG:${icsText(c.organisation)}`);
      if (c.jobTitle !== undefined) lines.push(`TITLE:${icsText(c.jobTitle)}`);
      for (const e of (c.emails ?? []) as Doc[]) {
        const params = [e.type ? `TYPE=${str(e.type)}` : '', e.primary ? 'PREF=1' : ''].filter(Boolean);
        lines.push(`EMAIL${params.map((p) => `;${p}`).join('')}:${str(e.address)}`);
      }
      for (const p of (c.phones ?? []) as Doc[]) {
        const type = VCARD_PHONE[str(p.type)];
        const params = [type ? `TYPE=${type}` : '', p.primary ? 'PREF=1' : '', 'VALUE=uri'].filter(Boolean);
        lines.push(`TEL${params.map((x) => `;${x}`).join('')}:tel:${str(p.number)}`);
      }
      for (const a of (c.addresses ?? []) as Doc[]) {
        const type = a.type && a.type !== 'other' ? `;TYPE=${str(a.type)}` : '';
        lines.push(`ADR${type}:;;${[a.street, a.city, a.region, a.postalCode, a.country].map(icsText).join(';')}`);
      }
      if (c.birthday !== undefined) lines.push(`BDAY:${str(c.birthday).replace(/-/g, '')}`);
      for (const u of (c.urls ?? []) as unknown[]) lines.push(`URL:${str(typeof u === 'object' ? (u as Doc).url : u)}`);
      if (Array.isArray(c.groups) && c.groups.length > 0) lines.push(`CATEGORIES:${c.groups.map(icsText).join(',')}`);
      if (c.note !== undefined) lines.push(`NOTE:${icsText(c.note)}`);
      lines.push('END:VCARD');
      yield lines.map(foldLine).join('');
    }
}

/** Visits as Point features (RFC 7946: longitude first), their other fields as properties. */
async function* placesGeoJson(deps: Deps, space: string): AsyncIterable<string> {
  let first = true;
  for await (const page of pagesOf(deps, space, 'location.visit'))
    for (const v of page) {
      const { lat, lon, ...rest } = v;
      // `time` (the visit's start) as GPS tools write it, so that point readers place the visit in time.
      const properties = { time: rest.start, ...rest };
      const feature = { type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties };
      yield (first ? '{"type":"FeatureCollection","features":[\n' : ',\n') + JSON.stringify(feature);
      first = false;
    }
  if (!first) yield '\n]}\n';
}

async function* consumptionCsv(deps: Deps, space: string): AsyncIterable<string> {
  let first = true;
  for (const name of CONSUMPTION) {
    const doctype = deps.catalog.get(name);
    const series = doctype?.series;
    if (!series || series.value === null) continue;
    let after: { t: number; stream: string } | undefined;
    for (;;) {
      const page = await deps.store.readPoints(space, name, ALL_TIME, 5000, after);
      let text = first && page.length > 0 ? csvRow(['doctype', 'meter', 'time', 'value', 'unit']) : '';
      if (page.length > 0) first = false;
      for (const point of page) {
        const data = JSON.parse(point.data) as Doc;
        text += csvRow([name, point.stream, data[series.time.field], data[series.value], series.unit]);
      }
      if (text) yield text;
      if (page.length < 5000) break;
      const last = page[page.length - 1]!;
      after = { t: last.t, stream: last.stream };
    }
  }
}

export const DOMAIN_FORMATS: readonly DomainFormat[] = [
  {
    file: 'bank-transactions.csv',
    doctype: 'bank.transaction',
    mediaType: 'text/csv; charset=utf-8',
    title: 'Bank transactions (CSV)',
    write: bankCsv,
  },
  {
    file: 'bank-transactions.ofx',
    doctype: 'bank.transaction',
    mediaType: 'application/x-ofx',
    title: 'Bank transactions (OFX 2.1.1)',
    write: bankOfx,
  },
  {
    file: 'calendar.ics',
    doctype: 'calendar.event',
    mediaType: 'text/calendar; charset=utf-8',
    title: 'Calendar (iCalendar)',
    write: calendarIcs,
  },
  {
    file: 'contacts.vcf',
    doctype: 'contact',
    mediaType: 'text/vcard; charset=utf-8',
    title: 'Contacts (vCard 4.0)',
    write: contactsVcf,
  },
  {
    file: 'places.geojson',
    doctype: 'location.visit',
    mediaType: 'application/geo+json',
    title: 'Places visited (GeoJSON)',
    write: placesGeoJson,
  },
  {
    file: 'consumption.csv',
    doctype: 'energy.electricity.daily',
    mediaType: 'text/csv; charset=utf-8',
    title: 'Energy and water consumption (CSV)',
    write: consumptionCsv,
  },
];

export function domainFormat(file: string): DomainFormat | undefined {
  return DOMAIN_FORMATS.find((f) => f.file === file);
}
