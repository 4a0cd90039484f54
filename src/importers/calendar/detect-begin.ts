/**
 * Detection of iCalendar and vCard files by content: the first line that is not blank is
 * `BEGIN:VCALENDAR` or `BEGIN:VCARD` (any case, after a byte order mark, spaces tolerated
 * around the colon). The file name plays no part.
 */
import type { ImportSample } from '../importer.js';

export function detectBegin(sample: ImportSample, component: 'VCALENDAR' | 'VCARD'): number {
  const text = sample.text.replace(/^\uFEFF/, '').trimStart();
  const firstLine = /^[^\r\n]*/.exec(text)?.[0] ?? '';
  const m = /^BEGIN[ \t]*:[ \t]*([A-Za-z]+)[ \t]*$/i.exec(firstLine);
  return m && m[1]!.toUpperCase() === component ? 1 : 0;
}
