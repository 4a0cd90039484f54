/**
 * One VEVENT (its properties and alarms, collected by the importer) made into a `calendar.event`.
 * Times: `VALUE=DATE` days stay days (all-day event, end excluded); `Z` times are instants; `TZID=`
 * times are read in the zone the resolver gives; floating times in the calendar's zone
 * (`X-WR-TIMEZONE`) or the space's. Recurrence is kept as a rule (RRULE, EXDATE, RDATE), not
 * expanded; an override (RECURRENCE-ID) is its own event, linked to its series by the UID.
 */
import { importError } from '../import-error.js';
import type { ContentLine } from './content-line.js';
import { paramUpper } from './content-line.js';
import { cut, emailFrom, fitText, normalizeUri } from './field-values.js';
import {
  DAY_MS,
  MINUTE_MS,
  dayString,
  instantString,
  parseDuration,
  parseIcalTime,
  type IcalTime,
} from './icalendar-values.js';
import { parseRecurrenceRule } from './recurrence-rule.js';
import { oneLine, splitEscaped, unescapeText } from './text-values.js';
import { localToUtc, type ZoneRules } from './zone-rules.js';

/** Years outside [1600, now + 100] are absurd for an event (1601 and 1604 appear as producers' "no date" markers). */
export const MIN_EVENT_YEAR = 1600;
export const MAX_EVENT_YEARS_AHEAD = 100;
const MAX_DATE_LIST = 1000;
const NO_TITLE = '(no title)';
const CATALOG_ZONE = /^[A-Za-z]+(\/[A-Za-z0-9_+-]+)*$/;

export interface VEvent {
  n: number;
  props: ContentLine[];
  /** TRIGGER lines of the event's VALARMs. */
  triggers: ContentLine[];
}

export interface EventEnv {
  file: string;
  now: number;
  calendarName: string | undefined;
  /** The zone of floating times, and its IANA name. */
  floating: { rules: ZoneRules; name: string };
  /** The zone of a TZID; unknown names fall back (and warn) in the caller. */
  zoneFor(tzid: string, line: number): { rules: ZoneRules; custom: boolean };
  warn(line: number, message: string): void;
}

export interface BuiltEvent {
  data: Record<string, unknown>;
  uid: string | undefined;
  /** The normalised RECURRENCE-ID (date or instant), for overrides. */
  recurrenceId: string | undefined;
}

/** A time resolved to a day (all-day) or an instant, with the zone its wall time was read in. */
interface Resolved {
  date: boolean;
  ms: number;
  /** Wall time (as UTC ms) when the value was local, for nominal day arithmetic. */
  wall: number | undefined;
  zone: ZoneRules | undefined;
  custom: boolean;
  utc: boolean;
}

const STATUS: Record<string, string> = { CONFIRMED: 'confirmed', TENTATIVE: 'tentative', CANCELLED: 'cancelled' };
const PARTSTAT: Record<string, string> = {
  'NEEDS-ACTION': 'needs_action',
  ACCEPTED: 'accepted',
  DECLINED: 'declined',
  TENTATIVE: 'tentative',
};

function all(event: VEvent, name: string): ContentLine[] {
  return event.props.filter((p) => p.name === name);
}

function one(event: VEvent, name: string): ContentLine | undefined {
  return event.props.find((p) => p.name === name);
}

