import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appManifestJsonSchema } from './manifest.js';

const PUBLISHED = join(import.meta.dirname, '../../docs/app-manifest.schema.json');

describe('published manifest JSON Schema', () => {
  it('is the one the code checks with (regenerate: npx tsx src/apps/write-manifest-schema.ts)', async () => {
    const published = JSON.parse(await readFile(PUBLISHED, 'utf8')) as unknown;
    expect(published).toEqual(appManifestJsonSchema());
  });

  it('validates the tutorial manifest with ajv', async () => {
    const { Ajv2020 } = await import('ajv/dist/2020.js');
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(appManifestJsonSchema());
    const tutorial = JSON.parse(
      await readFile(join(import.meta.dirname, '../../docs/tutorial-app/manifest.json'), 'utf8'),
    );
    expect(validate(tutorial), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...tutorial, scopes: [] })).toBe(false);
  });
});
