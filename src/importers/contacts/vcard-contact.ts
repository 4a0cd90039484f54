/**
 * One vCard (2.1, 3.0 or 4.0; its content lines collected by the importer) made into a `contact`.
 * Types come from TYPE parameters, bare 2.1 parameters (`TEL;CELL;HOME`) or, for grouped
 * properties (`item1.TEL` + `item1.X-ABLabel`), from Apple's and Google's labels. Phone numbers
 * are written in E.164; numbers that cannot be are kept under `extra.otherPhones`.
 */
import { importError } from '../import-error.js';
import type { ContentLine } from '../calendar/content-line.js';
import { paramUpper, typesOf } from '../calendar/content-line.js';
import { cut, emailFrom, fitText, normalizeUri } from '../calendar/field-values.js';
import { oneLine, splitEscaped, unescapeText } from '../calendar/text-values.js';
import { parseBirthday } from './birthday.js';
import type { CountryMatcher } from './country-codes.js';
import { toE164, type DialPlan } from './phone-number.js';

export interface VCard {
  n: number;
  props: ContentLine[];
}

export interface ContactEnv {
  file: string;
  now: number;
  dialPlan: DialPlan | undefined;
  countries: CountryMatcher;
  warn(line: number, message: string): void;
}

export interface BuiltContact {
  data: Record<string, unknown>;
  uid: string | undefined;
  /** For the fingerprint of cards without UID: the first e-mail address, else the first phone number. */
  firstContact: string | undefined;
}

type Kind = 'home' | 'work' | 'other';
type PhoneKind = Kind | 'mobile' | 'fax';

/** Google's system groups, which are not the person's labels. */
const GOOGLE_GROUPS = new Set(['mycontacts', 'starred']);

/** Apple's and Google's built-in labels (`_$!<Mobile>!$_`); any other label is the person's own: `other`. */
function labelKind(label: string | undefined): PhoneKind | undefined {
  if (label === undefined) return undefined;
  const m = /^_\$!<(.*)>!\$_$/.exec(label.trim());
  const name = (m ? m[1]! : label).trim().toLowerCase();
  if (!name) return undefined;
  if (name.includes('fax')) return 'fax';
  if (name === 'mobile' || name === 'iphone' || name === 'cell') return 'mobile';
  if (name === 'home') return 'home';
  if (name === 'work') return 'work';
  return 'other';
}

function phoneKind(types: Set<string>): PhoneKind | undefined {
  if (types.has('FAX')) return 'fax';
  if (types.has('CELL') || types.has('MOBILE') || types.has('IPHONE')) return 'mobile';
  if (types.has('WORK')) return 'work';
  if (types.has('HOME')) return 'home';
  if (types.has('OTHER')) return 'other';
  return undefined;
}

function placeKind(types: Set<string>, label: string | undefined): Kind | undefined {
  if (types.has('WORK')) return 'work';
  if (types.has('HOME')) return 'home';
  if (types.has('OTHER')) return 'other';
  const fromLabel = labelKind(label);
  if (fromLabel === 'home' || fromLabel === 'work') return fromLabel;
  return fromLabel === undefined ? undefined : 'other';
}

/** Preferred: TYPE=PREF (2.1, 3.0) or PREF=1 (4.0). */
function isPreferred(line: ContentLine, types: Set<string>): boolean {
  return types.has('PREF') || line.params.get('PREF')?.[0]?.trim() === '1';
}

/** E-mails or phones: each kept once (by key), at most `max`, the first preferred one marked primary. */
function createTypedList(max: number) {
  const items: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  let primary = false;
  return {
    items,
    add(key: string, entry: Record<string, unknown>, type: string | undefined, preferred: boolean): void {
      if (seen.has(key) || items.length >= max) return;
      seen.add(key);
      if (type) entry.type = type;
      if (preferred && !primary) {
        entry.primary = true;
        primary = true;
      }
      items.push(entry);
    },
  };
}

