/**
 * Every importer Foyer has, in one list: detection asks each of them and the most certain wins.
 * Adding a format is writing an `Importer` and adding it here (see docs/importers.md).
 */
import { bankCsvImporter } from './bank/bank-csv-importer.js';
import { camt053Importer } from './bank/camt053-importer.js';
import { cfonbImporter } from './bank/cfonb-importer.js';
import { mt940Importer } from './bank/mt940-importer.js';
import { ofxImporter } from './bank/ofx-importer.js';
import { qifImporter } from './bank/qif-importer.js';
import { icalendarImporter } from './calendar/icalendar-importer.js';
import { vcardImporter } from './contacts/vcard-importer.js';
import { enedisCsvImporter } from './energy/enedis-csv.js';
import { enedisJsonImporter } from './energy/enedis-json.js';
import { grdfCsvImporter } from './energy/grdf-csv.js';
import { grdfJsonImporter } from './energy/grdf-json.js';
import { greenButtonImporter } from './energy/green-button.js';
import { appleHealthImporter } from './health/apple-health-importer.js';
import { fhirImporter } from './health/fhir-importer.js';
import { tcxImporter } from './health/tcx-importer.js';
import type { Importer } from './importer.js';
import { locationImporters } from './location/index.js';
import { netflixViewingActivityImporter } from './media/netflix-viewing-activity.js';
import { spotifyAccountHistoryImporter } from './media/spotify-account-history.js';
import { spotifyExtendedHistoryImporter } from './media/spotify-extended-history.js';
import { metaDyiImporter } from './social/meta-dyi.js';
import { xArchiveImporter } from './social/x-archive.js';

export function allImporters(): Importer[] {
  return [
    // bank
    ofxImporter,
    qifImporter,
    camt053Importer,
    mt940Importer,
    cfonbImporter,
    bankCsvImporter,
    // energy
    enedisCsvImporter,
    enedisJsonImporter,
    grdfCsvImporter,
    grdfJsonImporter,
    greenButtonImporter,
    // location
    ...locationImporters,
    // calendar and contacts
    icalendarImporter,
    vcardImporter,
    // health and activity
    fhirImporter,
    appleHealthImporter,
    tcxImporter,
    // media and social
    spotifyAccountHistoryImporter,
    spotifyExtendedHistoryImporter,
    netflixViewingActivityImporter,
    xArchiveImporter,
    metaDyiImporter,
  ];
}
