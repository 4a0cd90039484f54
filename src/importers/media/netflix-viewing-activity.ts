/**
 * Netflix's viewing activity, `CONTENT_INTERACTION/ViewingActivity.csv` in the "Get my info"
 * download: one row per viewing session of a profile, comma-separated, quoted where a title holds
 * commas or quotes:
 * `Profile Name,Start Time,Duration,Attributes,Title,Supplemental Video Type,Device Type,Bookmark,Latest Bookmark,Country`.
 * Start times are UTC (`2024-03-09 20:47:12`), durations and bookmarks `H:MM:SS`.
 *
 * Trailers, hooks, recaps and other supplemental videos (mostly autoplayed while browsing) are
 * kept and marked with `supplementalType`: they are viewing data Netflix holds too, and an app
 * leaves them out with one filter.
 *
 * Natural key: profile, start instant and title.
 */
import { csvRows } from '../csv/csv-reader.js';
import { importError } from '../import-error.js';
import type { ImportRecord, ImportSample, Importer, ImportSource, ParseContext } from '../importer.js';
import { isoInstant, parseUtcText, plausibleInstant } from './instants.js';
import { text } from './json-items.js';
import { episodeOf } from './netflix-titles.js';

const DOCTYPE = 'media.view';
/** Longer than two days is no viewing session: the schema's bound. */
const MAX_SESSION_SECONDS = 172_800;

const COLUMNS = {
  profile: 'profile name',
  start: 'start time',
  duration: 'duration',
  attributes: 'attributes',
  title: 'title',
  supplemental: 'supplemental video type',
  device: 'device type',
  bookmark: 'bookmark',
  latest: 'latest bookmark',
  country: 'country',
} as const;
type Column = keyof typeof COLUMNS;
const REQUIRED: readonly Column[] = ['start', 'duration', 'title'];

const SUPPLEMENTAL: Record<string, string> = {
  TRAILER: 'trailer',
  TEASER_TRAILER: 'teaser',
  HOOK: 'hook',
  RECAP: 'recap',
  PREVIEW: 'preview',
  PROMOTIONAL: 'promotional',
};

export const netflixViewingActivityImporter: Importer = {
  id: 'netflix-viewing-activity',
  title: 'Netflix viewing activity (ViewingActivity.csv)',
  doctypes: [DOCTYPE],
  detect,
  parse,
};

function headerNames(line: string): string[] {
  return line.split(',').map((name) => name.trim().replace(/^"|"$/g, '').toLowerCase());
}

function detect(sample: ImportSample): number {
  const first = /^[^\r\n]*/.exec(sample.text)?.[0] ?? '';
  const names = new Set(headerNames(first));
  const required: Column[] = ['profile', 'start', 'duration', 'title'];
  if (!required.every((c) => names.has(COLUMNS[c]))) return 0;
  return names.has(COLUMNS.supplemental) || names.has(COLUMNS.device) ? 0.95 : 0.7;
}

/** `H:MM:SS` (hours may have one to three digits) in seconds, or undefined. */
function clockSeconds(value: string): number | undefined {
  const m = /^(\d{1,3}):([0-5]\d):([0-5]\d)$/.exec(value.trim());
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : undefined;
}

async function* parse(source: ImportSource, ctx: ParseContext): AsyncIterable<ImportRecord> {
  let index: Partial<Record<Column, number>> | undefined;
  let width = 0;
  for await (const row of csvRows(source, ',')) {
    if (index === undefined) {
      const names = row.fields.map((f) => f.trim().toLowerCase());
      index = {};
      for (const [column, name] of Object.entries(COLUMNS) as [Column, string][]) {
        const at = names.indexOf(name);
        if (at >= 0) index[column] = at;
      }
      const missing = REQUIRED.filter((c) => index![c] === undefined).map((c) => `"${COLUMNS[c]}"`);
      if (missing.length > 0) {
        throw importError(
          source.name,
          `the header has no ${missing.join(', ')} column: this is not Netflix's viewing activity.`,
          row.line,
        );
      }
      width = row.fields.length;
      continue;
    }
    if (row.fields.length !== width) {
      throw importError(
        source.name,
        `this row has ${row.fields.length} fields where the header has ${width} (is the file cut short or corrupt?).`,
        row.line,
      );
    }
    const cols = index;
    // Undefined for a column this export does not have; '' for an empty field.
    const field = (c: Column) => (cols[c] === undefined ? undefined : (row.fields[cols[c]] ?? ''));
    const record = toView(field, source.name, row.line, ctx);
    if (record) yield record;
  }
  if (index === undefined) throw importError(source.name, 'the file is empty.');
}

function toView(
  column: (c: Column) => string | undefined,
  file: string,
  line: number,
  ctx: ParseContext,
): ImportRecord | undefined {
  const field = (c: Column) => column(c) ?? '';
  const title = text(field('title'));
  if (title === undefined) {
    ctx.warn({ line, message: 'a session without a title is skipped.' });
    return undefined;
  }
  const startText = field('start');
  const start = plausibleInstant(parseUtcText(startText), startText, file, line, ctx.now);
  const duration = clockSeconds(field('duration'));
  if (duration === undefined || duration > MAX_SESSION_SECONDS) {
    throw importError(
      file,
      `the duration "${field('duration').slice(0, 40)}" is not a length of time (H:MM:SS, at most 48 hours).`,
      line,
    );
  }
  const profile = text(field('profile'), 200);
  const data: Record<string, unknown> = {
    platform: 'netflix',
    ...(profile !== undefined ? { profile } : {}),
    title,
  };
  const supplemental = field('supplemental').trim().toUpperCase();
  if (supplemental !== '' && supplemental !== 'N/A' && supplemental !== 'NONE') {
    data.supplementalType = SUPPLEMENTAL[supplemental] ?? 'other';
  } else {
    const episode = episodeOf(title);
    if (episode) Object.assign(data, { contentType: 'episode', ...episode });
  }
  data.start = isoInstant(start);
  data.end = isoInstant(start + duration * 1000);
  data.durationSeconds = duration;
  const bookmark = field('bookmark').trim();
  const position = clockSeconds(bookmark);
  if (position !== undefined) data.positionSeconds = position;
  else if (bookmark !== '')
    ctx.warn({ line, message: `the bookmark "${bookmark.slice(0, 40)}" is not H:MM:SS; it is left out.` });
  const latest = field('latest').trim();
  if (latest.toLowerCase() === 'not latest view') data.latestView = false;
  else if (clockSeconds(latest) !== undefined) data.latestView = true;
  const attributes = field('attributes')
    .split(';')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  // Exports without the column say nothing about autoplay; with it, no mention means the person started it.
  if (column('attributes') !== undefined) data.autoplayed = attributes.some((a) => /^autoplayed\b/i.test(a));
  if (attributes.some((a) => /^view was hidden$/i.test(a))) data.hidden = true;
  const device = text(field('device'), 500);
  if (device !== undefined) data.device = device;
  const country = /^([A-Z]{2})\b/.exec(field('country').trim())?.[1];
  if (country !== undefined) data.country = country;
  if (attributes.length > 0) data.extra = { attributes };
  return {
    kind: 'document',
    doctype: DOCTYPE,
    key: `netflix|${profile ?? ''}|${isoInstant(start)}|${title}`,
    data,
    line,
  };
}
