/**
 * A later export overlaps the earlier one (the bank's "last 90 days" downloaded every month, a new
 * Takeout): importing both must leave the space holding each record once. Two files are cut from
 * one fixture, its first two thirds and its last two thirds, byte for byte as the producer wrote
 * them (encoding, line ends, quoting, separators), and imported through the real service; then the
 * whole fixture, their union, must find every record already there and add nothing.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestContext } from '../core/principal.js';
import { DEFAULT_SPACE } from '../core/spaces/space-service.js';
import { IMPORTERS_DIR } from '../testing/importer-fixtures.js';
import { spaceCensus } from '../testing/space-census.js';
import { startTestFoyer, type TestFoyer } from '../testing/test-foyer.js';
import type { ImportReport } from './import-report.js';
import type { ByteOpener } from './source/import-source.js';

const owner: RequestContext = {
  space: DEFAULT_SPACE,
  principal: { kind: 'owner', via: 'token', tokenId: 'tests', label: 'tests' },
};

/** A file cut in three: what comes before the records, the records, what comes after. */
interface Cut {
  head: string;
  items: string[];
  /** Between two records (`,` in JSON). */
  separator: string;
  tail: string;
}

/**
 * The first run of consecutive matches of `record` (the records of the file's first statement or
 * account; the rest stays in the tail, identical in both files).
 */
function recordsMatching(text: string, record: RegExp): Cut {
  const items: string[] = [];
  let start = -1;
  let end = -1;
  for (const m of text.matchAll(record)) {
    if (start !== -1 && m.index !== end) break;
    if (start === -1) start = m.index;
    items.push(m[0]);
    end = m.index + m[0].length;
  }
  return { head: text.slice(0, start), items, separator: '', tail: text.slice(end) };
}

/** The elements of the first JSON array opening at `opening`, cut as the file writes them. */
function jsonArrayElements(text: string, opening: RegExp): Cut {
  const found = opening.exec(text);
  if (!found) throw new Error(`no ${opening.source} in the fixture`);
  const spans: [number, number][] = [];
  let depth = 0;
  let inString = false;
  let elementStart = -1;
  let i = found.index + found[0].length;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    if (depth === 0 && /\s|,/.test(c)) continue;
    if (depth === 0 && c === ']') break;
    if (depth === 0 && elementStart === -1) elementStart = i;
    if (c === '{' || c === '[') depth++;
    if (c === '}' || c === ']') depth--;
    if (depth === 0 && elementStart !== -1 && (c === '}' || c === ']')) {
      spans.push([elementStart, i + 1]);
      elementStart = -1;
    }
  }
  const [first, second] = spans;
  if (!first || !second) throw new Error('the fixture needs at least two elements');
  return {
    head: text.slice(0, first[0]),
    items: spans.map(([a, b]) => text.slice(a, b)),
    separator: text.slice(first[1], second[0]),
    tail: text.slice(spans.at(-1)![1]),
  };
}

interface Case {
  format: string;
  fixture: string;
  cut(text: string): Cut;
}

