/**
 * Instants as media and social exports give them, and the check that refuses absurd ones. These
 * services did not exist before 2000, and nothing was played or posted after the import started: a
 * time outside that range means a corrupt file (or a timestamp in the wrong unit), not a record.
 */
import { importError } from '../import-error.js';

/** 2000-01-01T00:00:00Z: older than any of these services. */
const EARLIEST = Date.UTC(2000, 0, 1);
/** Clock skew between the service and this machine. */
const FUTURE_SLACK = 24 * 3_600_000;

/** `2024-03-01T08:30:00Z`, with milliseconds only when there are some. */
export function isoInstant(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/**
 * The instant, checked: throws `import_invalid` naming the file and line when it is not a number,
 * before 2000 or in the future. `written` is the value as the file writes it, for the message.
 */
export function plausibleInstant(ms: number, written: string, file: string, line: number, now: number): number {
  if (!Number.isFinite(ms)) throw importError(file, `"${written}" is not a date.`, line);
  if (ms < EARLIEST || ms > now + FUTURE_SLACK) {
    throw importError(file, `the date "${written}" is absurd (before 2000 or in the future).`, line);
  }
  return ms;
}

const UTC_TEXT =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|([+-])(\d{2}):?(\d{2}))?$/;

/**
 * A date-time these exports write in UTC: `2024-03-09 19:45`, `2024-03-09 19:45:35`,
 * `2024-03-09T19:45:35Z`, `2024-03-09T19:45:35.123Z` (an explicit offset is applied). NaN for
 * anything else, including a day or an hour that does not exist (Date.UTC would roll 2024-02-30
 * over to March).
 */
export function parseUtcText(text: string): number {
  const m = UTC_TEXT.exec(text.trim());
  if (!m) return NaN;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Number(((m[7] ?? '') + '00').slice(0, 3));
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const d = new Date(wall);
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return NaN;
  if (m[9] === undefined) return wall;
  const offset = (Number(m[10]) * 60 + Number(m[11])) * 60_000;
  return m[9] === '+' ? wall - offset : wall + offset;
}
