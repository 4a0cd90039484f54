/**
 * The physical-to-logical line layer shared by iCalendar (RFC 5545 §3.1) and vCard (RFC 6350 §3.2,
 * vCard 2.1): lines are unfolded on bytes, before any decoding, because producers fold at 75 octets
 * and some cut a multi-byte UTF-8 character in two; joining the bytes first restores it.
 *
 * - A line starting with a space or a tab continues the previous one (the fold and that one
 *   whitespace character are removed). CRLF, LF or a lone CR end a physical line.
 * - vCard 2.1 quoted-printable values continue after a line ending in `=` (a soft line break),
 *   without leading whitespace.
 * - Values of some properties (photos, attachments) are dropped as they stream by: only the name and
 *   parameters are kept, so a 5 MB base64 photo never sits in memory.
 * - A logical line longer than `maxLineBytes` is cut and marked `truncated`.
 */
import type { ImportSource } from '../importer.js';

export interface RawContentLine {
  /** Physical line number where the logical line starts (1-based). */
  n: number;
  bytes: Uint8Array;
  /** The value was dropped (a skipped property): `bytes` holds the name and parameters only. */
  skipped: boolean;
  /** The line was longer than the limit and was cut. */
  truncated: boolean;
}

export interface ContentLineOptions {
  /** vCard: honour quoted-printable soft line breaks. */
  quotedPrintable: boolean;
  /** Upper-case property names whose values are dropped (group prefixes ignored). */
  skipValuesOf: ReadonlySet<string>;
  /** Longest logical line kept whole. */
  maxLineBytes: number;
}

const CR = 13;
const LF = 10;
const SPACE = 32;
const TAB = 9;
const COLON = 58;
const SEMICOLON = 59;
const EQUALS = 61;
const QUOTE = 34;

/** The file as UTF-8 bytes: raw bytes for 8-bit encodings, re-encoded text for UTF-16. */
async function* utf8Bytes(source: ImportSource): AsyncIterable<Uint8Array> {
  if (source.encoding === 'utf-16le' || source.encoding === 'utf-16be') {
    const encoder = new TextEncoder();
    for await (const text of source.text()) yield encoder.encode(text);
    return;
  }
  let first = true;
  for await (const chunk of source.bytes()) {
    if (first && chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
      first = false;
      if (chunk.length > 3) yield chunk.subarray(3);
      continue;
    }
    first = false;
    yield chunk;
  }
}

/** Physical lines as bytes, numbered from 1. A line never exceeds `max` bytes (the rest is dropped, flagged). */
async function* physicalLines(
  chunks: AsyncIterable<Uint8Array>,
  max: number,
): AsyncIterable<{ n: number; bytes: Uint8Array; cut: boolean }> {
  let parts: Uint8Array[] = [];
  let length = 0;
  let cut = false;
  let n = 0;
  let pendingCr = false;
  const take = (chunk: Uint8Array, from: number, to: number) => {
    if (to <= from) return;
    const room = max - length;
    if (room <= 0) {
      cut = true;
      return;
    }
    const end = Math.min(to, from + room);
    if (end < to) cut = true;
    // Copy: the chunk's buffer may be reused by the stream.
    parts.push(chunk.slice(from, end));
    length += end - from;
  };
  const finish = () => {
    const bytes = parts.length === 1 ? parts[0]! : concat(parts, length);
    const line = { n: ++n, bytes, cut };
    parts = [];
    length = 0;
    cut = false;
    return line;
  };
  for await (const chunk of chunks) {
    let start = 0;
    if (pendingCr) {
      pendingCr = false;
      if (chunk[0] === LF) start = 1;
    }
    for (let i = start; i < chunk.length; i++) {
      const b = chunk[i];
      if (b !== LF && b !== CR) continue;
      take(chunk, start, i);
      yield finish();
      if (b === CR) {
        if (i + 1 < chunk.length) {
          if (chunk[i + 1] === LF) i++;
        } else {
          pendingCr = true;
        }
      }
      start = i + 1;
    }
    take(chunk, start, chunk.length);
  }
  if (length > 0 || cut) yield finish();
}

function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Index of the colon that ends name and parameters (colons inside quoted parameter values do not count), or -1. */
export function valueColon(bytes: Uint8Array): number {
  let quoted = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === QUOTE) quoted = !quoted;
    else if (b === COLON && !quoted) return i;
  }
  return -1;
}

