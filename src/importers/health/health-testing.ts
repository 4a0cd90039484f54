/** Fixtures and expectations shared by the health importers' tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Importer } from '../importer.js';
import { runImporter } from '../../testing/importers.js';

const dir = new URL('./fixtures/', import.meta.url);

export const fixture = (name: string): Buffer => readFileSync(new URL(name, dir));

export const fixturesMatching = (pattern: RegExp): { name: string; bytes: Uint8Array }[] =>
  readdirSync(dir)
    .filter((name) => pattern.test(name))
    .map((name) => ({ name, bytes: fixture(name) }));

/** The import error a file gives, with its message and details, for exact assertions. */
export async function importFailure(importer: Importer, bytes: Uint8Array | string, name = 'fixture') {
  const error = await runImporter(importer, bytes, { name }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the import should fail').toMatchObject({ code: 'import_invalid' });
  return error as { message: string; details: { file: string; line?: number } };
}

/** Contents of other formats that a health importer must not claim. */
export const otherFormats = [
  '{"timelineObjects": [{"placeVisit": {}}]}',
  '[{"endTime": "2019-02-02 01:23", "artistName": "Noir Désir", "msPlayed": 1000}]',
  '{"type": "FeatureCollection", "features": []}',
  'Date;Libellé;Montant\n01/02/2024;CB;-12,30\n',
  '<?xml version="1.0"?><gpx version="1.1" creator="Strava"><trk><trkseg></trkseg></trk></gpx>',
  '<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document/></kml>',
  '<?xml version="1.0"?><OFX><BANKMSGSRSV1></BANKMSGSRSV1></OFX>',
  'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n',
  'just some plain text\nwith lines\n',
  '{"resource": "not fhir", "entry": []}',
];
