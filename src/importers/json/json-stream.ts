/**
 * Streaming JSON for big exports (location history, streaming and social archives): walks the
 * document's structure and yields, in batches, the values the caller selects by path (each element of `locations` in a Records.json, say),
 * each parsed by the engine's own `JSON.parse`, with the line it starts on. Nothing else is kept:
 * memory is bounded by the largest selected value, whatever the file's size.
 *
 * Why not `@streamparser/json`: it builds every value token by token in JavaScript and took 8.3 s
 * for a 1,000,000-point Records.json (300 MB) before any record was made; this scanner only finds
 * where each selected value begins and ends (one pass over the characters, tracking strings and
 * brackets) and leaves the parsing of the small slices to `JSON.parse`, about four times faster.
 */
import { importError } from '../import-error.js';
import type { ImportSource } from '../importer.js';

export type JsonPath = readonly (string | number)[];
export type JsonKind = 'object' | 'array' | 'scalar';
/** `descend`: walk into the container; `value`: parse it whole and yield it; `skip`: read past it. */
export type JsonChoice = 'descend' | 'value' | 'skip';

export interface JsonValueAt {
  /** Object keys and array indexes from the root down to the value. */
  path: JsonPath;
  value: unknown;
  /** Line the value starts on, from 1. */
  line: number;
}

export interface JsonStreamOptions {
  /** Called for every value inside a descended container (and the root), before reading it. */
  select(path: JsonPath, kind: JsonKind): JsonChoice;
  /** Largest selected value, in characters: bigger means a broken or hostile file. */
  maxValueChars?: number;
}

const DEFAULT_MAX_VALUE_CHARS = 32 * 1024 * 1024;
/** Deeper nesting than this is no export of ours, and would make `JSON.parse` overflow the stack. */
const MAX_DEPTH = 256;

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COMMA = 44;
const COLON = 58;

/** Characters that matter inside a value; everything else is skipped with one table lookup. */
const STRING = 1;
const OPEN = 2;
const CLOSE = 3;
const CLASS = new Uint8Array(128);
CLASS[QUOTE] = STRING;
CLASS[OPEN_BRACE] = OPEN;
CLASS[OPEN_BRACKET] = OPEN;
CLASS[CLOSE_BRACE] = CLOSE;
CLASS[CLOSE_BRACKET] = CLOSE;

/** What the walker expects next outside tokens. */
const enum Expect {
  Value,
  ValueOrClose,
  KeyOrClose,
  Key,
  Colon,
  CommaOrClose,
  End,
}

interface Frame {
  array: boolean;
  path: JsonPath;
  /** Next index (arrays) or current key (objects). */
  index: number;
  key: string;
}

