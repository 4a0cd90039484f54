/**
 * iCalendar (RFC 5545) files into `calendar.event` documents, one VEVENT at a time: the importer
 * keeps the open components, the current calendar's time zones and the one event being read.
 * Several VCALENDARs may follow each other in a file. Natural key: `uid:<UID>` (with
 * `|rid:<RECURRENCE-ID>` for an override of one occurrence); events without UID get a
 * fingerprint (see docs/importers/calendar-contacts.md).
 */
import { importError } from '../import-error.js';
import type { Importer, ImportRecord, ImportSource, ParseContext } from '../importer.js';
import { createCappedWarnings } from './capped-warnings.js';
import { createComponentBudget } from './component-budget.js';
import { parseContentLine, type ContentLine } from './content-line.js';
import { contentLines, linePreview } from './content-lines.js';
import { detectBegin } from './detect-begin.js';
import { createFingerprintKeys } from './fingerprint-keys.js';
import { cut } from './field-values.js';
import { buildEvent, type EventEnv, type VEvent } from './icalendar-event.js';
import { oneLine, unescapeText } from './text-values.js';
import { vtimezoneRules, type ObservanceInput } from './vtimezone.js';
import { cleanTzid, createZoneResolver } from './zone-resolver.js';
import { ianaRules, type ZoneRules } from './zone-rules.js';

/** A logical line longer than this is cut (descriptions are at most 20,000 characters anyway). */
const MAX_LINE_BYTES = 256 * 1024;
/** Lines and characters kept per component; more is a broken or hostile file. */
const COMPONENT_LIMITS = { lines: 5000, chars: 4_000_000 };
const MAX_DEPTH = 8;
/** Events (and their characters) waiting for a VTIMEZONE defined after them, per calendar. */
const MAX_PENDING = { events: 10_000, chars: 16_000_000 };

interface Open {
  name: string;
  n: number;
}

interface TimezoneInProgress {
  n: number;
  props: ContentLine[];
  observances: ObservanceInput[];
  current: ObservanceInput | undefined;
}

export const icalendarImporter: Importer = {
  id: 'icalendar',
  title: 'iCalendar calendar (.ics): events with recurrence rules, exceptions and time zones',
  doctypes: ['calendar.event'],
  detect: (sample) => detectBegin(sample, 'VCALENDAR'),
  parse: parseIcalendar,
};

