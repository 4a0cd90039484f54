/**
 * TEXT values of iCalendar and vCard 3.0/4.0: backslash escapes, and lists or structured values
 * split on separators that are not escaped. Shared by the calendar and contacts importers.
 */

/** `\\` `\;` `\,` `\n` `\N` and the `\:` that Apple writes in URLs; an unknown escape is kept as written. */
export function unescapeText(value: string): string {
  if (!value.includes('\\')) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c !== '\\' || i === value.length - 1) {
      out += c;
      continue;
    }
    const next = value[++i]!;
    if (next === 'n' || next === 'N') out += '\n';
    else if (next === '\\' || next === ';' || next === ',' || next === ':') out += next;
    else out += `\\${next}`;
  }
  return out;
}

/** Splits on `separator` where it is not escaped by a backslash; parts are returned still escaped. */
export function splitEscaped(value: string, separator: ';' | ','): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === separator) {
      parts.push(value.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(value.slice(start));
  return parts;
}

/** Text cleaned for a one-line field: escapes resolved, line breaks and runs of spaces made one space. */
export function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}
