/** The location importers, for the registry (each is also exported by its own module). */
import type { Importer } from '../importer.js';
import { geojsonImporter } from './geojson.js';
import { googleRecordsImporter } from './google-records.js';
import { googleSemanticImporter } from './google-semantic.js';
import { googleTimelineAndroidImporter } from './google-timeline-android.js';
import { googleTimelineIosImporter } from './google-timeline-ios.js';
import { gpxImporter } from './gpx.js';
import { kmlImporter } from './kml.js';

export const locationImporters: readonly Importer[] = [
  googleRecordsImporter,
  googleSemanticImporter,
  googleTimelineAndroidImporter,
  googleTimelineIosImporter,
  gpxImporter,
  kmlImporter,
  geojsonImporter,
];
