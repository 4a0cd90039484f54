/**
 * Every importer fixture of the project (`src/importers/<family>/fixtures/**`), with the importer
 * meant to read it, for the registry-wide tests. A new fixture whose name matches no rule below
 * makes those tests fail until it is given an owner here: no fixture escapes them by accident.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const IMPORTERS_DIR = fileURLToPath(new URL('../importers/', import.meta.url));

/** The importer of each fixture, by its path under src/importers (family folder and name prefix). */
const OWNERS: [RegExp, string][] = [
  [/^bank\/fixtures\/camt053-/, 'camt053'],
  [/^bank\/fixtures\/cfonb-/, 'cfonb120'],
  [/^bank\/fixtures\/csv-/, 'bank-csv'],
  [/^bank\/fixtures\/mt940-/, 'mt940'],
  [/^bank\/fixtures\/ofx-/, 'ofx'],
  [/^bank\/fixtures\/qif-/, 'qif'],
  [/^calendar\/fixtures\/.*\.ics$/, 'icalendar'],
  [/^contacts\/fixtures\/.*\.vcf$/, 'vcard'],
  [/^energy\/fixtures\/enedis-.*\.csv$/, 'enedis-csv'],
  [/^energy\/fixtures\/enedis-.*\.json$/, 'enedis-json'],
  [/^energy\/fixtures\/grdf-.*\.csv$/, 'grdf-csv'],
  [/^energy\/fixtures\/grdf-.*\.(nd)?json$/, 'grdf-json'],
  [/^energy\/fixtures\/green-button-/, 'green-button'],
  [/^health\/fixtures\/apple-health-/, 'apple-health'],
  [/^health\/fixtures\/fhir-/, 'fhir'],
  [/^health\/fixtures\/tcx-/, 'tcx'],
  [/^location\/fixtures\/google-(records|location-history)/, 'google-records'],
  [/^location\/fixtures\/google-semantic-/, 'google-semantic-history'],
  [/^location\/fixtures\/google-timeline-android/, 'google-timeline-android'],
  [/^location\/fixtures\/google-timeline-ios/, 'google-timeline-ios'],
  [/^location\/fixtures\/gpx-/, 'gpx'],
  [/^location\/fixtures\/kml-/, 'kml'],
  [/^location\/fixtures\/geojson-/, 'geojson'],
  [/^media\/fixtures\/StreamingHistory_/, 'spotify-account-history'],
  [/^media\/fixtures\/(Streaming_History_Audio_|endsong_)/, 'spotify-extended-history'],
  [/^media\/fixtures\/ViewingActivity/, 'netflix-viewing-activity'],
  [/^social\/fixtures\/meta\//, 'meta-dyi'],
  [/^social\/fixtures\/x\//, 'x-archive'],
];

/** Fixtures no importer should take, and why (kept short: each one is a deliberate refusal). */
const REFUSED: Record<string, string> = {
  // Likes are other people's posts: the X importer leaves that part of the archive alone.
  'social/fixtures/x/like.js': 'likes are not imported',
};

export interface ImporterFixture {
  /** Path under src/importers, with forward slashes. */
  path: string;
  /** Absolute path on disk. */
  file: string;
  /** The importer meant to read it; null when no importer should; undefined when no rule says. */
  importer: string | null | undefined;
}

export async function importerFixtures(): Promise<ImporterFixture[]> {
  const found: ImporterFixture[] = [];
  const walk = async (dir: string, inFixtures: boolean): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(file, inFixtures || entry.name === 'fixtures');
      else if (inFixtures && entry.isFile()) {
        const rel = path.relative(IMPORTERS_DIR, file).split(path.sep).join('/');
        const importer = rel in REFUSED ? null : OWNERS.find(([pattern]) => pattern.test(rel))?.[1];
        found.push({ path: rel, file, importer });
      }
    }
  };
  await walk(IMPORTERS_DIR, false);
  return found.sort((a, b) => (a.path < b.path ? -1 : 1));
}
