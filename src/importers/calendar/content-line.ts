/**
 * One content line `group.NAME;PARAM=a,"b;c":value` (RFC 5545 §3.1, RFC 6350 §3.3, vCard 2.1), read
 * from its bytes. The value is decoded here: quoted-printable or base64 first (`ENCODING`), then the
 * characters. Bytes that are valid UTF-8 are read as UTF-8 whatever a `CHARSET` parameter says (the
 * premise of the encoding detection: Latin-1 text almost never forms valid multi-byte UTF-8); other
 * bytes follow the declared `CHARSET`, else Windows-1252. Escapes (`\n`, `\,`) are left to the
 * caller, which knows the property's value type.
 */
import { encodingNamed } from '../source/detect-encoding.js';
import type { RawContentLine } from './content-lines.js';
import { valueColon } from './content-lines.js';

export interface ContentLine {
  n: number;
  /** vCard group (`item1` in `item1.TEL`), lower-cased; '' when none. */
  group: string;
  /** Upper-case property name. */
  name: string;
  /** Upper-case parameter names to their values (bare vCard 2.1 parameters go to TYPE or ENCODING). */
  params: Map<string, string[]>;
  value: string;
  skipped: boolean;
  truncated: boolean;
}

const NAME = /^(?:([A-Za-z0-9-]+)\.)?([A-Za-z0-9-]+)$/;
const BARE_ENCODINGS = new Set(['QUOTED-PRINTABLE', 'BASE64', 'B', '8BIT', '7BIT']);

const UTF8_STRICT = new TextDecoder('utf-8', { fatal: true });
const LATIN1 = new TextDecoder('latin1');

/** Windows-1252 characters of bytes 0x80-0x9F (undefined bytes stay as they are). */
const CP1252_HIGH = '€\x81‚ƒ„…†‡ˆ‰Š‹Œ\x8dŽ\x8f\x90‘’“”•–—˜™š›œ\x9džŸ';

/**
 * Windows-1252, written out: Node 20's TextDecoder('windows-1252') reads 0x80-0x9F as Latin-1
 * control characters, which would lose the € and the ’ of every Outlook export.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  return LATIN1.decode(bytes).replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

/** UTF-8 when the bytes are valid UTF-8, else the declared charset, else Windows-1252. */
export function decodeBytes(bytes: Uint8Array, declared?: string): string {
  let ascii = true;
  for (const b of bytes) {
    if (b >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return LATIN1.decode(bytes);
  try {
    return UTF8_STRICT.decode(bytes);
  } catch {
    const encoding = declared === undefined ? undefined : encodingNamed(declared);
    return encoding === 'utf-16le' || encoding === 'utf-16be'
      ? new TextDecoder(encoding).decode(bytes)
      : decodeWindows1252(bytes);
  }
}

/** Quoted-printable to bytes: `=XX` is a byte, a bad escape is kept as written. */
export function decodeQuotedPrintable(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  let o = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 61 && i + 2 < bytes.length) {
      const hi = hexValue(bytes[i + 1]!);
      const lo = hexValue(bytes[i + 2]!);
      if (hi >= 0 && lo >= 0) {
        out[o++] = hi * 16 + lo;
        i += 2;
        continue;
      }
    }
    // A trailing `=` is a soft break left over: nothing to keep.
    if (b === 61 && i === bytes.length - 1) continue;
    out[o++] = b;
  }
  return out.subarray(0, o);
}

function hexValue(b: number): number {
  if (b >= 48 && b <= 57) return b - 48;
  if (b >= 65 && b <= 70) return b - 55;
  if (b >= 97 && b <= 102) return b - 87;
  return -1;
}

