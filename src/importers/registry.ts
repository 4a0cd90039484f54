/**
 * Every importer Foyer has, in one list: detection asks each of them and the most certain wins.
 * Adding a format is writing an `Importer` and adding it here (see docs/importers.md).
 */
import { camt053Importer } from './bank/camt053-importer.js';
import { ofxImporter } from './bank/ofx-importer.js';
import { qifImporter } from './bank/qif-importer.js';
import { icalendarImporter } from './calendar/icalendar-importer.js';
import { appleHealthImporter } from './health/apple-health-importer.js';
import type { Importer } from './importer.js';
import { googleRecordsImporter } from './location/google-records.js';
import { netflixViewingActivityImporter } from './media/netflix-viewing-activity.js';
import { spotifyAccountHistoryImporter } from './media/spotify-account-history.js';
import { spotifyExtendedHistoryImporter } from './media/spotify-extended-history.js';

export function allImporters(): Importer[] {
  return [
    // bank
    ofxImporter,
    qifImporter,
    camt053Importer,
    // location
    googleRecordsImporter,
    // calendar and contacts
    icalendarImporter,
    // health and activity
    appleHealthImporter,
    // media and social
    spotifyAccountHistoryImporter,
    spotifyExtendedHistoryImporter,
    netflixViewingActivityImporter,
  ];
}
