/**
 * Amounts as banks print them in CSV exports: `-1 234,56`, `+3500,00`, `1.234,56`, `1,234.56`,
 * `(12.50)`, `12,50 €`, `EUR 12.50`, `123,45-`; thousands grouped by a space, a no-break space
 * (U+00A0), a narrow no-break space (U+202F), a thin space, a dot, a comma or an apostrophe.
 */

export type DecimalMark = ',' | '.';

const PLAIN = /^[+-]?\d{1,12}(?:[.,]\d{1,2})?$/;
const GROUP_SPACE = /[\s\u00a0\u202f\u2009'\u2019]/g;
/** A currency around the number: a symbol, an upper-case ISO code, or the word euro(s). */
const CURRENCY_BEFORE = /^(?:[€$£¥]|[A-Z]{3}|[Ee][Uu][Rr][Oo][Ss]?)\s*/;
const CURRENCY_AFTER = /\s*(?:[€$£¥]|[A-Z]{3}|[Ee][Uu][Rr][Oo][Ss]?)$/;

/** Digits for each decimal mark: plain, grouped by the other mark, or grouped by spaces (normalised to ' '). */
const SHAPES: Record<DecimalMark, RegExp[]> = {
  ',': [/^\d*(?:,\d+)?$/, /^\d{1,3}(?:\.\d{3})+(?:,\d+)?$/, /^\d{1,3}(?: \d{3})+(?:,\d+)?$/],
  '.': [/^\d*(?:\.\d+)?$/, /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/, /^\d{1,3}(?: \d{3})+(?:\.\d+)?$/],
};

/**
 * The signed amount written in `text`, rounded to cents, or null when it is not an amount. The
 * file's decimal mark is tried first; a number that cannot be read with it but can with the other
 * mark is read with the other (a BoursoBank balance `37.29` in a file of `-8,99`), so only the
 * truly ambiguous `1.234` / `1,234` depend on the mark.
 */
export function parseAmount(text: string, mark: DecimalMark): number | null {
  // Most cells are plain (`-54,20`, `2500.00`): one or two decimals cannot be a thousands group.
  if (PLAIN.test(text)) return Math.round(Number(text.replace(',', '.')) * 100) / 100 || 0;
  const parts = splitAmount(text);
  if (parts === null) return null;
  const value = readDigits(parts.digits, mark) ?? readDigits(parts.digits, mark === ',' ? '.' : ',');
  if (value === null) return null;
  const cents = Math.round(value * 100) / 100;
  return parts.negative ? -cents || 0 : cents;
}

/** Which decimal mark a written amount proves, if any: `12,50` proves a comma, `1,234.56` a dot, `1.234` nothing. */
export function decimalMarkOf(text: string): DecimalMark | null {
  const parts = splitAmount(text);
  if (parts === null) return null;
  const d = parts.digits;
  const lastComma = d.lastIndexOf(',');
  const lastDot = d.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) return lastComma > lastDot ? ',' : '.';
  const at = Math.max(lastComma, lastDot);
  if (at < 0) return null;
  const sep = d[at] as DecimalMark;
  const decimals = d.length - at - 1;
  // Two of the same separator can only be thousands groups.
  if (d.indexOf(sep) !== at) return sep === ',' ? '.' : ',';
  if (decimals === 3) return null;
  return sep;
}

const SYMBOLS: Record<string, string> = { '€': 'EUR', $: 'USD', '£': 'GBP', '¥': 'JPY' };
const CODE_AROUND = /^([A-Z]{3})(?=[\s\d+\-\u2212(])|(?<=[\d\s)])([A-Z]{3})$/;

/** The currency an amount is written in, when it says (`12,50 €`, `-$200.00`, `EUR 12.50`), as an ISO 4217 code. */
export function currencyMarkOf(text: string): string | null {
  const t = text.trim();
  for (const [symbol, code] of Object.entries(SYMBOLS)) if (t.includes(symbol)) return code;
  if (/\beuros?\b/i.test(t)) return 'EUR';
  const m = CODE_AROUND.exec(t);
  return m ? (m[1] ?? m[2]!) : null;
}

interface AmountParts {
  negative: boolean;
  /** Digits and separators only, spaces between groups normalised to ' '. */
  digits: string;
}

function splitAmount(text: string): AmountParts | null {
  let s = text.trim();
  if (s === '') return null;
  let negative = false;
  if (s.startsWith('(') && s.endsWith(')')) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  // Sign and currency may come in either order on either side: "-12,50 €", "€-12.50", "- EUR 12", "12,50-".
  for (let i = 0; i < 3; i++) {
    const before = s;
    const c = s.charCodeAt(0);
    if (c === 45 || c === 0x2212) {
      if (negative) return null;
      negative = true;
      s = s.slice(1).trimStart();
    } else if (c === 43) {
      s = s.slice(1).trimStart();
    } else {
      s = s.replace(CURRENCY_BEFORE, '');
    }
    if (s === before) break;
  }
  for (let i = 0; i < 3; i++) {
    const before = s;
    const c = s.charCodeAt(s.length - 1);
    if (c === 45 || c === 0x2212) {
      if (negative) return null;
      negative = true;
      s = s.slice(0, -1).trimEnd();
    } else {
      s = s.replace(CURRENCY_AFTER, '');
    }
    if (s === before) break;
  }
  if (s === '' || !/\d/.test(s)) return null;
  return { negative, digits: s.replace(GROUP_SPACE, ' ') };
}

function readDigits(digits: string, mark: DecimalMark): number | null {
  for (const shape of SHAPES[mark]) {
    if (!shape.test(digits)) continue;
    const plain = mark === ',' ? digits.replace(/[. ]/g, '').replace(',', '.') : digits.replace(/[, ]/g, '');
    const value = Number(plain);
    return Number.isFinite(value) ? value : null;
  }
  return null;
}
