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
 * Lines are counted for messages: LF, CRLF and a lone CR each end one.
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

const SIMPLE_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]*$/;
const ENTITY = /&(?:#[xX]([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));/gi;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function createOfxTokenizer(file: string, sink: OfxTokenSink): OfxTokenizer {
  /** Unconsumed input: an unfinished tag, comment or text run at the end of the last chunk. */
  let rest = '';
  let line = 1;
  let lastWasCr = false;
  /** The text run being gathered (it may span literal `<`), decoded, and its first line. */
  let run = '';
  let runLine = 1;

  const countLines = (s: string, from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const c = s.charCodeAt(i);
      if (c === 10) {
        if (!lastWasCr) line++;
        lastWasCr = false;
      } else if (c === 13) {
        line++;
        lastWasCr = true;
      } else {
        lastWasCr = false;
      }
    }
  };

  const addText = (s: string, from: number, to: number, decode: boolean) => {
    if (from >= to) return;
    if (run === '') runLine = line;
    const piece = s.slice(from, to);
    run += decode && piece.includes('&') ? decodeEntities(piece) : piece;
    countLines(s, from, to);
    if (run.length > MAX_RUN)
      throw importError(file, 'a text of more than 1 MiB with no tag: the file is corrupt.', runLine);
  };

  const flushText = () => {
    if (run === '') return;
    const text = run.trim();
    run = '';
    if (text !== '') sink.text(text, runLine);
  };

  /** Consumes what it can of `s`; returns where it stopped (the rest waits for more input). */
  const scan = (s: string, final: boolean): number => {
    const n = s.length;
    let pos = 0;
    while (pos < n) {
      const lt = s.indexOf('<', pos);
      if (lt < 0) {
        // Text up to the end: keep it for the next chunk unless this is the end (an entity may be cut).
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
        const step = markup(s, lt, final);
        if (step < 0) return pos;
        pos = step;
      } else if (c === 63 /* ? */) {
        const end = s.indexOf('?>', lt + 2);
        if (end < 0) {
          if (!final && n - lt < MAX_RUN) return pos;
          throw importError(file, 'a processing instruction "<?" is never closed: the file is corrupt.', line);
        }
        flushText();
        const at = line;
        countLines(s, lt, end + 2);
        sink.instruction(s.slice(lt + 2, end), at);
        pos = end + 2;
      } else if (c === 47 /* / */ || isNameStart(c)) {
        const gt = s.indexOf('>', lt + 1);
        if (gt < 0 && !final && n - lt < MAX_TAG) return pos;
        const body = gt < 0 || gt - lt > MAX_TAG ? undefined : s.slice(lt + 1, gt);
        if (body === undefined || !tag(body)) {
          // Not a tag after all: the `<` is text.
          addText(s, lt, lt + 1, false);
          pos = lt + 1;
          continue;
        }
        countLines(s, lt, gt + 1);
        pos = gt + 1;
      } else {
        addText(s, lt, lt + 1, false);
        pos = lt + 1;
      }
    }
    return n;
  };

  /** A tag's inside; false when it is not a tag (a second `<` inside, a bad name). */
  const tag = (body: string): boolean => {
    if (body.includes('<')) return false;
    if (body.charCodeAt(0) === 47) {
      const name = body.slice(1).trim();
      if (!SIMPLE_NAME.test(name)) return false;
      flushText();
      sink.close(name.toUpperCase(), line);
      return true;
    }
    let name = body;
    let selfClosing = false;
    if (!SIMPLE_NAME.test(body)) {
      selfClosing = body.endsWith('/');
      const m = /^([A-Za-z_][A-Za-z0-9_.:-]*)(?:\s|\/|$)/.exec(body);
      if (!m) return false;
      name = m[1]!;
    }
    const upper = name.toUpperCase();
    flushText();
    sink.open(upper, line);
    if (selfClosing) sink.close(upper, line);
    return true;
  };

  /** `<!--...-->`, `<![CDATA[...]]>` or `<!...>`; the position after it, or -1 to wait for more. */
  const markup = (s: string, lt: number, final: boolean): number => {
    const n = s.length;
    const open = s.startsWith('<!--', lt) ? '-->' : s.startsWith('<![CDATA[', lt) ? ']]>' : '>';
    if (n - lt < 9 && !final && open === '>') return -1;
    const end = s.indexOf(open, lt + 2);
    if (end < 0) {
      if (!final && n - lt < MAX_RUN) return -1;
      throw importError(file, 'a comment or declaration "<!" is never closed: the file is corrupt.', line);
    }
    if (open === ']]>') {
      addText(s, lt + 9, end, false);
    } else {
      countLines(s, lt, end + open.length);
    }
    return end + open.length;
  };

  return {
    write(chunk) {
      const s = rest === '' ? chunk : rest + chunk;
      const stop = scan(s, false);
      rest = stop < s.length ? s.slice(stop) : '';
      if (rest.length > MAX_RUN) {
        throw importError(file, 'a text of more than 1 MiB with no tag: the file is corrupt.', line);
      }
    },
    end() {
      const s = rest;
      rest = '';
      scan(s, true);
      flushText();
    },
    line: () => line,
  };
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
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
