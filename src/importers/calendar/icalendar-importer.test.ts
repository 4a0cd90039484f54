import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectionOf, expectCatalogValid, runImporter, type RunResult } from '../../testing/importers.js';
import { icalendarImporter } from './icalendar-importer.js';
import { importRejection, streamThrough } from './import-test-helpers.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const run = (bytes: Uint8Array | string, opts: { timeZone?: string } = {}) =>
  runImporter(icalendarImporter, bytes, { name: 'agenda.ics', ...opts });

function byKey(result: RunResult, key: string): Record<string, unknown> {
  const record = result.records.find((r) => r.kind === 'document' && r.key === key);
  expect(record, key).toBeDefined();
  return record!.data;
}

/** A minimal calendar around some event lines. */
const ics = (...eventLines: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', ...eventLines, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

describe('icalendarImporter.detect', () => {
  it('recognises BEGIN:VCALENDAR in any case, after a byte order mark or blank lines', async () => {
    expect(await detectionOf(icalendarImporter, fixture('google-calendar.ics'))).toBe(1);
    expect(await detectionOf(icalendarImporter, fixture('multi-calendar.ics'))).toBe(1);
    expect(await detectionOf(icalendarImporter, '\r\n\r\n  begin:vcalendar\r\nVERSION:2.0\r\n')).toBe(1);
  });

  it('claims neither vCards nor plain text, JSON, XML or CSV', async () => {
    for (const other of [
      'BEGIN:VCARD\r\nVERSION:3.0\r\nEND:VCARD\r\n',
      'Calendrier du mois\nBEGIN:VCALENDAR\n',
      '{"events":[{"summary":"BEGIN:VCALENDAR"}]}',
      '<?xml version="1.0"?><calendar>BEGIN:VCALENDAR</calendar>',
      'date;libelle;montant\n2024-03-01;BEGIN:VCALENDAR;12,00\n',
      '',
    ]) {
      expect(await detectionOf(icalendarImporter, other), other).toBe(0);
    }
  });
});

describe('icalendarImporter on a Google Calendar export', () => {
  it('reads a weekly series in Europe/Paris with its exceptions across the clock change', async () => {
    const result = await run(fixture('google-calendar.ics'));
    await expectCatalogValid(result.records);
    expect(byKey(result, 'uid:piscine-2024@google.com')).toEqual({
      uid: 'piscine-2024@google.com',
      title: 'Piscine',
      start: '2024-03-06T17:30:00Z',
      end: '2024-03-06T18:30:00Z',
      timeZone: 'Europe/Paris',
      location: 'Piscine municipale, 12 avenue Jean Jaurès, Lyon',
      description: 'Bonnet obligatoire, lunettes conseillées.\nTarif : 3,50 € ; carte 10 entrées\\abonnement',
      status: 'confirmed',
      busy: true,
      recurrence: 'FREQ=WEEKLY;BYDAY=WE;UNTIL=20240626T163000Z',
      // 18:30 is 17:30Z in winter and 16:30Z once summer time starts on 31 March.
      exceptionDates: ['2024-03-20T17:30:00Z', '2024-04-03T16:30:00Z'],
      calendar: 'Famille',
      categories: ['Sport', 'Enfants'],
      reminderMinutes: [30, 1440],
    });
    expect(result.warnings).toEqual([]);
  });

  it('keeps a moved occurrence and a cancelled one as their own events, linked by UID and RECURRENCE-ID', async () => {
    const result = await run(fixture('google-calendar.ics'));
    expect(byKey(result, 'uid:piscine-2024@google.com|rid:2024-03-27T17:30:00Z')).toMatchObject({
      uid: 'piscine-2024@google.com',
      title: 'Piscine (décalée au jeudi)',
      start: '2024-03-28T18:00:00Z',
      end: '2024-03-28T19:00:00Z',
      recurrenceId: '2024-03-27T17:30:00Z',
      status: 'confirmed',
    });
    expect(byKey(result, 'uid:piscine-2024@google.com|rid:2024-04-10T16:30:00Z')).toMatchObject({
      recurrenceId: '2024-04-10T16:30:00Z',
      status: 'cancelled',
    });
  });

  it('reads all-day events as dates with the end excluded', async () => {
    const result = await run(fixture('google-calendar.ics'));
    expect(byKey(result, 'uid:annecy-2024@google.com')).toEqual({
      uid: 'annecy-2024@google.com',
      title: 'Week-end à Annecy',
      allDay: true,
      start: '2024-05-21',
      end: '2024-05-23',
      busy: false,
      calendar: 'Famille',
    });
  });

  it('reads UTC times, the organizer and attendees with quoted names, and a fold that cuts "é" in two', async () => {
    const result = await run(fixture('google-calendar.ics'));
    expect(byKey(result, 'uid:7kukuqrfedlm2f9t0vdb8bk9am@google.com')).toEqual({
      uid: '7kukuqrfedlm2f9t0vdb8bk9am@google.com',
      title: 'Point projet Énergie',
      start: '2024-03-14T15:30:00Z',
      end: '2024-03-14T16:00:00Z',
      timeZone: 'UTC',
      description: 'Ordre du jour : budget, planning, rétrospective.',
      status: 'tentative',
      calendar: 'Famille',
      organizer: { name: 'Claire Morin', email: 'claire.morin@acme.example' },
      attendees: [
        { name: 'Dupont, Marie', email: 'marie.dupont@example.fr', status: 'accepted' },
        { name: 'karim.benali@acme.example', email: 'karim.benali@acme.example', status: 'needs_action' },
        { name: 'Salle Jupiter', email: 'c_188a@resource.calendar.google.com', status: 'declined' },
      ],
      url: 'https://meet.google.com/abc-defg-hij',
    });
  });
});

describe('icalendarImporter on an Outlook export with Windows zone names', () => {
  it('maps Romance, W. Europe, Pacific and GMT Standard Time to IANA zones', async () => {
    const result = await run(fixture('outlook-windows-zones.ics'));
    await expectCatalogValid(result.records);
    const events = result.of('calendar.event');
    const summary = events.map((e) => [e.title, e.start, e.end, e.timeZone]);
    expect(summary).toEqual([
      ['Comité de pilotage', '2024-10-15T08:00:00Z', '2024-10-15T09:00:00Z', 'Europe/Paris'],
      ['Kinderarzt Berlin', '2024-07-01T07:00:00Z', '2024-07-01T08:00:00Z', 'Europe/Berlin'],
      // 10 March 2024 is the day US clocks go forward: 10:00 is already PDT (UTC-7).
      ['Call with the San Francisco office', '2024-03-10T17:00:00Z', '2024-03-10T18:00:00Z', 'America/Los_Angeles'],
      ['London lunch', '2024-01-15T12:00:00Z', '2024-01-15T13:00:00Z', 'Europe/London'],
      // A display name written as TZID: "(UTC+01:00) Brussels, Copenhagen, Madrid, Paris".
      ['Réunion de copropriété', '2024-06-15T12:00:00Z', '2024-06-15T13:30:00Z', 'Europe/Paris'],
      ['Toussaint', '2024-11-01', '2024-11-02', undefined],
      ['Noël', '2024-12-25', '2024-12-26', undefined],
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('reads MAILTO in capitals, a tab fold, reminders, privacy and midnight-to-midnight all-day events', async () => {
    const result = await run(fixture('outlook-windows-zones.ics'));
    const [meeting, private_, , lunch, , , christmas] = result.of('calendar.event');
    expect(meeting).toMatchObject({
      description: 'Ordre du jour :\n- budget 2025\n- planning',
      organizer: { name: 'Claire Morin', email: 'claire.morin@acme.example' },
      attendees: [{ name: 'Karim Benali', email: 'karim.benali@acme.example', status: 'tentative' }],
      reminderMinutes: [15],
      busy: true,
    });
    expect(private_!.extra).toEqual({ class: 'PRIVATE' });
    expect(lunch!.recurrence).toBe('FREQ=MONTHLY;COUNT=6;BYMONTHDAY=15');
    expect(christmas).toMatchObject({ allDay: true, start: '2024-12-25', end: '2024-12-26' });
  });
});

describe('icalendarImporter with custom VTIMEZONE definitions', () => {
  it('computes offsets from STANDARD and DAYLIGHT rules, with the RFC 5545 reading of skipped and repeated times', async () => {
    const result = await run(fixture('custom-vtimezone.ics'));
    await expectCatalogValid(result.records);
    const starts = Object.fromEntries(result.records.map((r) => [r.kind === 'document' ? r.key : '', r.data.start]));
    expect(starts).toEqual({
      'uid:lyon-hiver': '2024-01-10T08:00:00Z',
      'uid:lyon-ete': '2024-07-10T07:00:00Z',
      // 02:30 on 31 March does not exist: read with the offset before the gap (+01:00).
      'uid:lyon-trou': '2024-03-31T01:30:00Z',
      // 02:30 on 27 October happens twice: the first one (+02:00).
      'uid:lyon-double': '2024-10-27T00:30:00Z',
      // Rules with UNTIL, the old BYDAY=SU;BYMONTHDAY=1..7 form, and the 2007 US change.
      'uid:est-2005': '2005-04-05T14:00:00Z',
      'uid:est-2006': '2006-10-30T15:00:00Z',
      'uid:est-2007': '2007-10-30T14:00:00Z',
      'uid:est-2024-hiver': '2024-03-05T15:00:00Z',
      'uid:est-2024-ete': '2024-03-12T14:00:00Z',
      // The VTIMEZONE comes after the event that uses it.
      'uid:plus-tard': '2024-05-05T06:30:00Z',
    });
    expect(byKey(result, 'uid:lyon-hiver')).toEqual({
      uid: 'lyon-hiver',
      title: 'Hiver',
      start: '2024-01-10T08:00:00Z',
      extra: { tzid: 'Bureau Lyon' },
    });
    expect(result.warnings).toEqual([]);
  });

  it('reads times of an undefined zone in the calendar zone, with one warning per zone', async () => {
    const result = await run(
      ics(
        'UID:a',
        'DTSTART;TZID=Mars/Olympus:20240601T100000',
        'SUMMARY:a',
        'END:VEVENT',
        'BEGIN:VEVENT',
        'UID:b',
        'DTSTART;TZID=Mars/Olympus:20240602T100000',
        'SUMMARY:b',
      ),
    );
    expect(result.of('calendar.event').map((e) => e.start)).toEqual(['2024-06-01T08:00:00Z', '2024-06-02T08:00:00Z']);
    expect(result.warnings).toEqual([
      {
        line: 5,
        message:
          'the time zone "Mars/Olympus" is neither an IANA nor a Windows zone and the file does not define it: its times are read in Europe/Paris',
      },
    ]);
  });

  it('keeps a legacy zone name that is not Area/Location out of timeZone', async () => {
    const result = await run(ics('UID:l', 'DTSTART;TZID=EST5EDT:20240115T090000', 'SUMMARY:l'));
    expect(result.of('calendar.event')[0]).toEqual({
      uid: 'l',
      title: 'l',
      start: '2024-01-15T14:00:00Z',
      extra: { tzid: 'EST5EDT' },
    });
  });

  it('reads old Mozilla and libical TZID paths as the IANA zone they end with', async () => {
    const result = await run(
      ics('UID:m', 'DTSTART;TZID=/mozilla.org/20050126_1/America/New_York:20240115T090000', 'SUMMARY:m'),
    );
    expect(result.of('calendar.event')[0]).toMatchObject({
      start: '2024-01-15T14:00:00Z',
      timeZone: 'America/New_York',
    });
  });
});

describe('icalendarImporter on several calendars in one file', () => {
  it('reads floating times in the calendar zone (X-WR-TIMEZONE) or the space zone, DURATION, RDATE periods', async () => {
    const result = await run(fixture('multi-calendar.ics'));
    await expectCatalogValid(result.records);
    const events = result.of('calendar.event');
    expect(events.map((e) => [e.title, e.calendar])).toEqual([
      ['Atelier sans UID', 'Travail'],
      ['Règle illisible', 'Travail'],
      ['Fin avant le début', 'Travail'],
      ['Séances supplémentaires', 'Travail'],
      ['Vingt-quatre heures... ou vingt-trois', 'Travail'],
      ['Atelier sans UID', 'Travail'],
      ['Pique-nique du 4 juillet', 'Anniversaires'],
      ['Anniversaire Marie', 'Anniversaires'],
    ]);
    expect(events[0]).toMatchObject({
      start: '2024-06-12T07:00:00Z',
      end: '2024-06-12T08:30:00Z',
      timeZone: 'Europe/Paris',
    });
    expect(byKey(result, 'uid:rdates').recurrenceDates).toEqual(['2024-07-01T08:00:00Z', '2024-07-08T08:00:00Z']);
    // P1D is a nominal day: noon to noon across the spring clock change is 23 hours.
    expect(byKey(result, 'uid:jour-nominal')).toMatchObject({
      start: '2024-03-30T11:00:00Z',
      end: '2024-03-31T10:00:00Z',
    });
    expect(byKey(result, 'uid:independance')).toMatchObject({
      start: '2024-07-04T16:00:00Z',
      end: '2024-07-04T18:00:00Z',
      timeZone: 'America/New_York',
    });
    // DTEND equal to DTSTART on an all-day event, as some producers write it: one day.
    expect(byKey(result, 'uid:anniv-marie')).toMatchObject({
      start: '1986-05-21',
      end: '1986-05-22',
      recurrence: 'FREQ=YEARLY',
    });
  });

  it('warns, with line numbers, about a garbage RRULE, an end before the start, a repeated UID and a to-do', async () => {
    const result = await run(fixture('multi-calendar.ics'));
    expect(byKey(result, 'uid:rrule-casse').recurrence).toBeUndefined();
    expect(byKey(result, 'uid:fin-avant-debut').end).toBeUndefined();
    expect(result.warnings).toEqual([
      {
        line: 21,
        message:
          'the recurrence rule "FREQ=SOMETIMES;BYDAY=XX" is not valid (FREQ: "SOMETIMES" is not a frequency): the event is kept as a single occurrence',
      },
      {
        line: 27,
        message: 'the event ends (2024-06-14T09:00:00Z) before it starts (2024-06-14T10:00:00Z): its end is dropped',
      },
      { line: 67, message: 'this event repeats the one at line 30 (same UID): it is skipped' },
      { message: '1 VTODO component is not imported (only events are)' },
    ]);
  });

  it('gives events without UID a fingerprint key that the same export gives again', async () => {
    const first = await run(fixture('multi-calendar.ics'));
    const again = await run(fixture('multi-calendar.ics'));
    const keys = first.records.map((r) => (r.kind === 'document' ? r.key : ''));
    expect(keys[0]).toMatch(/^fp1:[0-9a-f]{32}\|0$/);
    // The identical second workshop is a second event, not a duplicate of the first.
    expect(keys[5]).toBe(keys[0]!.replace(/\|0$/, '|1'));
    expect(again.records.map((r) => (r.kind === 'document' ? r.key : ''))).toEqual(keys);
  });

  it('reads floating times in the space time zone the context gives', async () => {
    const result = await run(ics('UID:f', 'DTSTART:20240612T090000', 'SUMMARY:f'), { timeZone: 'Asia/Tokyo' });
    expect(result.of('calendar.event')[0]).toMatchObject({ start: '2024-06-12T00:00:00Z', timeZone: 'Asia/Tokyo' });
  });
});

describe('icalendarImporter text and parameters', () => {
  it('unescapes \\, \\; \\n \\\\ and keeps commas inside quoted parameter values', async () => {
    const result = await run(
      ics(
        'UID:t',
        'DTSTART:20240101T100000Z',
        'SUMMARY:Réunion\\, bilan\\; suite',
        'DESCRIPTION:a\\nb\\\\c\\Nd',
        'ORGANIZER;CN="Morin, Claire; DRH":mailto:claire@example.org',
      ),
    );
    expect(result.of('calendar.event')[0]).toMatchObject({
      title: 'Réunion, bilan; suite',
      description: 'a\nb\\c\nd',
      organizer: { name: 'Morin, Claire; DRH', email: 'claire@example.org' },
    });
  });

  it('reads LF-only files and lone CR line ends', async () => {
    const lf = await run(ics('UID:x', 'DTSTART:20240101T100000Z', 'SUMMARY:LF').replaceAll('\r\n', '\n'));
    const cr = await run(ics('UID:x', 'DTSTART:20240101T100000Z', 'SUMMARY:CR').replaceAll('\r\n', '\r'));
    expect([lf.of('calendar.event')[0]!.title, cr.of('calendar.event')[0]!.title]).toEqual(['LF', 'CR']);
  });

  it('reads a UTF-16 file', async () => {
    const text = `\uFEFF${ics('UID:u', 'DTSTART:20240101T100000Z', 'SUMMARY:Fête des voisins')}`;
    const result = await run(new Uint8Array(Buffer.from(text, 'utf16le')));
    expect(result.of('calendar.event')[0]!.title).toBe('Fête des voisins');
  });

  it('names an event without SUMMARY "(no title)" and skips one without DTSTART with a warning', async () => {
    const result = await run(
      ics('UID:n', 'DTSTART:20240101T100000Z', 'END:VEVENT', 'BEGIN:VEVENT', 'UID:m', 'SUMMARY:sans date'),
    );
    expect(result.of('calendar.event').map((e) => e.title)).toEqual(['(no title)']);
    expect(result.warnings).toEqual([{ line: 7, message: 'an event without DTSTART has no date: it is skipped' }]);
  });
});

describe('icalendarImporter on bad input', () => {
  it('refuses a truncated file, naming the open component and its line', async () => {
    const text = readFileSync(new URL('./fixtures/google-calendar.ics', import.meta.url), 'utf8');
    const cut = text.slice(0, text.indexOf('SUMMARY:Week-end'));
    const error = await importRejection(run(cut));
    expect(error.message).toBe('agenda.ics: the file ends inside the VEVENT begun at line 73: it is truncated');
  });

  it('refuses an impossible date, naming the line', async () => {
    const error = await importRejection(run(ics('UID:d', 'DTSTART:20241345T000000', 'SUMMARY:x')));
    expect(error.message).toBe('agenda.ics, line 5: DTSTART "20241345T000000" is not a valid date or date-time');
    expect(error.details).toMatchObject({ file: 'agenda.ics', line: 5 });
  });

  it('refuses absurd years', async () => {
    expect((await importRejection(run(ics('UID:d', 'DTSTART:12000101T000000Z', 'SUMMARY:x')))).message).toBe(
      'agenda.ics, line 5: DTSTART 12000101T000000Z: the year 1200 is not plausible for an event',
    );
    expect(
      (
        await importRejection(
          run(ics('UID:d', 'DTSTART;VALUE=DATE:20240101', 'EXDATE;VALUE=DATE:99990101', 'SUMMARY:x')),
        )
      ).message,
    ).toBe('agenda.ics, line 6: EXDATE 99990101: the year 9999 is not plausible for an event');
  });

  it('refuses mismatched END lines and components outside a VCALENDAR', async () => {
    expect(
      (await importRejection(run(ics('UID:e', 'DTSTART:20240101T100000Z').replace('END:VEVENT', 'END:VTODO')))).message,
    ).toBe('agenda.ics, line 6: END:VTODO does not close the VEVENT begun at line 3');
    expect(
      (await importRejection(run('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VEVENT\r\n'))).message,
    ).toBe('agenda.ics, line 3: BEGIN:VEVENT appears outside a VCALENDAR');
  });

  it('refuses a file with no calendar in it', async () => {
    expect((await importRejection(run('SUMMARY:rien\r\n'))).message).toBe(
      'agenda.ics: there is no BEGIN:VCALENDAR in this file',
    );
  });

  it('keeps at most 5,000 lines of one event, with a warning', async () => {
    const categories = Array.from({ length: 6000 }, (_, i) => `CATEGORIES:c${i}`);
    const result = await run(ics('UID:big', 'DTSTART:20240101T100000Z', 'SUMMARY:big', ...categories));
    expect(result.of('calendar.event')[0]!.categories).toHaveLength(20);
    expect(result.warnings).toEqual([
      {
        line: 5004,
        message: 'the VEVENT begun at line 3 holds more than 5,000 lines or 4 MB of text: the rest is ignored',
      },
    ]);
  });

  it('skips lines that are not content lines, with a warning', async () => {
    const result = await run(ics('UID:g', 'DTSTART:20240101T100000Z', 'this line has no colon', 'SUMMARY:ok'));
    expect(result.of('calendar.event')[0]!.title).toBe('ok');
    expect(result.warnings).toEqual([
      { line: 6, message: '"this line has no colon" is not an iCalendar line (NAME:value): it is skipped' },
    ]);
  });
});

describe('icalendarImporter streaming', () => {
  it('reads 20,000 events without keeping attachments, and yields the first before reading the last', async () => {
    const attachment = `ATTACH;ENCODING=BASE64;VALUE=BINARY:${'QUJD'.repeat(50_000)}`;
    const { count, chunksReadAtFirst } = await streamThrough(
      icalendarImporter,
      function* () {
        yield 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\n';
        for (let i = 0; i < 20_000; i++) {
          const extra = i % 1000 === 0 ? `${attachment}\r\n` : '';
          yield `BEGIN:VEVENT\r\nUID:e${i}\r\nDTSTART;TZID=Europe/Paris:20240101T100000\r\nSUMMARY:Événement ${i}\r\n${extra}END:VEVENT\r\n`;
        }
        yield 'END:VCALENDAR\r\n';
      },
      (data, i) => expect([data.title, data.start]).toEqual([`Événement ${i}`, '2024-01-01T09:00:00Z']),
    );
    expect(count).toBe(20_000);
    expect(chunksReadAtFirst).toBeLessThan(10);
  });
});