/** Upper-case property name without its group (`item1.TEL` -> `TEL`), from the start of a line. */
function propertyName(bytes: Uint8Array): string {
  let end = 0;
  while (end < bytes.length && end < 100 && bytes[end] !== SEMICOLON && bytes[end] !== COLON) end++;
  const name = String.fromCharCode(...bytes.subarray(0, end)).toUpperCase();
  const dot = name.lastIndexOf('.');
  return dot >= 0 ? name.slice(dot + 1) : name;
}

const LATIN1 = new TextDecoder('latin1');

/** True when the parameters say the value is quoted-printable (`ENCODING=QUOTED-PRINTABLE` or the bare 2.1 form). */
function isQuotedPrintable(head: Uint8Array): boolean {
  return /;\s*(?:ENCODING\s*=\s*)?"?QUOTED-PRINTABLE"?\s*(?:[;:]|$)/i.test(LATIN1.decode(head));
}

/** vCard 2.1 base64 values may continue on lines without leading whitespace, up to a blank line. */
function isBase64Line(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  for (const b of bytes) {
    const ok =
      (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b === 43 || b === 47 || b === EQUALS;
    if (!ok) return false;
  }
  return true;
}

interface Building {
  n: number;
  parts: Uint8Array[];
  length: number;
  skipped: boolean;
  truncated: boolean;
  /** Quoted-printable value: computed when first needed. */
  qp: boolean | undefined;
  /** Skipped base64 value, whose bare continuation lines are swallowed. */
  base64: boolean;
}

/** Logical content lines of an iCalendar or vCard file, unfolded on bytes. */
export async function* contentLines(source: ImportSource, options: ContentLineOptions): AsyncIterable<RawContentLine> {
  let current: Building | undefined;
  const append = (line: Building, bytes: Uint8Array) => {
    if (line.skipped || bytes.length === 0) return;
    const room = options.maxLineBytes - line.length;
    if (room <= 0) {
      line.truncated = true;
      return;
    }
    const piece = bytes.length > room ? bytes.subarray(0, room) : bytes;
    if (piece.length < bytes.length) line.truncated = true;
    line.parts.push(piece);
    line.length += piece.length;
  };
  const emit = (line: Building): RawContentLine => ({
    n: line.n,
    bytes: line.parts.length === 1 ? line.parts[0]! : concat(line.parts, line.length),
    skipped: line.skipped,
    truncated: line.truncated,
  });
  const endsWithSoftBreak = (line: Building): boolean => {
    if (line.skipped || line.length === 0) return false;
    const last = line.parts[line.parts.length - 1]!;
    if (last[last.length - 1] !== EQUALS) return false;
    if (line.qp === undefined) {
      const all = concat(line.parts, line.length);
      const colon = valueColon(all);
      line.qp = colon > 0 && isQuotedPrintable(all.subarray(0, colon));
    }
    return line.qp;
  };

  for await (const physical of physicalLines(utf8Bytes(source), options.maxLineBytes + 1024)) {
    const { bytes } = physical;
    const first = bytes[0];
    if (current && (first === SPACE || first === TAB)) {
      append(current, bytes.subarray(1));
      if (physical.cut) current.truncated = true;
      continue;
    }
    if (current && options.quotedPrintable && endsWithSoftBreak(current) && !/^END\s*:/i.test(LATIN1.decode(bytes))) {
      const last = current.parts[current.parts.length - 1]!;
      current.parts[current.parts.length - 1] = last.subarray(0, last.length - 1);
      current.length -= 1;
      append(current, bytes);
      continue;
    }
    if (current?.base64 && !bytes.includes(COLON) && isBase64Line(bytes)) continue;
    if (current) {
      yield emit(current);
      current = undefined;
    }
    if (bytes.length === 0) continue;
    const line: Building = {
      n: physical.n,
      parts: [],
      length: 0,
      skipped: false,
      truncated: physical.cut,
      qp: undefined,
      base64: false,
    };
    const name = propertyName(bytes);
    if (options.skipValuesOf.has(name)) {
      const colon = valueColon(bytes);
      const head = colon >= 0 ? bytes.subarray(0, colon) : bytes;
      line.parts.push(head);
      line.length = head.length;
      line.skipped = true;
      line.base64 = options.quotedPrintable && /;\s*(?:ENCODING\s*=\s*)?BASE64\s*(?:;|$)/i.test(LATIN1.decode(head));
    } else {
      append(line, bytes);
    }
    current = line;
  }
  if (current) yield emit(current);
}