async function* parseIcalendar(source: ImportSource, ctx: ParseContext): AsyncIterable<ImportRecord> {
  const file = source.name;
  const warnings = createCappedWarnings(ctx);
  const warn = (line: number, message: string) => warnings.warn(line, message);
  const zones = createZoneResolver();
  const spaceZone = { rules: ianaRules(ctx.timeZone), name: ctx.timeZone };
  const warnedZones = new Set<string>();
  // UID keys seen, to refuse repeats; fingerprint keys are unique by construction (their counter).
  const seenUids = new Map<string, number>();
  const fingerprint = createFingerprintKeys();
  const ignored = new Map<string, number>();

  const stack: Open[] = [];
  let sawCalendar = false;
  let calendarName: string | undefined;
  let floating = spaceZone;
  let event: (VEvent & { alarm: boolean }) | undefined;
  let timezone: TimezoneInProgress | undefined;
  let pending: VEvent[] = [];
  let pendingChars = 0;

  const env = (final: boolean): EventEnv => ({
    file,
    now: ctx.now,
    calendarName,
    floating,
    warn,
    zoneFor(tzid, line) {
      const rules = zones.resolve(tzid);
      if (rules) return { rules, custom: !rules.iana };
      const name = cleanTzid(tzid);
      if (!warnedZones.has(name) && warnedZones.size < 100) {
        warnedZones.add(name);
        warn(
          line,
          `the time zone "${cut(name, 60)}" is neither an IANA nor a Windows zone and the file does not define it${final ? '' : ' before its end'}: its times are read in ${floating.name}`,
        );
      }
      return { rules: floating.rules, custom: false };
    },
  });

  /** True when the event names a zone that only a VTIMEZONE further on could define. */
  const waitsForZone = (e: VEvent): boolean =>
    e.props.some((p) => {
      const tzid = p.params.get('TZID')?.[0];
      return tzid !== undefined && zones.resolve(tzid) === undefined;
    });

  function* emit(e: VEvent, final: boolean): Iterable<ImportRecord> {
    const built = buildEvent(e, env(final));
    if (!built) return;
    const key = keyOf(built.data, built.uid, built.recurrenceId, fingerprint);
    const earlier = built.uid === undefined ? undefined : seenUids.get(key);
    if (earlier !== undefined) {
      warn(
        e.n,
        `this event repeats the one at line ${earlier} (same UID${built.recurrenceId ? ' and RECURRENCE-ID' : ''}): it is skipped`,
      );
      return;
    }
    if (built.uid !== undefined) seenUids.set(key, e.n);
    yield { kind: 'document', doctype: 'calendar.event', key, data: built.data, line: e.n };
  }

  const budget = createComponentBudget(COMPONENT_LIMITS, (line) => {
    const open = stack[1] ?? stack[0]!;
    warn(
      line.n,
      `the ${open.name} begun at line ${open.n} holds more than 5,000 lines or 4 MB of text: the rest is ignored`,
    );
  });
  const addProperty = (props: ContentLine[], line: ContentLine) => {
    if (budget.admit(line)) props.push(line);
  };

  for await (const raw of contentLines(source, {
    quotedPrintable: false,
    skipValuesOf: new Set(['ATTACH']),
    maxLineBytes: MAX_LINE_BYTES,
  })) {
    const line = parseContentLine(raw);
    if (!line) {
      warn(raw.n, `"${linePreview(raw.bytes)}" is not an iCalendar line (NAME:value): it is skipped`);
      continue;
    }
    if (line.truncated)
      warn(line.n, `the ${line.name} line is longer than ${MAX_LINE_BYTES / 1024} KB: its end was dropped`);
    const top = stack[stack.length - 1];

    if (line.name === 'BEGIN') {
      const name = line.value.trim().toUpperCase();
      if (stack.length === 0 && name !== 'VCALENDAR') {
        throw importError(file, `BEGIN:${cut(name, 40)} appears outside a VCALENDAR`, line.n);
      }
      if (stack.length > 0 && name === 'VCALENDAR') {
        throw importError(file, `a VCALENDAR begins inside the ${top!.name} begun at line ${top!.n}`, line.n);
      }
      if (stack.length >= MAX_DEPTH)
        throw importError(file, `components are nested more than ${MAX_DEPTH} deep`, line.n);
      stack.push({ name, n: line.n });
      const depth = stack.length;
      if (depth === 2) budget.reset();
      if (name === 'VCALENDAR') {
        sawCalendar = true;
        calendarName = undefined;
        floating = spaceZone;
        zones.resetDefinitions();
      } else if (depth === 2 && name === 'VEVENT') {
        event = { n: line.n, props: [], triggers: [], alarm: false };
      } else if (depth === 2 && name === 'VTIMEZONE') {
        timezone = { n: line.n, props: [], observances: [], current: undefined };
      } else if (depth === 3 && event && name === 'VALARM') {
        event.alarm = true;
      } else if (depth === 3 && timezone && (name === 'STANDARD' || name === 'DAYLIGHT')) {
        timezone.current = { n: line.n, props: [] };
      } else if (depth === 2) {
        ignored.set(name, (ignored.get(name) ?? 0) + 1);
      }
      continue;
    }

    if (line.name === 'END') {
      const name = line.value.trim().toUpperCase();
      if (!top) throw importError(file, `END:${cut(name, 40)} closes nothing`, line.n);
      if (top.name !== name) {
        throw importError(file, `END:${cut(name, 40)} does not close the ${top.name} begun at line ${top.n}`, line.n);
      }
      stack.pop();
      const depth = stack.length + 1;
      if (name === 'VCALENDAR') {
        for (const waiting of pending) yield* emit(waiting, true);
        pending = [];
        pendingChars = 0;
      } else if (depth === 2 && name === 'VEVENT' && event) {
        const done = event;
        event = undefined;
        const chars = done.props.reduce((sum, p) => sum + p.value.length, 0);
        // Past the bound, an event is read at once, its unknown zone falling back with a warning.
        if (waitsForZone(done) && pending.length < MAX_PENDING.events && pendingChars + chars <= MAX_PENDING.chars) {
          pending.push(done);
          pendingChars += chars;
        } else {
          yield* emit(done, false);
        }
      } else if (depth === 2 && name === 'VTIMEZONE' && timezone) {
        defineZone(timezone);
        timezone = undefined;
      } else if (depth === 3 && name === 'VALARM' && event) {
        event.alarm = false;
      } else if (depth === 3 && timezone?.current) {
        timezone.observances.push(timezone.current);
        timezone.current = undefined;
      }
      continue;
    }

    const depth = stack.length;
    if (depth === 0) {
      warn(line.n, `${line.name} appears outside a VCALENDAR: it is skipped`);
    } else if (depth === 1) {
      readCalendarProperty(line);
    } else if (event && depth === 2) {
      addProperty(event.props, line);
    } else if (event?.alarm && depth === 3 && line.name === 'TRIGGER') {
      if (event.triggers.length < 20) event.triggers.push(line);
    } else if (timezone && depth === 2) {
      addProperty(timezone.props, line);
    } else if (timezone?.current && depth === 3) {
      addProperty(timezone.current.props, line);
    }
  }

  if (stack.length > 0) {
    const open = stack[stack.length - 1]!;
    throw importError(file, `the file ends inside the ${open.name} begun at line ${open.n}: it is truncated`);
  }
  if (!sawCalendar) throw importError(file, 'there is no BEGIN:VCALENDAR in this file');
  for (const [name, count] of ignored) {
    warnings.warn(undefined, `${count} ${name} component${count > 1 ? 's are' : ' is'} not imported (only events are)`);
  }
  warnings.finish();

  function readCalendarProperty(line: ContentLine): void {
    if (line.name === 'X-WR-CALNAME' || (line.name === 'NAME' && calendarName === undefined)) {
      const name = oneLine(unescapeText(line.value));
      if (name) calendarName = cut(name, 200);
    } else if (line.name === 'X-WR-TIMEZONE') {
      const name = line.value.trim();
      const rules: ZoneRules | undefined = zones.known(name);
      if (rules?.iana) floating = { rules, name: rules.iana };
      else
        warn(
          line.n,
          `X-WR-TIMEZONE "${cut(name, 60)}" is not a known time zone: floating times are read in ${floating.name}`,
        );
    }
  }

  function defineZone(tz: TimezoneInProgress): void {
    const tzid = tz.props.find((p) => p.name === 'TZID')?.value;
    if (!tzid?.trim()) {
      warn(tz.n, 'a VTIMEZONE without TZID is ignored');
      return;
    }
    const problems: { line: number; message: string }[] = [];
    const rules = zones.known(tzid) ? undefined : vtimezoneRules(tz.observances, problems);
    for (const p of problems) warn(p.line, p.message);
    const location = tz.props.find((p) => p.name === 'X-LIC-LOCATION')?.value;
    zones.define(tzid, rules, location);
  }
}

/**
 * `uid:<UID>`, `uid:<UID>|rid:<RECURRENCE-ID>`, or for an event without UID a fingerprint of its
 * start, title (lower case) and recurrence id.
 */
function keyOf(
  data: Record<string, unknown>,
  uid: string | undefined,
  recurrenceId: string | undefined,
  fingerprint: (parts: readonly string[]) => string,
): string {
  if (uid !== undefined) return recurrenceId === undefined ? `uid:${uid}` : `uid:${uid}|rid:${recurrenceId}`;
  return fingerprint([String(data.start), String(data.title).normalize('NFC').toLowerCase(), recurrenceId ?? '']);
}
