import { it } from 'vitest';
import { readFileSync } from 'node:fs';
import { runImporter } from '../../testing/importers.js';
import { appleHealthImporter } from '../../importers/health/apple-health-importer.js';
it('x', async () => {
  for (const f of [
    'apple-health-export.xml',
    'apple-health-ios16.xml',
    'apple-health-12-hour.xml',
    'apple-health-thai-calendar.xml',
  ]) {
    const r = await runImporter(appleHealthImporter, readFileSync('/work/main/src/importers/health/fixtures/' + f), {
      name: f,
    });
    console.log(
      f,
      JSON.stringify(
        r.records.map((x) => [x.kind === 'document' ? x.key : '', x.data]),
        null,
        0,
      ),
      r.warnings,
    );
  }
});
