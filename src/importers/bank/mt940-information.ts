/**
 * The `:86:` field (information to the account owner) that follows a statement line, in the three
 * shapes banks write it:
 *
 * - German (DFÜ/DK): a business transaction code then `?NN` subfields: `166?00SEPA-GUTSCHRIFT
 *   ?20EREF+...?21SVWZ+Miete?30BIC?31IBAN?32Name`. `?00` is the booking text, `?20`-`?29` and
 *   `?60`-`?63` the purpose (with SEPA keywords EREF+, MREF+, CRED+, SVWZ+...), `?30` the other
 *   party's bank, `?31` its account, `?32`-`?33` its name. Some banks use another separator than
 *   `?` (`~`, `^`, `>`...): it is the character after the code.
 * - Dutch and French (`/TRTP/SEPA OVERBOEKING/IBAN/NL.../NAME/.../REMI/...`, ING's `/CNTP/`).
 * - Free text.
 *
 * Lines are at most 65 characters and banks wrap mid-word, so structured text is joined without
 * separators; free text gets a space where a line ended short.
 */
import { bankLabel, normalizeIban } from './bank-values.js';
import { meaningful } from './bank-statement-records.js';

export interface Information {
  label?: string;
  /** The bank's booking text (`?00`, `/TRTP/`): what kind of operation. */
  bookingText?: string;
  /** German business transaction code. */
  gvc?: string;
  name?: string;
  iban?: string;
  remittance?: string;
  reference?: string;
  creditorId?: string;
  mandate?: string;
}

const LINE_WIDTH = 65;
const TAG_WIDTH = ':86:'.length;
const SEGMENT_WIDTH = 27;
const SEPA_KEYWORDS = /(EREF|KREF|MREF|CRED|DEBT|SVWZ|ABWA|ABWE|IBAN|BIC|PURP|COAM|OAMT)\+/g;
const SLASH_CODES =
  'TRTP|IBAN|BIC|NAME|REMI|EREF|MARF|CSID|CNTP|ORDP|BENM|ULTC|ULTD|ULTB|PURP|RTRN|PREF|SVCL|ISDT|ADDR|CREF|SUM|COAM|OCMT|ATOS|ATOM|FX|ID';

export function parseInformation(lines: readonly string[]): Information {
  const joined = lines.join('');
  const german = /^\s*(\d{3})?([^A-Za-z0-9\s/])\d{2}/.exec(joined);
  if (german && countOf(joined, `${german[2]!}`) >= 2) return parseGerman(joined.trim(), german[2]!, german[1]);
  const slash = new RegExp(`/(${SLASH_CODES})/`, 'g');
  if (/^\s*\//.test(joined) && slash.test(joined)) return parseSlashCodes(joined.trim());
  // The first line's width counts its `:86:` tag: banks wrap the physical line.
  const full = (i: number) => lines[i]!.length + (i === 0 ? TAG_WIDTH : 0) >= LINE_WIDTH;
  const text = lines.reduce((all, line, i) => (i === 0 ? line : all + (full(i - 1) ? '' : ' ') + line), '');
  return { label: meaningful(text) };
}

function parseGerman(text: string, separator: string, gvc: string | undefined): Information {
  const fields = new Map<string, string[]>();
  const pattern = new RegExp(`${escapeRegExp(separator)}(\\d{2})`, 'g');
  const matches = [...text.matchAll(pattern)];
  matches.forEach((m, i) => {
    const start = m.index! + m[0].length;
    const end = matches[i + 1]?.index ?? text.length;
    const list = fields.get(m[1]!) ?? [];
    list.push(text.slice(start, end));
    fields.set(m[1]!, list);
  });
  const field = (...codes: string[]) => joinSegments(codes.flatMap((c) => fields.get(c) ?? []));
  const purposeCodes = [20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 60, 61, 62, 63].map(String);
  const purpose = field(...purposeCodes);
  const sepa = splitSepaKeywords(purpose);
  const name = meaningful(field('32', '33'));
  const iban = normalizeIban(field('31'));
  const bookingText = meaningful(field('00'));
  const remittance = meaningful([sepa.free, sepa.SVWZ].filter(Boolean).join(' '));
  return {
    label: bankLabel(name, remittance) ?? bookingText ?? meaningful(purpose),
    ...(bookingText ? { bookingText } : {}),
    ...(gvc ? { gvc } : {}),
    ...(name ? { name } : {}),
    ...(iban ? { iban } : {}),
    ...(remittance ? { remittance } : {}),
    ...optional('reference', meaningful(sepa.EREF) ?? meaningful(sepa.KREF)),
    ...optional('creditorId', meaningful(sepa.CRED)),
    ...optional('mandate', meaningful(sepa.MREF)),
  };
}

/** Purpose segments are 27 characters: a full one continues in the next, a short one ended a word. */
function joinSegments(segments: string[]): string {
  return segments.reduce(
    (all, s, i) => (i === 0 ? s : all + (segments[i - 1]!.length >= SEGMENT_WIDTH ? '' : ' ') + s),
    '',
  );
}

/** `EREF+123 SVWZ+Miete Maerz` as { EREF: '123', SVWZ: 'Miete Maerz' }; text before any keyword as `free`. */
function splitSepaKeywords(purpose: string): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  const matches = [...purpose.matchAll(SEPA_KEYWORDS)];
  out.free = purpose.slice(0, matches[0]?.index ?? purpose.length).trim() || undefined;
  matches.forEach((m, i) => {
    const end = matches[i + 1]?.index ?? purpose.length;
    out[m[1]!] ??= purpose.slice(m.index! + m[0].length, end).trim();
  });
  return out;
}

function parseSlashCodes(text: string): Information {
  const fields = new Map<string, string>();
  const matches = [...text.matchAll(new RegExp(`/(${SLASH_CODES})/`, 'g'))];
  matches.forEach((m, i) => {
    const end = matches[i + 1]?.index ?? text.length;
    if (!fields.has(m[1]!)) fields.set(m[1]!, text.slice(m.index! + m[0].length, end));
  });
  const get = (code: string) => meaningful(fields.get(code)?.replace(/\/+$/, ''));
  // ING: /CNTP/account/BIC/name/city/
  const counterparty = (fields.get('CNTP') ?? '').split('/');
  const name = get('NAME') ?? meaningful(counterparty[2]) ?? meaningful(get('ULTD')?.split('/')[0]);
  const iban = normalizeIban(get('IBAN') ?? counterparty[0] ?? '');
  const remi = fields.get('REMI') ?? '';
  const structured = /^STRD\/(?:CUR\/)?(.*)$/.exec(remi);
  const remittance = structured ? undefined : meaningful(remi.replace(/^USTD\/\/?/, '').replace(/\/+$/, ''));
  const reference = meaningful(structured?.[1]?.replace(/\/+$/, '')) ?? get('EREF');
  const bookingText = get('TRTP');
  return {
    label: bankLabel(name, remittance) ?? bookingText ?? reference,
    ...(bookingText ? { bookingText } : {}),
    ...(name ? { name } : {}),
    ...(iban ? { iban } : {}),
    ...(remittance ? { remittance } : {}),
    ...optional('reference', reference),
    ...optional('creditorId', get('CSID')),
    ...optional('mandate', get('MARF')),
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}

function countOf(text: string, separator: string): number {
  return text.split(separator).length - 1;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
