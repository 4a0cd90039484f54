/**
 * An app package: a folder `apps/<id>/` with `manifest.json`, the web entry (`web/index.html` and
 * its TS/TSX script) and the services' code (`services/*.ts`). Loading one checks the manifest,
 * that every file it names exists, and that every doctype it defines has a JSON Schema that
 * compiles (ajv, draft 2020-12, strict), so a bad package is refused before anything is asked.
 */
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { FoyerError } from '../core/errors.js';
import type { Doctype } from '../core/catalog/doctype.js';
import { appDoctypePrefix, parseAppManifest, type AppDoctype, type AppManifest } from './manifest.js';

export interface AppPackage {
  /** Absolute path of the app's folder. */
  dir: string;
  manifest: AppManifest;
  /** The doctypes the app defines, as catalog doctypes. */
  doctypes: Doctype[];
}

const invalid = (message: string, path: string) =>
  new FoyerError('validation_failed', message, { issues: [{ path, rule: 'app', message }] });

/**
 * `verify` (default true) compiles the doctypes' schemas now; Foyer's own registry is loaded with
 * false at start (its apps' schemas are checked by their tests; ajv then loads on first use).
 */
export async function loadAppPackage(folder: string, options: { verify?: boolean } = {}): Promise<AppPackage> {
  const dir = resolve(folder);
  let text: string;
  try {
    text = await readFile(join(dir, 'manifest.json'), 'utf8');
  } catch {
    throw new FoyerError('not_found', `There is no app at ${folder}: manifest.json is missing.`, { folder });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw invalid(`manifest.json is not valid JSON (${(e as Error).message}).`, '/');
  }
  const manifest = parseAppManifest(json);
  const files = [
    ...(manifest.web ? [['/web/html', manifest.web.html] as const, ['/web/script', manifest.web.script] as const] : []),
    ...manifest.services.map((s, i) => [`/services/${i}/code`, s.code] as const),
  ];
  for (const [path, file] of files) {
    const found = await stat(join(dir, file)).catch(() => null);
    if (!found?.isFile()) throw invalid(`${path}: ${file} does not exist in the app's folder.`, path);
  }
  const ajv = manifest.doctypes.length > 0 && options.verify !== false ? await createAppAjv() : null;
  const doctypes = manifest.doctypes.map((d, i) => appDoctype(manifest.id, d, i, ajv));
  return { dir, manifest, doctypes };
}

/** The validator settings of the catalog's doctypes (draft 2020-12, strict, formats, French labels). */
export async function createAppAjv(): Promise<Ajv2020> {
  const [{ Ajv2020 }, { default: ajvFormats }] = await Promise.all([import('ajv/dist/2020.js'), import('ajv-formats')]);
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  ajvFormats.default(ajv);
  ajv.addKeyword({ keyword: 'x-label-fr', schemaType: 'string' });
  return ajv;
}

/** The doctype as the catalog holds it; its schema must be an object schema that compiles. */
function appDoctype(appId: string, d: AppDoctype, i: number, ajv: Ajv2020 | null): Doctype {
  const path = `/doctypes/${i}/schema`;
  if (!d.name.startsWith(appDoctypePrefix(appId)))
    throw invalid(`/doctypes/${i}/name: not in the app's namespace`, path);
  if (d.schema.type !== 'object') throw invalid(`${path}: "type" must be "object".`, path);
  const schema = {
    ...d.schema,
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `urn:foyer:doctype:${d.name}:1`,
  };
  try {
    ajv?.compile(schema);
  } catch (e) {
    throw invalid(`${path}: the JSON Schema does not compile (${(e as Error).message}).`, path);
  }
  return {
    name: d.name,
    version: 1,
    kind: 'document',
    title: d.title,
    description: d.description,
    schema,
    example: {},
    retention: d.retention,
    retentionField: null,
    sensitivity: d.sensitivity,
    indexes: [],
    fileFields: [],
    series: null,
  };
}
