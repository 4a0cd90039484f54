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
  for await (const raw of source.bytes()) {
    // A plain Uint8Array view: its subarrays are much cheaper than a Buffer's.
    const chunk = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
    if (first && chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
      first = false;
      if (chunk.length > 3) yield chunk.subarray(3);
      continue;
    }
    first = false;
    yield chunk;
  }
}

interface PhysicalLine {
  n: number;
  /** A view into the chunk when the line lies within one (valid until the next chunk), else a copy. */
  bytes: Uint8Array;
  cut: boolean;
}

/**
 * Splits chunks into physical lines, numbered from 1, synchronously within each chunk: a 5 MB
 * photo folded into 70,000 lines must not cost 70,000 promise turns. A line never exceeds `max`
 * bytes (the rest is dropped and the line flagged).
 */
function createLineSplitter(max: number) {
  let parts: Uint8Array[] = [];
  let length = 0;
  let cut = false;
  let n = 0;
  let pendingCr = false;
  const keep = (chunk: Uint8Array, from: number, to: number) => {
    if (to <= from) return;
    const room = max - length;
    if (room <= 0) {
      cut = true;
      return;
    }
    const end = Math.min(to, from + room);
    if (end < to) cut = true;
    parts.push(chunk.subarray(from, end));
    length += end - from;
  };
  const finish = (): PhysicalLine => {
    const bytes = parts.length === 1 ? parts[0]! : concat(parts, length);
    const line = { n: ++n, bytes, cut };
    parts = [];
    length = 0;
    cut = false;
    return line;
  };
  return {
    *feed(chunk: Uint8Array): Iterable<PhysicalLine> {
      let start = 0;
      if (pendingCr) {
        pendingCr = false;
        if (chunk[0] === LF) start = 1;
      }
      // Native searches for the next CR and LF rather than a walk over every byte in JS.
      let nextLf = chunk.indexOf(LF, start);
      let nextCr = chunk.indexOf(CR, start);
      for (;;) {
        if (nextLf >= 0 && nextLf < start) nextLf = chunk.indexOf(LF, start);
        if (nextCr >= 0 && nextCr < start) nextCr = chunk.indexOf(CR, start);
        const i = nextLf < 0 ? nextCr : nextCr < 0 ? nextLf : Math.min(nextLf, nextCr);
        if (i < 0) break;
        keep(chunk, start, i);
        yield finish();
        let end = i;
        if (chunk[i] === CR) {
          if (i + 1 < chunk.length) {
            if (chunk[i + 1] === LF) end = i + 1;
          } else {
            pendingCr = true;
          }
        }
        start = end + 1;
      }
      keep(chunk, start, chunk.length);
      // What is left belongs to a line the next chunk ends: copy it, the chunk may be reused.
      if (parts.length > 0) parts[parts.length - 1] = parts[parts.length - 1]!.slice();
    },
    end(): PhysicalLine | undefined {
      return length > 0 || cut ? finish() : undefined;
    },
  };
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
  let name = '';
  for (let i = 0; i < bytes.length && i < 100; i++) {
    const b = bytes[i]!;
    if (b === SEMICOLON || b === COLON) break;
    // A group prefix (`item1.`) is not part of the name.
    name = b === 46 ? '' : name + String.fromCharCode(b >= 97 && b <= 122 ? b - 32 : b);
  }
  return name;
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

/**
 * Joins physical lines into logical ones, synchronously; `take` returns the logical line that a
 * physical line completes, if any.
 */
function createUnfolder(options: ContentLineOptions) {
  let current: Building | undefined;
  const append = (line: Building, bytes: Uint8Array) => {
    if (line.skipped || bytes.length === 0) return;
    const room = options.maxLineBytes - line.length;
    if (room <= 0) {
      line.truncated = true;
      return;
    }
    // A copy: physical lines may be views into a chunk that the next read replaces.
    const piece = bytes.slice(0, room);
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
  const start = (physical: PhysicalLine): Building => {
    const { bytes } = physical;
    const line: Building = {
      n: physical.n,
      parts: [],
      length: 0,
      skipped: false,
      truncated: physical.cut,
      qp: undefined,
      base64: false,
    };
    if (options.skipValuesOf.has(propertyName(bytes))) {
      const colon = valueColon(bytes);
      const head = (colon >= 0 ? bytes.subarray(0, colon) : bytes).slice();
      line.parts.push(head);
      line.length = head.length;
      line.skipped = true;
      line.base64 = options.quotedPrintable && /;\s*(?:ENCODING\s*=\s*)?BASE64\s*(?:;|$)/i.test(LATIN1.decode(head));
    } else {
      append(line, bytes);
    }
    return line;
  };
  return {
    take(physical: PhysicalLine): RawContentLine | undefined {
      const { bytes } = physical;
      const first = bytes[0];
      if (current && (first === SPACE || first === TAB)) {
        append(current, bytes.subarray(1));
        if (physical.cut) current.truncated = true;
        return undefined;
      }
      if (
        current &&
        options.quotedPrintable &&
        endsWithSoftBreak(current) &&
        !/^END\s*:/i.test(LATIN1.decode(bytes.subarray(0, 8)))
      ) {
        const last = current.parts[current.parts.length - 1]!;
        current.parts[current.parts.length - 1] = last.subarray(0, last.length - 1);
        current.length -= 1;
        append(current, bytes);
        return undefined;
      }
      if (current?.base64 && isBase64Line(bytes)) return undefined;
      const done = current ? emit(current) : undefined;
      current = bytes.length === 0 ? undefined : start(physical);
      return done;
    },
    end(): RawContentLine | undefined {
      const done = current ? emit(current) : undefined;
      current = undefined;
      return done;
    },
  };
}

/** Logical content lines of an iCalendar or vCard file, unfolded on bytes. */
export async function* contentLines(source: ImportSource, options: ContentLineOptions): AsyncIterable<RawContentLine> {
  const splitter = createLineSplitter(options.maxLineBytes + 1024);
  const unfolder = createUnfolder(options);
  for await (const chunk of utf8Bytes(source)) {
    const ready: RawContentLine[] = [];
    for (const physical of splitter.feed(chunk)) {
      const line = unfolder.take(physical);
      if (line) ready.push(line);
    }
    yield* ready;
  }
  const last = splitter.end();
  const line = last ? unfolder.take(last) : undefined;
  if (line) yield line;
  const rest = unfolder.end();
  if (rest) yield rest;
}

/** The start of a line, for a message: control characters as spaces, at most 60 characters. */
export function linePreview(bytes: Uint8Array): string {
  const text = Array.from(new TextDecoder('utf-8').decode(bytes.subarray(0, 60)), (c) => (c < ' ' ? ' ' : c)).join('');
  return bytes.length > 60 ? `${text}...` : text;
}