export function buildEvent(event: VEvent, env: EventEnv): BuiltEvent | undefined {
  const maxYear = new Date(env.now).getUTCFullYear() + MAX_EVENT_YEARS_AHEAD;
  const outlookAllDay = one(event, 'X-MICROSOFT-CDO-ALLDAYEVENT')?.value.trim().toUpperCase() === 'TRUE';

  const parse = (line: ContentLine, raw: string): IcalTime => {
    const time = parseIcalTime(raw);
    if (!time) throw importError(env.file, `${line.name} "${quote(raw)}" is not a valid date or date-time`, line.n);
    if (time.year < MIN_EVENT_YEAR || time.year > maxYear) {
      throw importError(
        env.file,
        `${line.name} ${quote(raw)}: the year ${time.year} is not plausible for an event`,
        line.n,
      );
    }
    return time;
  };

  const resolve = (line: ContentLine, raw: string): Resolved => {
    const time = parse(line, raw);
    if (time.kind === 'date')
      return { date: true, ms: time.ms, wall: time.ms, zone: undefined, custom: false, utc: false };
    if (time.kind === 'utc')
      return { date: false, ms: time.ms, wall: undefined, zone: undefined, custom: false, utc: true };
    const tzid = line.params.get('TZID')?.[0];
    const zone = tzid === undefined ? { rules: env.floating.rules, custom: false } : env.zoneFor(tzid, line.n);
    return {
      date: false,
      ms: localToUtc(time.ms, zone.rules),
      wall: time.ms,
      zone: zone.rules,
      custom: zone.custom,
      utc: false,
    };
  };

  const format = (r: Resolved) => (r.date ? dayString(r.ms) : instantString(r.ms));

  const dtstartLine = one(event, 'DTSTART');
  if (!dtstartLine) {
    env.warn(event.n, 'an event without DTSTART has no date: it is skipped');
    return undefined;
  }
  let start = resolve(dtstartLine, dtstartLine.value);
  // Outlook writes some all-day events as midnight-to-midnight local times with this flag.
  const asDay = (r: Resolved): Resolved =>
    outlookAllDay && !r.date && !r.utc && r.wall !== undefined && r.wall % DAY_MS === 0
      ? { date: true, ms: r.wall, wall: r.wall, zone: undefined, custom: false, utc: false }
      : r;
  start = asDay(start);
  const allDay = start.date;

  let end: Resolved | undefined;
  const dtendLine = one(event, 'DTEND');
  const durationLine = one(event, 'DURATION');
  if (dtendLine) {
    end = asDay(resolve(dtendLine, dtendLine.value));
    if (end.date !== allDay) {
      env.warn(
        dtendLine.n,
        `DTEND ${quote(dtendLine.value)} is ${end.date ? 'a date' : 'a date-time'} but DTSTART is not: it is ignored`,
      );
      end = undefined;
    }
  } else if (durationLine) {
    const duration = parseDuration(durationLine.value);
    if (!duration) {
      env.warn(durationLine.n, `DURATION "${quote(durationLine.value)}" is not a duration: it is ignored`);
    } else if (duration.negative) {
      env.warn(durationLine.n, `DURATION ${quote(durationLine.value)} is negative: it is ignored`);
    } else if (allDay) {
      end = { ...start, ms: start.ms + Math.max(1, duration.days) * DAY_MS };
    } else {
      // Days are nominal (same wall time on a later day), hours exact (RFC 5545 §3.3.6).
      const base =
        duration.days === 0
          ? start.ms
          : start.zone && start.wall !== undefined
            ? localToUtc(start.wall + duration.days * DAY_MS, start.zone)
            : start.ms + duration.days * DAY_MS;
      end = { ...start, ms: base + duration.ms };
    }
  }
  if (allDay) {
    if (!end || end.ms === start.ms) {
      end = { ...start, ms: start.ms + DAY_MS };
    } else if (end.ms < start.ms) {
      env.warn(
        dtendLine?.n ?? event.n,
        `the event ends (${format(end)}) before it starts (${format(start)}): it is kept as a one-day event`,
      );
      end = { ...start, ms: start.ms + DAY_MS };
    }
  } else if (end && end.ms < start.ms) {
    env.warn(
      dtendLine?.n ?? event.n,
      `the event ends (${format(end)}) before it starts (${format(start)}): its end is dropped`,
    );
    end = undefined;
  }

  const data: Record<string, unknown> = {};
  const extra: Record<string, unknown> = {};
  const uidLine = one(event, 'UID');
  const uid = uidLine ? unescapeText(uidLine.value).trim() || undefined : undefined;
  if (uid !== undefined) {
    if (uid.length <= 255) data.uid = uid;
    else extra.uid = uid;
  }

  const summary = one(event, 'SUMMARY');
  const title = summary ? oneLine(unescapeText(summary.value)) : '';
  data.title = title ? fitText(title, 500, 'SUMMARY', summary!.n, env.warn) : NO_TITLE;
  if (allDay) data.allDay = true;
  data.start = format(start);
  if (end) data.end = format(end);
  if (!allDay) {
    const iana = start.utc ? 'UTC' : start.zone?.iana;
    // The catalog takes Area/Location names; legacy ones such as EST5EDT stay in extra.
    if (iana !== undefined && CATALOG_ZONE.test(iana)) data.timeZone = iana;
    else if (iana !== undefined) extra.tzid = iana;
    if (start.custom) extra.tzid = dtstartLine.params.get('TZID')?.[0];
  }

  const location = one(event, 'LOCATION');
  if (location) {
    const text = unescapeText(location.value).trim();
    if (text) data.location = fitText(text, 500, 'LOCATION', location.n, env.warn);
  }
  const description = one(event, 'DESCRIPTION');
  if (description) {
    const text = unescapeText(description.value).trim();
    if (text) data.description = fitText(text, 20000, 'DESCRIPTION', description.n, env.warn);
  }
  const status = STATUS[one(event, 'STATUS')?.value.trim().toUpperCase() ?? ''];
  if (status) data.status = status;
  const transp = one(event, 'TRANSP')?.value.trim().toUpperCase();
  if (transp === 'OPAQUE') data.busy = true;
  else if (transp === 'TRANSPARENT') data.busy = false;

  const rrules = all(event, 'RRULE');
  if (rrules.length > 0) {
    const parsed = parseRecurrenceRule(rrules[0]!.value);
    if (parsed.ok) data.recurrence = parsed.rule;
    else
      env.warn(
        rrules[0]!.n,
        `the recurrence rule "${quote(rrules[0]!.value)}" is not valid (${parsed.reason}): the event is kept as a single occurrence`,
      );
    if (rrules.length > 1) env.warn(rrules[1]!.n, 'only the first of several RRULEs is kept');
  }
  const dateList = (name: 'EXDATE' | 'RDATE'): string[] => {
    const out = new Set<string>();
    for (const line of all(event, name)) {
      const period = paramUpper(line, 'VALUE') === 'PERIOD';
      for (const item of line.value.split(',')) {
        const raw = period ? item.split('/')[0]! : item;
        if (!raw.trim()) continue;
        out.add(format(resolve(line, raw)));
      }
    }
    const sorted = [...out].sort();
    if (sorted.length > MAX_DATE_LIST) {
      env.warn(event.n, `only the first ${MAX_DATE_LIST} of ${sorted.length} ${name} dates are kept`);
      sorted.length = MAX_DATE_LIST;
    }
    return sorted;
  };
  const exdates = dateList('EXDATE');
  if (exdates.length > 0) data.exceptionDates = exdates;
  const rdates = dateList('RDATE');
  if (rdates.length > 0) data.recurrenceDates = rdates;

  let recurrenceId: string | undefined;
  const ridLine = one(event, 'RECURRENCE-ID');
  if (ridLine) {
    recurrenceId = format(resolve(ridLine, ridLine.value));
    data.recurrenceId = recurrenceId;
    if (paramUpper(ridLine, 'RANGE') === 'THISANDFUTURE') extra.recurrenceRange = 'THISANDFUTURE';
  }

  if (env.calendarName) data.calendar = env.calendarName;

  const categories = new Set<string>();
  for (const line of all(event, 'CATEGORIES')) {
    for (const part of splitEscaped(line.value, ',')) {
      const text = oneLine(unescapeText(part));
      if (text) categories.add(cut(text, 100));
    }
  }
  if (categories.size > 0) data.categories = [...categories].slice(0, 20);

  const organizerLine = one(event, 'ORGANIZER');
  if (organizerLine) {
    const person = personOf(organizerLine);
    if (person) data.organizer = person;
  }
  const attendees: Record<string, unknown>[] = [];
  for (const line of all(event, 'ATTENDEE')) {
    const person = personOf(line);
    if (!person) continue;
    const answer = PARTSTAT[paramUpper(line, 'PARTSTAT') ?? ''];
    attendees.push(answer ? { ...person, status: answer } : person);
  }
  if (attendees.length > 500) env.warn(event.n, `only the first 500 of ${attendees.length} attendees are kept`);
  if (attendees.length > 0) data.attendees = attendees.slice(0, 500);

  const reminders = new Set<number>();
  for (const trigger of event.triggers) {
    const minutes = reminderMinutes(trigger, start);
    if (minutes !== undefined) reminders.add(minutes);
  }
  if (reminders.size > 0) data.reminderMinutes = [...reminders].sort((a, b) => a - b).slice(0, 10);

  const urlLine = one(event, 'URL');
  if (urlLine) {
    const url = normalizeUri(unescapeText(urlLine.value));
    if (url) data.url = url;
    else env.warn(urlLine.n, `URL "${quote(urlLine.value)}" is not a valid address: it is ignored`);
  }

  const klass = one(event, 'CLASS')?.value.trim().toUpperCase();
  if (klass && klass !== 'PUBLIC' && /^[A-Z-]{1,40}$/.test(klass)) extra.class = klass;
  if (Object.keys(extra).length > 0) data.extra = extra;
  return { data, uid, recurrenceId };
}

