/** Writes docs/app-manifest.schema.json from the zod schema (a test checks it is current). */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageRoot } from '../platform/package-root.js';
import { appManifestJsonSchema } from './manifest.js';

await writeFile(
  join(packageRoot(), 'docs', 'app-manifest.schema.json'),
  `${JSON.stringify(appManifestJsonSchema(), null, 2)}\n`,
);
