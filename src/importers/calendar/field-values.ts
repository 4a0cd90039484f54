/**
 * Values made to fit the catalog's rules, shared by the calendar and contacts importers: text cut
 * to a field's length (with a warning), e-mail addresses and URIs checked with the very format
 * checks the catalog's validator uses.
 */
import { fullFormats } from 'ajv-formats/dist/formats.js';

const EMAIL = fullFormats.email as RegExp;
const URI = fullFormats.uri as (value: string) => boolean;

/** At most `max` characters (code points), never ending in half a surrogate pair. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max).join('');
}

/** `text` cut to `max` characters; a warning says what was cut. */
export function fitText(
  text: string,
  max: number,
  what: string,
  line: number,
  warn: (line: number, message: string) => void,
): string {
  const out = cut(text, max);
  if (out.length < text.length) warn(line, `${what} is longer than ${max} characters: it was cut`);
  return out;
}

export function isEmail(value: string): boolean {
  return value.length <= 320 && EMAIL.test(value);
}

/** An e-mail address from `mailto:` URIs or bare text, or undefined when it is not one. */
export function emailFrom(value: string): string | undefined {
  let text = value.trim().replace(/^mailto:/i, '');
  if (text.includes('%')) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return undefined;
    }
  }
  text = text.split('?')[0]!.trim();
  return isEmail(text) ? text : undefined;
}

/** A URI the catalog accepts (non-ASCII characters percent-encoded), or undefined. */
export function normalizeUri(value: string): string | undefined {
  const text = value.trim();
  if (!text || text.length > 2000) return undefined;
  let href: string;
  try {
    href = new URL(text).href;
  } catch {
    return undefined;
  }
  // URL adds a trailing slash to bare origins; keep what the file said when that is the only change.
  const out = href === `${text}/` ? text : href;
  return out.length <= 2000 && URI(out) ? out : undefined;
}