const CASES: Case[] = [
  {
    format: 'ofx',
    fixture: 'bank/fixtures/ofx-102-sgml-fr.ofx',
    cut: (text) => recordsMatching(text, /<STMTTRN>\r\n[\s\S]*?<\/STMTTRN>\r\n/g),
  },
  {
    // Windows-1252, labels on several lines inside quotes, two identical lines on one day.
    format: 'bank-csv',
    fixture: 'bank/fixtures/csv-credit-agricole.csv',
    cut: (text) => recordsMatching(text, /\d\d\/\d\d\/\d{4};\d\d\/\d\d\/\d{4};"[^"]*";[^\r\n]*\r\n/g),
  },
  {
    format: 'google-records',
    fixture: 'location/fixtures/google-records.json',
    cut: (text) => jsonArrayElements(text, /"locations"\s*:\s*\[/),
  },
  {
    format: 'camt053',
    fixture: 'bank/fixtures/camt053-v02-two-statements.xml',
    cut: (text) => recordsMatching(text, /<Ntry>[\s\S]*?<\/Ntry>\s*/g),
  },
  {
    format: 'mt940',
    fixture: 'bank/fixtures/mt940-german-blocks.sta',
    cut: (text) => recordsMatching(text, /:61:[\s\S]*?\r?\n(?=:6(?:1|2F|2M):)/g),
  },
  {
    format: 'qif',
    fixture: 'bank/fixtures/qif-ccard-fr.qif',
    cut: (text) => recordsMatching(text, /D[^\r\n]*\r\n(?:[^^\r\n][^\r\n]*\r\n)*\^\r\n/g),
  },
  {
    format: 'netflix-viewing-activity',
    fixture: 'media/fixtures/ViewingActivity.csv',
    cut: (text) => recordsMatching(text, /^(?!Profile Name,)[^\r\n]+\r?\n/gm),
  },
  {
    format: 'spotify-account-history',
    fixture: 'media/fixtures/StreamingHistory_music_0.json',
    cut: (text) => jsonArrayElements(text, /^\s*\[/),
  },
  {
    // Keys from the name and first address when a card has no UID.
    format: 'vcard',
    fixture: 'contacts/fixtures/google-contacts.vcf',
    cut: (text) => recordsMatching(text, /BEGIN:VCARD\r\n[\s\S]*?END:VCARD\r\n/g),
  },
  {
    format: 'icalendar',
    fixture: 'calendar/fixtures/google-calendar.ics',
    cut: (text) => recordsMatching(text, /BEGIN:VEVENT\r?\n[\s\S]*?END:VEVENT\r?\n/g),
  },
  {
    // Messages have no id: keys from the instant and a digest of the content.
    format: 'meta-dyi',
    fixture: 'social/fixtures/meta/message_1.json',
    cut: (text) => jsonArrayElements(text, /"messages"\s*:\s*\[/),
  },
];

function fileOf(name: string, text: string): ByteOpener {
  // latin1 maps each byte to one character and back: the files keep the fixture's exact bytes.
  const bytes = Buffer.from(text, 'latin1');
  return {
    name,
    size: bytes.length,
    async *open() {
      yield bytes;
    },
  };
}

/** Per doctype, what the space gained between two censuses. */
function gained(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [doctype, n] of Object.entries(after)) if (n !== before[doctype]) out[doctype] = n - before[doctype]!;
  return out;
}

/** Per doctype, what the file holds: its points, or its documents (all already there, unchanged). */
function held(report: ImportReport): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [doctype, c] of Object.entries(report.counts))
    out[doctype] = c.points + c.created + c.updated + c.unchanged + c.kept + c.deleted;
  return out;
}

describe('an overlapping later export', () => {
  let t: TestFoyer;
  beforeAll(async () => {
    t = await startTestFoyer();
  });
  afterAll(async () => {
    await t.close();
  });

  it.each(CASES.map((c) => [c.format, c] as const))('%s: the space holds the union, once', async (_, c) => {
    const text = (await readFile(path.join(IMPORTERS_DIR, c.fixture))).toString('latin1');
    const cut = c.cut(text);
    const n = cut.items.length;
    expect(n, 'records cut from the fixture').toBeGreaterThanOrEqual(3);
    const build = (from: number, to: number) => cut.head + cut.items.slice(from, to).join(cut.separator) + cut.tail;
    // The cut is faithful: put back together, it is the fixture.
    expect(build(0, n)).toBe(text);

    const before = await spaceCensus(t.foyer);
    const earlier = await t.foyer.imports.run(owner, fileOf('export-1', build(0, Math.ceil((2 * n) / 3))));
    const later = await t.foyer.imports.run(owner, fileOf('export-2', build(Math.floor(n / 3), n)));
    for (const report of [earlier, later]) expect(report.format.id).toBe(c.format);
    const afterBoth = await spaceCensus(t.foyer);

    const union = await t.foyer.imports.run(owner, fileOf('export-all', text));
    expect(union.records).toBeLessThan(earlier.records + later.records);
    for (const [doctype, counts] of Object.entries(union.counts))
      expect(counts, doctype).toMatchObject({ created: 0, updated: 0, kept: 0, deleted: 0 });
    expect(await spaceCensus(t.foyer)).toEqual(afterBoth);
    expect(gained(before, afterBoth)).toEqual(held(union));
  });
});