/** RFC 6868 caret escapes in parameter values: ^n newline, ^' double quote, ^^ caret. */
function decodeCaret(value: string): string {
  if (!value.includes('^')) return value;
  return value.replace(/\^([n'^])/g, (_, c: string) => (c === 'n' ? '\n' : c === "'" ? '"' : '^'));
}

/** Splits the parameters part (`;A=1,"2;x";B`) into names and values, honouring quotes. */
function parseParams(text: string): Map<string, string[]> {
  const params = new Map<string, string[]>();
  const add = (name: string, value: string) => {
    const list = params.get(name);
    if (list) list.push(value);
    else params.set(name, [value]);
  };
  let i = 0;
  while (i < text.length) {
    // At a ';': read a name up to '=' or the next ';'.
    i++;
    let end = i;
    while (end < text.length && text[end] !== '=' && text[end] !== ';') end++;
    const name = text.slice(i, end).trim().toUpperCase();
    if (end >= text.length || text[end] === ';') {
      if (name) add(BARE_ENCODINGS.has(name) ? 'ENCODING' : 'TYPE', name);
      i = end;
      continue;
    }
    i = end + 1;
    // Values, comma separated, each maybe quoted.
    for (;;) {
      let value: string;
      if (text[i] === '"') {
        const close = text.indexOf('"', i + 1);
        const stop = close < 0 ? text.length : close;
        value = text.slice(i + 1, stop);
        i = close < 0 ? text.length : close + 1;
        // Anything between the closing quote and the next separator is kept (lenient).
        while (i < text.length && text[i] !== ',' && text[i] !== ';') value += text[i++];
      } else {
        let stop = i;
        while (stop < text.length && text[stop] !== ',' && text[stop] !== ';') stop++;
        value = text.slice(i, stop);
        i = stop;
      }
      if (name) add(name, decodeCaret(value.trim()));
      if (text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
  }
  return params;
}

/** The line's parts, or undefined when it is not a content line (no colon, or a bad name). */
export function parseContentLine(raw: RawContentLine): ContentLine | undefined {
  const { bytes } = raw;
  const colon = raw.skipped ? bytes.length : valueColon(bytes);
  if (colon <= 0) return undefined;
  const head = decodeBytes(bytes.subarray(0, colon));
  const semi = head.indexOf(';');
  const fullName = (semi < 0 ? head : head.slice(0, semi)).trim();
  const m = NAME.exec(fullName);
  if (!m) return undefined;
  const params = semi < 0 ? new Map<string, string[]>() : parseParams(head.slice(semi));
  let valueBytes = raw.skipped ? new Uint8Array(0) : bytes.subarray(colon + 1);
  const encoding = params.get('ENCODING')?.[0]?.toUpperCase();
  const charset = params.get('CHARSET')?.[0];
  let value: string;
  if (encoding === 'QUOTED-PRINTABLE') {
    valueBytes = decodeQuotedPrintable(valueBytes);
    value = decodeDeclared(valueBytes, charset);
  } else if (encoding === 'B' || encoding === 'BASE64') {
    valueBytes = Buffer.from(LATIN1.decode(valueBytes).replace(/\s+/g, ''), 'base64');
    value = decodeDeclared(valueBytes, charset);
  } else {
    value = decodeBytes(valueBytes, charset);
  }
  return {
    n: raw.n,
    group: (m[1] ?? '').toLowerCase(),
    name: m[2]!.toUpperCase(),
    params,
    value,
    skipped: raw.skipped,
    truncated: raw.truncated,
  };
}

/** Encoded values (quoted-printable, base64) carry the declared charset's bytes: follow it first. */
function decodeDeclared(bytes: Uint8Array, charset: string | undefined): string {
  const encoding = charset === undefined ? undefined : encodingNamed(charset);
  if (encoding === 'windows-1252') return decodeWindows1252(bytes);
  if (encoding === 'utf-16le' || encoding === 'utf-16be') return new TextDecoder(encoding).decode(bytes);
  return decodeBytes(bytes, charset);
}

/** First value of a parameter, upper-cased, or undefined. */
export function paramUpper(line: ContentLine, name: string): string | undefined {
  return line.params.get(name)?.[0]?.toUpperCase();
}

/** Every TYPE value, upper-cased and split on commas (`TYPE=HOME,CELL`, `TYPE="voice,cell"`, `type=a;type=b`). */
export function typesOf(line: ContentLine): Set<string> {
  const out = new Set<string>();
  for (const v of line.params.get('TYPE') ?? []) {
    for (const t of v.split(',')) {
      const s = t.trim().toUpperCase();
      if (s) out.add(s);
    }
  }
  return out;
}
