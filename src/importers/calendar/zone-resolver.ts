/**
 * Which zone a `TZID` means, in this order:
 * 1. an IANA name (`Europe/Paris`);
 * 2. a Windows name or display name, as Outlook and Exchange write them (`Romance Standard Time`);
 * 3. an IANA name behind a path prefix, as old Mozilla and libical wrote them
 *    (`/mozilla.org/20050126_1/Europe/Paris`, `/freeassociation.sourceforge.net/Tzfile/Europe/Paris`);
 * 4. the calendar's own VTIMEZONE of that name: its `X-LIC-LOCATION` when that is an IANA name,
 *    else offsets computed from its STANDARD/DAYLIGHT rules.
 * A name resolved by 1-3 never needs the VTIMEZONE: the IANA database knows past rule changes
 * that a VTIMEZONE written today does not carry.
 */
import { createWindowsZoneTable } from './windows-zones.js';
import { ianaRules, isIanaZone, type ZoneRules } from './zone-rules.js';

export interface ZoneResolver {
  /** The zone a TZID names, or undefined when nothing known or defined matches it (yet). */
  resolve(tzid: string): ZoneRules | undefined;
  /** Only IANA, Windows or prefixed names (steps 1-3). */
  known(tzid: string): ZoneRules | undefined;
  /** Records a VTIMEZONE of the current calendar. */
  define(tzid: string, rules: ZoneRules | undefined, location: string | undefined): void;
  /** A new VCALENDAR starts: its VTIMEZONEs are its own. */
  resetDefinitions(): void;
}

export function cleanTzid(tzid: string): string {
  return tzid
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .trim();
}

export function createZoneResolver(): ZoneResolver {
  const windows = createWindowsZoneTable();
  const knownCache = new Map<string, ZoneRules | null>();
  let defined = new Map<string, ZoneRules>();

  const known = (raw: string): ZoneRules | undefined => {
    const tzid = cleanTzid(raw);
    const cached = knownCache.get(tzid);
    if (cached !== undefined) return cached ?? undefined;
    let found: ZoneRules | undefined;
    if (isIanaZone(tzid)) found = ianaRules(tzid);
    if (!found) {
      const iana = windows.ianaFor(tzid);
      if (iana && isIanaZone(iana)) found = ianaRules(iana);
    }
    if (!found && tzid.includes('/')) {
      const segments = tzid.split('/').filter(Boolean);
      // Down to an Area/Location pair: a last segment alone ("Utc") is not taken for a zone.
      for (let i = 1; i < segments.length - 1 && !found; i++) {
        const candidate = segments.slice(i).join('/');
        if (isIanaZone(candidate)) found = ianaRules(candidate);
      }
    }
    if (knownCache.size < 1000) knownCache.set(tzid, found ?? null);
    return found;
  };

  return {
    known,
    resolve(raw) {
      return known(raw) ?? defined.get(cleanTzid(raw));
    },
    define(raw, rules, location) {
      const tzid = cleanTzid(raw);
      if (defined.size >= 1000) return;
      const byLocation = location !== undefined && isIanaZone(location.trim()) ? ianaRules(location.trim()) : undefined;
      const chosen = byLocation ?? rules;
      if (chosen) defined.set(tzid, chosen);
    },
    resetDefinitions() {
      defined = new Map();
    },
  };
}