export function buildContact(card: VCard, env: ContactEnv): BuiltContact | undefined {
  const version = card.props.find((p) => p.name === 'VERSION')?.value.trim() ?? '3.0';
  // vCard 2.1 has no backslash escapes but `\;` in structured values.
  // Quoted-printable `=0D=0A` line breaks become plain newlines.
  const text = (value: string) =>
    (version === '2.1' ? value.replace(/\\;/g, ';') : unescapeText(value)).replace(/\r\n?/g, '\n');
  const parts = (line: ContentLine) => splitEscaped(line.value, ';').map(text);
  const one = (name: string) => card.props.find((p) => p.name === name);
  const all = (name: string) => card.props.filter((p) => p.name === name);
  const labels = new Map<string, string>();
  const abCountries = new Map<string, string>();
  for (const p of card.props) {
    if (!p.group) continue;
    if (p.name === 'X-ABLABEL') labels.set(p.group, text(p.value));
    else if (p.name === 'X-ABADR') abCountries.set(p.group, p.value.trim());
  }
  const labelOf = (line: ContentLine) => (line.group ? labels.get(line.group) : undefined);

  const kind = (one('KIND') ?? one('X-ADDRESSBOOKSERVER-KIND'))?.value.trim().toLowerCase();
  const fnLine = one('FN');
  if (kind === 'group') {
    env.warn(
      card.n,
      `the card "${cut(oneLine(text(fnLine?.value ?? '')), 60)}" is a group, not a contact: it is skipped`,
    );
    return undefined;
  }

  const data: Record<string, unknown> = {};
  const extra: Record<string, unknown> = {};

  const uidLine = one('UID');
  const uid = uidLine ? oneLine(text(uidLine.value)) || undefined : undefined;
  if (uid !== undefined) {
    if (uid.length <= 255) data.uid = uid;
    else extra.uid = uid;
  }

  const nLine = one('N');
  const name: Record<string, string> = {};
  if (nLine) {
    const [family, given, additional, prefix, suffix] = parts(nLine).map((p) => oneLine(p.replace(/,/g, ' ')));
    const put = (key: string, value: string | undefined, max: number) => {
      if (value) name[key] = cut(value, max);
    };
    put('given', given, 200);
    put('family', family, 200);
    put('additional', additional, 200);
    put('prefix', prefix, 50);
    put('suffix', suffix, 50);
  }

  const orgLine = one('ORG');
  const organisation = orgLine ? parts(orgLine).map(oneLine).filter(Boolean).join(', ') : '';
  const nicknameLine = one('NICKNAME');
  const nickname = nicknameLine ? oneLine(text(splitEscaped(nicknameLine.value, ',')[0] ?? '')) : '';

  const emails = createTypedList(20);
  for (const line of all('EMAIL')) {
    const address = emailFrom(text(line.value));
    if (!address) {
      if (line.value.trim())
        env.warn(line.n, `"${cut(line.value.trim(), 60)}" is not an e-mail address: it is skipped`);
      continue;
    }
    const types = typesOf(line);
    emails.add(address.toLowerCase(), { address }, placeKind(types, labelOf(line)), isPreferred(line, types));
  }

  const phones = createTypedList(20);
  const otherPhones: Record<string, unknown>[] = [];
  for (const line of all('TEL')) {
    const raw = oneLine(text(line.value));
    if (!raw) continue;
    const types = typesOf(line);
    const type = phoneKind(types) ?? labelKind(labelOf(line));
    const number = toE164(raw, env.dialPlan);
    if (!number) {
      env.warn(
        line.n,
        `the phone number "${cut(raw, 40)}" cannot be written in international form: it is kept under extra.otherPhones`,
      );
      if (otherPhones.length < 20) otherPhones.push(type ? { value: cut(raw, 100), type } : { value: cut(raw, 100) });
      continue;
    }
    phones.add(number, { number }, type, isPreferred(line, types));
  }

  const addresses: Record<string, unknown>[] = [];
  const unknownCountries: string[] = [];
  for (const line of all('ADR')) {
    const [poBox, extended, street, city, region, postalCode, country] = parts(line).map((p) => p.trim());
    const address: Record<string, unknown> = {};
    const type = placeKind(typesOf(line), labelOf(line));
    if (type) address.type = type;
    const streetLines = [street, extended, poBox].filter((s): s is string => Boolean(s)).join('\n');
    if (streetLines) address.street = fitText(streetLines, 300, 'the street of an address', line.n, env.warn);
    if (postalCode) address.postalCode = cut(oneLine(postalCode), 16);
    if (city) address.city = cut(oneLine(city), 100);
    if (region) address.region = cut(oneLine(region), 100);
    const code =
      (country ? env.countries.code(country) : undefined) ??
      (line.group ? env.countries.code(abCountries.get(line.group) ?? '') : undefined);
    if (code) address.country = code;
    else if (country && unknownCountries.length < 10) unknownCountries.push(cut(oneLine(country), 100));
    const filled = Object.keys(address).filter((k) => k !== 'type');
    if (filled.length > 0 && addresses.length < 10) addresses.push(address);
  }

  let birthdayDate: string | undefined;
  const bdayLine = one('BDAY');
  if (bdayLine && bdayLine.value.trim()) {
    const omitYear = bdayLine.params.has('X-APPLE-OMIT-YEAR');
    const birthday =
      paramUpper(bdayLine, 'VALUE') === 'TEXT'
        ? ({ ok: false, kind: 'text' } as const)
        : parseBirthday(bdayLine.value, omitYear, new Date(env.now).getUTCFullYear());
    if (birthday.ok) birthdayDate = birthday.date;
    else if (birthday.kind === 'invalid') throw importError(env.file, `BDAY: ${birthday.reason}`, bdayLine.n);
    else env.warn(bdayLine.n, `the birthday "${cut(bdayLine.value.trim(), 40)}" is not a date: it is ignored`);
  }

  const urls = new Set<string>();
  for (const line of all('URL')) {
    const url = normalizeUri(text(line.value));
    if (url) {
      if (urls.size < 10) urls.add(url);
    } else if (line.value.trim()) {
      env.warn(line.n, `"${cut(line.value.trim(), 60)}" is not a web address: it is skipped`);
    }
  }

  const groups = new Set<string>();
  let favourite = false;
  for (const line of all('CATEGORIES')) {
    for (const part of splitEscaped(line.value, ',')) {
      const group = oneLine(text(part));
      if (!group) continue;
      if (group.toLowerCase() === 'starred') favourite = true;
      if (GOOGLE_GROUPS.has(group.toLowerCase())) continue;
      if (groups.size < 50) groups.add(cut(group, 100));
    }
  }

  const fn = fnLine ? oneLine(text(fnLine.value)) : '';
  const fromName = [name.prefix, name.given, name.additional, name.family, name.suffix].filter(Boolean).join(' ');
  const firstEmail = emails.items[0]?.address as string | undefined;
  const firstPhone = phones.items[0]?.number as string | undefined;
  const displayName = fn || fromName || organisation || nickname || firstEmail || firstPhone;
  if (!displayName) {
    env.warn(card.n, 'a card without any name, e-mail address or phone number is skipped');
    return undefined;
  }

  data.displayName = fitText(displayName, 300, 'the name (FN)', fnLine?.n ?? card.n, env.warn);
  if (Object.keys(name).length > 0) data.name = name;
  if (nickname) data.nickname = cut(nickname, 200);
  if (organisation) data.organisation = cut(organisation, 300);
  const titleLine = one('TITLE') ?? one('ROLE');
  const jobTitle = titleLine ? oneLine(text(titleLine.value)) : '';
  if (jobTitle) data.jobTitle = cut(jobTitle, 200);
  if (emails.items.length > 0) data.emails = emails.items;
  if (phones.items.length > 0) data.phones = phones.items;
  if (addresses.length > 0) data.addresses = addresses;
  if (birthdayDate) data.birthday = birthdayDate;
  if (urls.size > 0) data.urls = [...urls];
  if (groups.size > 0) data.groups = [...groups];
  if (favourite) data.favourite = true;
  const notes = all('NOTE')
    .map((line) => text(line.value).trim())
    .filter(Boolean);
  if (notes.length > 0) data.note = fitText(notes.join('\n\n'), 5000, 'NOTE', one('NOTE')!.n, env.warn);
  if (otherPhones.length > 0) extra.otherPhones = otherPhones;
  if (unknownCountries.length > 0) extra.unknownCountries = unknownCountries;
  if (Object.keys(extra).length > 0) data.extra = extra;
  return { data, uid, firstContact: firstEmail?.toLowerCase() ?? firstPhone };
}
