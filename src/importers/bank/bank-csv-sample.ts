/**
 * The first rows of a file's sample, split without awaiting anything: detection is synchronous,
 * and the mapping is inferred from the sample alone so that detection, the preview and the import
 * agree. Same rules (and line numbers) as `csvRows`: quotes, doubled quotes, line breaks inside
 * quotes, CRLF / LF / lone CR, blank lines skipped.
 */
import type { CsvRow } from '../csv/csv-reader.js';

/** Rows read from a sample: enough for any preamble, header and a fair view of the values. */
export const SAMPLE_ROWS = 400;

export function sampleRows(text: string, delimiter: string, complete: boolean, max = SAMPLE_ROWS): CsvRow[] {
  const rows: CsvRow[] = [];
  const d = delimiter.charCodeAt(0);
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let afterQuote = false;
  let line = 1;
  let rowLine = 1;
  const endRow = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) rows.push({ line: rowLine, fields });
    fields = [];
    field = '';
    afterQuote = false;
  };
  for (let i = 0; i < text.length && rows.length < max; i++) {
    const c = text.charCodeAt(i);
    if (quoted) {
      if (c === 34) {
        if (text.charCodeAt(i + 1) === 34) {
          field += '"';
          i++;
        } else {
          quoted = false;
          afterQuote = true;
        }
      } else {
        if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) line++;
        field += text[i];
      }
    } else if (c === 34 && field === '' && !afterQuote) {
      quoted = true;
    } else if (c === d) {
      fields.push(field);
      field = '';
      afterQuote = false;
    } else if (c === 10 || c === 13) {
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      endRow();
      line++;
      rowLine = line;
    } else {
      field += text[i];
    }
  }
  if (rows.length < max) {
    // The last row of a cut sample may be cut too; a row still inside quotes is never complete.
    if (complete && !quoted && (field !== '' || fields.length > 0)) endRow();
  }
  return rows;
}