/** `CN=Marie Dupont:mailto:marie@example.fr` as `{ name, email }`; undefined when it has neither. */
function personOf(line: ContentLine): { name?: string; email?: string } | undefined {
  const email = emailFrom(line.value) ?? emailFrom(line.params.get('EMAIL')?.[0] ?? '');
  const cn = oneLine(line.params.get('CN')?.[0] ?? '');
  const person: { name?: string; email?: string } = {};
  if (cn) person.name = cut(cn, 200);
  if (email) person.email = email;
  return person.name || person.email ? person : undefined;
}

/** Minutes before the start of a VALARM TRIGGER (`-PT15M`, or an absolute time), when it is before the start. */
function reminderMinutes(trigger: ContentLine, start: Resolved): number | undefined {
  if (paramUpper(trigger, 'RELATED') === 'END') return undefined;
  let before: number;
  if (paramUpper(trigger, 'VALUE') === 'DATE-TIME') {
    const at = parseIcalTime(trigger.value);
    if (!at || at.kind !== 'utc') return undefined;
    before = start.ms - at.ms;
  } else {
    const d = parseDuration(trigger.value);
    if (!d) return undefined;
    const length = d.days * DAY_MS + d.ms;
    before = d.negative ? length : -length;
  }
  const minutes = before / MINUTE_MS;
  return Number.isInteger(minutes) && minutes >= 0 && minutes <= 40320 ? Math.abs(minutes) : undefined;
}

/** A value quoted in a message, kept short. */
function quote(value: string): string {
  const text = value.trim();
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
