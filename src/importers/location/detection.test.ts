import { describe, it, expect } from 'vitest';
import { detectionOf } from '../../testing/importers.js';
import { locationImporters } from './index.js';
import { fixturesMatching } from './location-testing.js';

/** Which importer each fixture belongs to, by the fixture's name. */
const OWNERS: [RegExp, string][] = [
  [/^google-(records|location-history)/, 'google-records'],
  [/^google-semantic-/, 'google-semantic-history'],
  [/^google-timeline-android/, 'google-timeline-android'],
  [/^google-timeline-ios/, 'google-timeline-ios'],
  [/^gpx-/, 'gpx'],
  [/^kml-/, 'kml'],
  [/^geojson-/, 'geojson'],
];

describe('location importers detection', () => {
  it('each fixture is claimed by its own importer only', async () => {
    const fixtures = fixturesMatching(/./);
    expect(fixtures.length).toBeGreaterThanOrEqual(13);
    for (const { name, bytes } of fixtures) {
      const owner = OWNERS.find(([pattern]) => pattern.test(name))?.[1];
      expect(owner, name).toBeDefined();
      for (const importer of locationImporters) {
        const score = await detectionOf(importer, bytes, name);
        if (importer.id === owner) expect(score, `${importer.id} on ${name}`).toBeGreaterThanOrEqual(0.9);
        else expect(score, `${importer.id} on ${name}`).toBeLessThan(0.5);
      }
    }
  });

  it('no location importer claims plain text, CSV, other XML or other JSON', async () => {
    const others = [
      'Bonjour, ceci est un texte.',
      'Date;Libellé;Montant\n01/02/2024;CARTE X1234 BOULANGERIE;-4,20\n',
      '<?xml version="1.0"?><OFX><BANKMSGSRSV1/></OFX>',
      '<?xml version="1.0"?><TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"/>',
      '<?xml version="1.0"?><HealthData locale="fr_FR"><Record type="HKQuantityTypeIdentifierHeartRate"/></HealthData>',
      'BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR',
      '{"resourceType": "Bundle", "entry": []}',
      '[{"ts": "2023-01-01T10:00:00Z", "master_metadata_track_name": "Alors on danse", "ms_played": 1000}]',
      'window.YTD.tweets.part0 = [{"tweet": {}}]',
      '',
    ];
    for (const text of others) {
      for (const importer of locationImporters) {
        expect(await detectionOf(importer, text), `${importer.id} on ${text.slice(0, 30)}`).toBeLessThan(0.5);
      }
    }
  });
});
