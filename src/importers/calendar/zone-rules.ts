/**
 * A time zone as the calendar importer needs it: the UTC offset at any instant, from the IANA
 * database (through Intl) or from a VTIMEZONE's own rules, and local wall times turned into
 * instants the way RFC 5545 §3.3.5 says: a time repeated when clocks go back is its first
 * occurrence; a time skipped when clocks go forward is read with the offset before the gap.
 */
import { utcOffset } from '../../core/time/time-zone.js';
import { DAY_MS } from './icalendar-values.js';

export interface ZoneRules {
  /** The IANA name, when the zone is one. */
  iana?: string;
  /** Local time minus UTC, in ms, at this instant. */
  offsetAt(utcMs: number): number;
}

/**
 * True for a zone name Intl knows. Goes through `utcOffset`, whose per-zone memo makes the check
 * of an already seen name free (building an Intl formatter costs about half a millisecond).
 */
export function isIanaZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(name)) return false;
  try {
    utcOffset(0, name);
    return true;
  } catch {
    return false;
  }
}

export function ianaRules(name: string): ZoneRules {
  return { iana: name, offsetAt: (t) => utcOffset(t, name) };
}

/** The instant of a wall time (`localMs`: the wall time counted as UTC) in `zone`. */
export function localToUtc(localMs: number, zone: ZoneRules): number {
  // Offsets a day either side: a zone changes at most once in two days.
  const before = zone.offsetAt(localMs - DAY_MS);
  const after = zone.offsetAt(localMs + DAY_MS);
  const a = localMs - before;
  const b = localMs - after;
  const aFits = zone.offsetAt(a) === before;
  const bFits = zone.offsetAt(b) === after;
  if (aFits && bFits) return Math.min(a, b);
  if (aFits) return a;
  if (bFits) return b;
  return a;
}
