/**
 * A tolerant, streaming tokenizer for OFX, one for both generations: 1.x SGML (leaf tags left
 * open: `<TRNAMT>-12.50`), 2.x XML, and the many files in between (an XML prolog over SGML tags,
 * leaves closed in one place and not in another). It is not an XML parser on purpose: real 2.x
 * files are often not well-formed, and OFX needs none of XML's machinery.
 *
 * - Tag names are upper-cased (a few producers write lower case); attributes are ignored (OFX has
 *   none); `<X/>` is an open and a close.
 * - Text runs are trimmed and sent only when not empty. The five XML entities and numeric
 *   references are decoded; any other `&` stays as written (banks write `AT&T` unescaped in SGML).
 *   Nothing else is ever resolved: a DOCTYPE is skipped, never read.
 * - A `<` that cannot start a tag (`a < b`, `<3`) is text.
 * - Comments are skipped, CDATA is text, processing instructions (`<?OFX OFXHEADER="200"...?>`) are
 *   handed over.
 * Lines are counted for messages: the first line end decides whether LF (and CRLF) or a lone CR
 * (old Mac files) ends lines.
 */
import { importError } from '../import-error.js';

export interface OfxTokenSink {
  open(name: string, line: number): void;
  close(name: string, line: number): void;
  /** A trimmed, decoded, non-empty text run, with the line it starts on. */
  text(text: string, line: number): void;
  /** The inside of `<?...?>`. */
  instruction(body: string, line: number): void;
}

export interface OfxTokenizer {
  write(chunk: string): void;
  /** The end of the file: flushes what is left. */
  end(): void;
  /** The line the tokenizer has reached. */
  line(): number;
}

/** A text run (or an unfinished comment) longer than this means a corrupt or hostile file. */
const MAX_RUN = 1024 * 1024;
/** A `<` with no `>` within this many characters is text, not a tag. */
const MAX_TAG = 1024;