/** Yields the selected values, a batch per chunk of text read. */
export async function* jsonValues(source: ImportSource, options: JsonStreamOptions): AsyncIterable<JsonValueAt[]> {
  const maxValueChars = options.maxValueChars ?? DEFAULT_MAX_VALUE_CHARS;

  const frames: Frame[] = [];
  let expect = Expect.Value;
  let sawRoot = false;

  // The token being read (a key, or a value read in full): where it started in `buf`, whether
  // its text is kept, and the scanning state, which survives the end of a chunk.
  let inToken = false;
  let tokenIsKey = false;
  let keep = false;
  /** A number or a literal: it ends at the first delimiter. */
  let bare = false;
  let tokenStart = 0;
  let tokenLine = 0;
  let tokenPath: JsonPath = [];
  let inString = false;
  /** The chunk ended inside a string right after an odd run of backslashes. */
  let escaped = false;
  /** Backslashes before this position belong to an earlier chunk (already accounted for). */
  let stringFloor = 0;
  const closers: number[] = [];

  let buf = '';
  let out: JsonValueAt[] = [];

  // Lines are counted lazily, with indexOf, up to the positions that need one.
  let line = 1;
  let linePos = 0;
  const lineOf = (pos: number): number => {
    for (let nl = buf.indexOf('\n', linePos); nl !== -1 && nl < pos; nl = buf.indexOf('\n', nl + 1)) {
      line++;
      linePos = nl + 1;
    }
    if (pos > linePos) linePos = pos;
    return line;
  };
  const fail = (message: string, pos: number) => importError(source.name, message, lineOf(pos));

  const parse = (text: string, what: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      throw importError(
        source.name,
        `${what} starting on this line is not valid JSON (is the file corrupt or cut short?).`,
        tokenLine,
      );
    }
  };

  const afterValue = () => {
    expect = frames.length === 0 ? Expect.End : Expect.CommaOrClose;
  };

  /** Ends the token that closes at `end` (exclusive). */
  const finishToken = (end: number) => {
    inToken = false;
    if (tokenIsKey) {
      frames[frames.length - 1]!.key = parse(buf.slice(tokenStart, end), 'the key') as string;
      expect = Expect.Colon;
      return;
    }
    if (keep) out.push({ path: tokenPath, value: parse(buf.slice(tokenStart, end), 'the entry'), line: tokenLine });
    afterValue();
  };

  const beginToken = (at: number, isKey: boolean, keepText: boolean, isBare: boolean, path: JsonPath) => {
    inToken = true;
    tokenIsKey = isKey;
    keep = keepText;
    bare = isBare;
    tokenStart = at;
    tokenLine = keepText ? lineOf(at) : 0;
    tokenPath = path;
    inString = false;
    escaped = false;
    closers.length = 0;
  };

  /** A value starts at `at` with character `c`; returns where to go on. */
  const startValue = (c: number, at: number): number => {
    const top = frames[frames.length - 1];
    const path: JsonPath = top === undefined ? [] : [...top.path, top.array ? top.index++ : top.key];
    const kind: JsonKind = c === OPEN_BRACE ? 'object' : c === OPEN_BRACKET ? 'array' : 'scalar';
    sawRoot = true;
    const choice = options.select(path, kind);
    if (choice === 'descend' && kind !== 'scalar') {
      if (frames.length >= MAX_DEPTH) throw fail('the JSON is nested too deeply.', at);
      frames.push({ array: kind === 'array', path, index: 0, key: '' });
      expect = kind === 'array' ? Expect.ValueOrClose : Expect.KeyOrClose;
      return at + 1;
    }
    beginToken(at, false, choice !== 'skip', kind === 'scalar' && c !== QUOTE, path);
    return at;
  };

  /** The closing quote of the string being read, from `pos`, or -1 when it goes on past the chunk. */
  const stringEnd = (pos: number): number => {
    let from = pos;
    if (escaped) {
      escaped = false;
      from++;
      stringFloor = from;
    }
    for (;;) {
      const q = buf.indexOf('"', from);
      if (q === -1) {
        let run = 0;
        for (let b = buf.length - 1; b >= stringFloor && buf.charCodeAt(b) === BACKSLASH; b--) run++;
        escaped = (run & 1) === 1;
        return -1;
      }
      let run = 0;
      for (let b = q - 1; b >= stringFloor && buf.charCodeAt(b) === BACKSLASH; b--) run++;
      if ((run & 1) === 0) return q;
      from = q + 1;
    }
  };

  /** Scans the current token from `pos`; returns where scanning stopped (the token may go on). */
  const scanToken = (from: number): number => {
    let pos = from;
    const len = buf.length;
    if (bare) {
      for (; pos < len; pos++) {
        const c = buf.charCodeAt(pos);
        if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || c <= 32) {
          finishToken(pos);
          return pos;
        }
      }
      return pos;
    }
    while (pos < len) {
      if (inString) {
        const end = stringEnd(pos);
        if (end === -1) {
          pos = len;
          break;
        }
        inString = false;
        pos = end + 1;
        if (closers.length === 0) {
          finishToken(pos);
          return pos;
        }
        continue;
      }
      const c = buf.charCodeAt(pos);
      const k = c < 128 ? CLASS[c]! : 0;
      pos++;
      if (k === 0) continue;
      if (k === STRING) {
        inString = true;
        stringFloor = pos;
      } else if (k === OPEN) {
        closers.push(c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET);
        if (closers.length > MAX_DEPTH) throw fail('the JSON is nested too deeply.', pos);
      } else {
        if (closers.pop() !== c) {
          throw fail(`"${String.fromCharCode(c)}" closes nothing here: this is not valid JSON.`, pos);
        }
        if (closers.length === 0) {
          finishToken(pos);
          return pos;
        }
      }
    }
    if (keep && pos - tokenStart > maxValueChars) {
      throw importError(
        source.name,
        `an entry longer than ${maxValueChars.toLocaleString('en')} characters starts on this line: this is not an export Foyer reads.`,
        tokenLine,
      );
    }
    return pos;
  };

  const closeFrame = () => {
    frames.pop();
    afterValue();
  };

  /** The walker outside tokens: the punctuation between selected values. */
  const walk = (from: number): number => {
    let pos = from;
    const len = buf.length;
    while (pos < len) {
      if (inToken) {
        pos = scanToken(pos);
        if (inToken) return pos;
        continue;
      }
      const c = buf.charCodeAt(pos);
      if (c === 32 || c === 10 || c === 13 || c === 9) {
        pos++;
        continue;
      }
      const top = frames[frames.length - 1];
      if (expect === Expect.Value || expect === Expect.ValueOrClose) {
        if (c === CLOSE_BRACKET && expect === Expect.ValueOrClose) {
          closeFrame();
          pos++;
          continue;
        }
        if (c !== CLOSE_BRACE && c !== CLOSE_BRACKET && c !== COMMA && c !== COLON) {
          pos = startValue(c, pos);
          continue;
        }
      } else if (expect === Expect.KeyOrClose || expect === Expect.Key) {
        if (c === CLOSE_BRACE && expect === Expect.KeyOrClose) {
          closeFrame();
          pos++;
          continue;
        }
        if (c === QUOTE) {
          beginToken(pos, true, true, false, []);
          continue;
        }
      } else if (expect === Expect.Colon) {
        if (c === COLON) {
          expect = Expect.Value;
          pos++;
          continue;
        }
      } else if (expect === Expect.CommaOrClose && top !== undefined) {
        if (c === COMMA) {
          expect = top.array ? Expect.Value : Expect.Key;
          pos++;
          continue;
        }
        if (c === (top.array ? CLOSE_BRACKET : CLOSE_BRACE)) {
          closeFrame();
          pos++;
          continue;
        }
      }
      const shown = c < 32 ? `control character ${c}` : `"${String.fromCodePoint(buf.codePointAt(pos) ?? c)}"`;
      throw fail(`unexpected ${shown}: this is not valid JSON.`, pos);
    }
    return pos;
  };

  let resumeAt = 0;
  for await (const chunk of source.text()) {
    buf += chunk;
    const end = walk(resumeAt);
    if (inString) stringFloor = 0;
    // Only an unfinished token whose text is needed (a key, a selected value) is carried over.
    if (inToken && keep) {
      lineOf(buf.length);
      resumeAt = end - tokenStart;
      linePos = buf.length - tokenStart;
      buf = buf.slice(tokenStart);
      tokenStart = 0;
      if (inString) stringFloor = resumeAt;
    } else {
      lineOf(buf.length);
      resumeAt = 0;
      linePos = 0;
      buf = '';
    }
    if (out.length > 0) {
      yield out;
      out = [];
    }
  }
  if (inToken && bare) finishToken(buf.length);
  if (out.length > 0) yield out;
  if (!sawRoot) throw importError(source.name, 'the file holds no JSON at all.', line);
  if (inToken || frames.length > 0)
    throw importError(source.name, 'the file ends before its JSON does (truncated?).', line);
}

/**
 * The items of the named arrays of a top-level object (`{"locations": [...]}`), or of the
 * top-level array itself when `arrays` is null, each whole; throws `notFound` when the file holds
 * none of them.
 */
export async function* arrayItems(
  source: ImportSource,
  arrays: readonly string[] | null,
  notFound: string,
): AsyncIterable<JsonValueAt[]> {
  let found = false;
  const select = (path: JsonPath, kind: JsonKind): JsonChoice => {
    if (path.length === 0) {
      if (arrays === null) found = kind === 'array';
      return kind === (arrays === null ? 'array' : 'object') ? 'descend' : 'skip';
    }
    if (path.length === 1 && arrays !== null) {
      if (kind !== 'array' || !arrays.includes(path[0] as string)) return 'skip';
      found = true;
      return 'descend';
    }
    return 'value';
  };
  yield* jsonValues(source, { select });
  if (!found) throw importError(source.name, notFound);
}
