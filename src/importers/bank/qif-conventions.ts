/**
 * A QIF file says neither its date order nor its decimal mark: both are read from the whole file
 * in a first pass, before any record is parsed.
 * - Date order: `ctx.options.dateOrder` when given; else a date whose first field is over 12 makes
 *   the file day-first, one whose second field is over 12 month-first (both in one file is an
 *   error); else day-first for a comma-decimal file and month-first otherwise, with a warning.
 * - Decimal mark: amounts that show theirs (`12,50`, `1.234,56`, `1,234.56`) decide by majority;
 *   it only matters for an amount like `1,234`, and is `.` when nothing shows.
 */
import { importError } from '../import-error.js';
import type { ImportSource, ImportWarning, ParseContext } from '../importer.js';
import { decimalMarkOf, type DecimalMark } from './bank-csv-amount.js';
import { ORDER_NAMES, orderEvidence, splitQifDate, type QifDateOrder } from './qif-date.js';
import { qifHeader, type QifSection } from './qif-lines.js';

export interface QifConventions {
  dateOrder: QifDateOrder;
  decimalMark: DecimalMark;
  /** Where the date order comes from. */
  dateOrderFrom: 'options' | 'file' | 'guess';
  /** Said when the order was guessed. */
  warning?: ImportWarning;
}

export async function qifConventions(source: ImportSource, ctx: ParseContext): Promise<QifConventions> {
  let section: QifSection | 'none' = 'none';
  const firstOf: Partial<Record<'DMY' | 'MDY', { line: number; text: string }>> = {};
  let commas = 0;
  let dots = 0;
  for await (const { n, text: raw } of source.lines()) {
    const text = raw.trim();
    const code = text.charAt(0);
    if (code === '!') {
      const header = qifHeader(text);
      if (header?.kind === 'type') section = header.section;
      else if (header?.kind === 'account') section = 'accounts';
      continue;
    }
    const value = text.slice(1);
    const dated = section === 'accounts' ? code === '/' : code === 'D';
    const amount = section === 'accounts' ? code === '$' : code === 'T' || code === 'U' || code === '$';
    if (section !== 'transactions' && section !== 'investments' && section !== 'accounts') continue;
    if (dated) {
      const parts = splitQifDate(value);
      const evidence = parts && orderEvidence(parts);
      if (evidence && !firstOf[evidence]) firstOf[evidence] = { line: n, text: value.trim() };
    } else if (amount) {
      const mark = decimalMarkOf(value);
      if (mark === ',') commas++;
      else if (mark === '.') dots++;
    }
  }
  const decimalMark: DecimalMark = commas > dots ? ',' : '.';
  const given = ctx.options.dateOrder;
  if (given) return { dateOrder: given, decimalMark, dateOrderFrom: 'options' };
  const { DMY: dmy, MDY: mdy } = firstOf;
  if (dmy && mdy) {
    const [early, late] = dmy.line < mdy.line ? [dmy, mdy] : [mdy, dmy];
    throw importError(
      source.name,
      `the date "${late.text}" can only be ${late === dmy ? 'day' : 'month'}-first, but "${early.text}" at line ${early.line} can only be ${early === dmy ? 'day' : 'month'}-first: the dates disagree.`,
      late.line,
    );
  }
  if (dmy || mdy) return { dateOrder: dmy ? 'DMY' : 'MDY', decimalMark, dateOrderFrom: 'file' };
  const dateOrder = decimalMark === ',' ? 'DMY' : 'MDY';
  return {
    dateOrder,
    decimalMark,
    dateOrderFrom: 'guess',
    warning: {
      message: `no date shows whether the day or the month comes first: read as ${ORDER_NAMES[dateOrder]}${decimalMark === ',' ? ' since amounts use a decimal comma' : ''}; choose the order in the preview if that is wrong.`,
    },
  };
}