const ENTITY = /&(?:#[xX]([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));/gi;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function createOfxTokenizer(file: string, sink: OfxTokenSink): OfxTokenizer {
  /** Unconsumed input: an unfinished tag, comment or text run at the end of the last chunk. */
  let rest = '';
  /** The text run being gathered (it may span comments and literal `<`), decoded, and its first line. */
  let run = '';
  let runLine = 1;
  // Lines: the next line end in the buffer being scanned, found as positions are passed.
  let line = 1;
  /** The character that ends lines: LF (also in CRLF), or CR in old Mac files; '' until seen. */
  let eol = '';
  let buffer = '';
  let nextEnd = -1;

  const lineAt = (pos: number): number => {
    while (nextEnd >= 0 && nextEnd < pos) {
      line++;
      nextEnd = buffer.indexOf(eol, nextEnd + 1);
    }
    return line;
  };

  const startBuffer = (s: string) => {
    if (eol === '') {
      const lf = s.indexOf('\n');
      const cr = s.indexOf('\r');
      if (cr >= 0 && (lf < 0 || lf > cr + 1) && cr + 1 < s.length) eol = '\r';
      else if (lf >= 0) eol = '\n';
    }
    buffer = s;
    nextEnd = eol === '' ? -1 : s.indexOf(eol);
  };

  /** Whether white space was cut at the end of the run so far (it becomes one space if text follows). */
  let spaceAfterRun = false;

  /** Adds `s[from, to)` to the text run; white space at its ends is dropped without copying. */
  const addText = (s: string, from: number, to: number, decode: boolean) => {
    let a = from;
    let b = to;
    if (run === '') {
      while (a < b && isSpace(s.charCodeAt(a))) a++;
      if (a === b) return;
      runLine = lineAt(a);
    }
    let trailing = false;
    while (b > a && isSpace(s.charCodeAt(b - 1))) {
      b--;
      trailing = true;
    }
    if (a === b) {
      spaceAfterRun = true;
      return;
    }
    let piece = s.slice(a, b);
    if (decode && piece.includes('&')) piece = decodeEntities(piece);
    run = run === '' ? piece : run + (spaceAfterRun || a > from ? ' ' : '') + piece;
    spaceAfterRun = trailing;
    if (run.length > MAX_RUN) {
      throw importError(file, 'a text of more than 1 MiB with no tag: the file is corrupt.', runLine);
    }
  };

  const flushText = () => {
    if (run === '') return;
    const text = run;
    run = '';
    spaceAfterRun = false;
    sink.text(text, runLine);
  };

  /** Consumes what it can of `s`; returns where it stopped (the rest waits for more input). */
  const scan = (s: string, final: boolean): number => {
    startBuffer(s);
    const n = s.length;
    let pos = 0;
    while (pos < n) {
      const lt = s.indexOf('<', pos);
      if (lt < 0) {
        // Text up to the end: kept for the next chunk unless this is the end (an entity may be cut).
        if (!final) return pos;
        addText(s, pos, n, true);
        return n;
      }
      addText(s, pos, lt, true);
      pos = lt;
      if (lt + 1 >= n) {
        if (!final) return pos;
        addText(s, lt, n, false);
        return n;
      }
      const c = s.charCodeAt(lt + 1);
      if (c === 33 /* ! */) {
        const after = markup(s, lt, final);
        if (after < 0) return pos;
        pos = after;
      } else if (c === 63 /* ? */) {
        const end = s.indexOf('?>', lt + 2);
        if (end < 0) {
          if (!final && n - lt < MAX_RUN) return pos;
          throw importError(file, 'a processing instruction "<?" is never closed: the file is corrupt.', lineAt(lt));
        }
        flushText();
        sink.instruction(s.slice(lt + 2, end), lineAt(lt));
        pos = end + 2;
      } else if (c === 47 /* / */ || isNameStart(c)) {
        const gt = s.indexOf('>', lt + 1);
        if (gt < 0 && !final && n - lt < MAX_TAG) return pos;
        if (gt < 0 || gt - lt > MAX_TAG || !tag(s, lt + 1, gt)) {
          // Not a tag after all: the `<` is text.
          addText(s, lt, lt + 1, false);
          pos = lt + 1;
        } else {
          pos = gt + 1;
        }
      } else {
        addText(s, lt, lt + 1, false);
        pos = lt + 1;
      }
    }
    return n;
  };

  /** The tag between `from` and `to` (excluded); false when it is not one (a `<` inside, a bad name). */
  const tag = (s: string, from: number, to: number): boolean => {
    const closing = s.charCodeAt(from) === 47;
    const start = closing ? from + 1 : from;
    let i = start;
    let lower = false;
    for (; i < to; i++) {
      const c = s.charCodeAt(i);
      if (c >= 97 && c <= 122) lower = true;
      else if (!isNameChar(c)) break;
    }
    if (i === start || !isNameStart(s.charCodeAt(start))) return false;
    const name = s.slice(start, i);
    // After the name: nothing, or (attributes, spaces, a `/`) with no `<`.
    const tail = i < to ? s.slice(i, to) : '';
    if (tail !== '' && (tail.includes('<') || !/^[\s/]/.test(tail))) return false;
    const upper = lower ? name.toUpperCase() : name;
    flushText();
    const at = lineAt(from);
    if (closing) {
      sink.close(upper, at);
    } else {
      sink.open(upper, at);
      if (tail.endsWith('/')) sink.close(upper, at);
    }
    return true;
  };

  /** `<!--...-->`, `<![CDATA[...]]>` or `<!...>`; the position after it, or -1 to wait for more. */
  const markup = (s: string, lt: number, final: boolean): number => {
    const n = s.length;
    const close = s.startsWith('<!--', lt) ? '-->' : s.startsWith('<![CDATA[', lt) ? ']]>' : '>';
    // `<!-` or `<![CDA` cut by the end of the chunk would look like a declaration.
    if (n - lt < 9 && !final && close === '>') return -1;
    const end = s.indexOf(close, lt + 2);
    if (end < 0) {
      if (!final && n - lt < MAX_RUN) return -1;
      throw importError(file, 'a comment or declaration "<!" is never closed: the file is corrupt.', lineAt(lt));
    }
    if (close === ']]>') addText(s, lt + 9, end, false);
    return end + close.length;
  };

  return {
    write(chunk) {
      const s = rest === '' ? chunk : rest + chunk;
      const stop = scan(s, false);
      lineAt(stop);
      rest = stop < s.length ? s.slice(stop) : '';
      if (rest.length > MAX_RUN) {
        throw importError(file, 'a text of more than 1 MiB with no tag: the file is corrupt.', line);
      }
    },
    end() {
      const s = rest;
      rest = '';
      scan(s, true);
      // The last line is the one the last character is on.
      lineAt(s.length - 1);
      flushText();
    },
    line: () => line,
  };
}

/** White space as `String.prototype.trim` knows it, for the characters files use. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029;
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Letters, digits, `_ . : -` (Quicken's `INTU.BID`). */
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 58) || c === 46 || c === 45;
}

/** The five XML entities and numeric references; anything else stays as written. */
export function decodeEntities(text: string): string {
  return text.replace(ENTITY, (whole, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (name !== undefined) return NAMED[name.toLowerCase()] ?? whole;
    const code = hex !== undefined ? parseInt(hex, 16) : Number(dec);
    const valid = code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
    return valid ? String.fromCodePoint(code) : whole;
  });
}
