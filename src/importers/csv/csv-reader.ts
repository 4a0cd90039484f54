/**
 * Streaming CSV for importers (RFC 4180 plus what real exports do): any delimiter, quoted fields
 * with doubled quotes and line breaks inside, CRLF / LF / lone CR line ends, blank lines skipped,
 * text after a closing quote kept (`"a"b` reads `ab`, as spreadsheets do). Rows carry the line they
 * start on, for error messages.
 */
import { importError } from '../import-error.js';
import type { ImportSource } from '../importer.js';

export interface CsvRow {
  /** Line (1-based) where the row starts. */
  line: number;
  fields: string[];
}

/** Longest field accepted: longer means a broken quote swallowing the file, or a hostile one. */
const MAX_FIELD = 64 * 1024;

const enum State {
  /** At the start of a field. */
  Start,
  Unquoted,
  Quoted,
  /** Just read a quote inside a quoted field: an escaped quote or the closing one. */
  QuoteInQuoted,
}

export async function* csvRows(source: ImportSource, delimiter: string): AsyncIterable<CsvRow> {
  const d = delimiter.charCodeAt(0);
  let fields: string[] = [];
  let field = '';
  let state = State.Start;
  let line = 1;
  let rowLine = 1;
  let afterCr = false;

  const endRow = (): CsvRow | null => {
    fields.push(field);
    const row = fields;
    fields = [];
    field = '';
    state = State.Start;
    if (row.length === 1 && row[0] === '') return null; // blank line
    return { line: rowLine, fields: row };
  };

  for await (const chunk of source.text()) {
    const rows: CsvRow[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (afterCr) {
        afterCr = false;
        if (c === 10) continue; // the LF of a CRLF
      }
      if (state === State.Quoted) {
        if (c === 34) state = State.QuoteInQuoted;
        else {
          if (c === 10 || (c === 13 && chunk.charCodeAt(i + 1) !== 10)) line++;
          // Copy the run up to the next quote or line break at once: appending one character at
          // a time builds strings of thousands of pieces, and 100,000 lines then take seconds.
          let j = i + 1;
          while (j < chunk.length) {
            const e = chunk.charCodeAt(j);
            if (e === 34 || e === 10 || e === 13) break;
            j++;
          }
          field += chunk.slice(i, j);
          i = j - 1;
        }
      } else if (state === State.QuoteInQuoted && c === 34) {
        field += '"';
        state = State.Quoted;
      } else if (c === 34 && state === State.Start) {
        state = State.Quoted;
      } else if (c === d) {
        fields.push(field);
        field = '';
        state = State.Start;
      } else if (c === 10 || c === 13) {
        const row = endRow();
        if (row) rows.push(row);
        line++;
        rowLine = line;
        if (c === 13) afterCr = true;
      } else {
        let j = i + 1;
        while (j < chunk.length) {
          const e = chunk.charCodeAt(j);
          if (e === d || e === 10 || e === 13) break;
          j++;
        }
        field += chunk.slice(i, j);
        state = State.Unquoted;
        i = j - 1;
      }
      if (field.length > MAX_FIELD) {
        throw importError(
          source.name,
          state === State.Quoted
            ? 'a quoted field never ends (a missing closing quote?).'
            : 'a field is longer than 64 KiB.',
          rowLine,
        );
      }
    }
    for (const row of rows) yield row;
  }
  if (state === State.Quoted)
    throw importError(source.name, 'the file ends inside a quoted field (truncated?).', rowLine);
  if (field.length > 0 || fields.length > 0 || state === State.QuoteInQuoted) {
    const row = endRow();
    if (row) yield row;
  }
}

/**
 * The delimiter of a CSV sample: the candidate that splits the first lines into the same number
 * (above one) of fields most consistently. `;` wins ties, as French exports use it.
 */
export function sniffDelimiter(sampleText: string): string {
  const lines = sampleText
    .split(/\r\n|\n|\r/)
    .filter((l) => l.trim() !== '')
    .slice(0, 20);
  let best = ';';
  let bestScore = 0;
  for (const candidate of [';', ',', '\t', '|']) {
    const counts = lines.map((l) => countOutsideQuotes(l, candidate));
    const freq = new Map<number, number>();
    for (const n of counts) if (n > 0) freq.set(n, (freq.get(n) ?? 0) + 1);
    let score = 0;
    for (const [n, times] of freq) score = Math.max(score, times * 100 + n);
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let n = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) n++;
  }
  return n;
}
