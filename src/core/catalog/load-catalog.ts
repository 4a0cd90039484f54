import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FormatDefinition, ValidateFunction } from 'ajv';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { FoyerError } from '../errors.js';
import { createCatalog, type Catalog, type CatalogEntry } from './catalog.js';
import type { Doctype, JsonSchema } from './doctype.js';
import { parseDoctypeMeta, type DoctypeMeta } from './doctype-meta.js';
import { fastDate, fastDateTime } from './fast-formats.js';
import { describeIssues, issuesFromAjvErrors } from './validation-issue.js';

const draft2020 = 'https://json-schema.org/draft/2020-12/schema';

/**
 * `<package root>/catalog/doctypes`. The package root is the nearest folder above this file with
 * a package.json: `src/core/catalog` under tsx, `dist/src/core/catalog` once compiled (the JSON
 * and Markdown files are not copied to dist, so both resolve to the repository's catalog).
 */
export function defaultCatalogDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'catalog', 'doctypes');
    const parent = dirname(dir);
    if (parent === dir) throw new FoyerError('internal', 'Cannot find the package root (no package.json above)');
    dir = parent;
  }
}

/**
 * One ajv per catalog: schemas compile once, with every error reported. ajv is imported when the
 * first schema is compiled (~11 MB of code an idle server does not need).
 */
async function createDoctypeAjv(verify: boolean): Promise<Ajv2020> {
  const [{ Ajv2020 }, { default: ajvFormats }] = await Promise.all([import('ajv/dist/2020.js'), import('ajv-formats')]);
  // Checking each schema against the draft 2020-12 meta-schema (compiling that first: ~60 ms of a
  // `foyer import`'s start) is for the catalog's tests, which load it with `verify`.
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, validateSchema: verify });
  // ajv-formats is CommonJS; under NodeNext its function is the module's `default`.
  ajvFormats.default(ajv);
  // The same answers, faster, for the shapes importers and services write (fast-formats.ts).
  const dateTime = ajv.formats['date-time'] as { validate: (s: string) => boolean; compare: unknown };
  ajv.addFormat('date-time', { ...dateTime, validate: fastDateTime(dateTime.validate) } as FormatDefinition<string>);
  ajv.addFormat('date', { ...(ajv.formats['date'] as FormatDefinition<string>), validate: fastDate });
  ajv.addKeyword({ keyword: 'x-label-fr', schemaType: 'string' });
  return ajv;
}

/**
 * Reads every folder of `dir` as a doctype and checks it is well formed: doctype.json valid and
 * naming its folder, schema.json a draft 2020-12 schema that compiles with the right `$id`, the
 * fields doctype.json mentions present in the schema, description.md not empty, and example.json
 * valid. Throws a FoyerError naming the folder and the problem otherwise.
 */
export interface LoadCatalogOptions {
  /**
   * `true` (default): compile every schema and validate every example now. `false`: compile each
   * schema on its first use. A server takes `false`: compiled validators weigh ~25 MB, and the
   * catalog's own tests load it with `true`, so a broken schema never reaches a release.
   */
  verify?: boolean;
}

export async function loadCatalog(dir: string, options: LoadCatalogOptions = {}): Promise<Catalog> {
  const verify = options.verify ?? true;
  let folders: string[];
  try {
    folders = (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    throw new FoyerError('internal', `Cannot read the catalog folder ${dir}`);
  }
  if (folders.length === 0) throw new FoyerError('internal', `The catalog folder ${dir} holds no doctype folder`);
  let ajv: Promise<Ajv2020> | undefined;
  const getAjv = () => (ajv ??= createDoctypeAjv(verify));
  // Folders read at once (a few hundred small files, one after the other, were most of the load);
  // a problem is still reported for the first folder, in name order, that has one.
  const loaded = await Promise.allSettled(
    folders.map((folder) => loadDoctypeFolder(getAjv, join(dir, folder), folder, verify)),
  );
  const entries: CatalogEntry[] = [];
  for (const result of loaded) {
    if (result.status === 'rejected') throw result.reason;
    entries.push(result.value);
  }
  return createCatalog(entries);
}

async function loadDoctypeFolder(
  getAjv: () => Promise<Ajv2020>,
  path: string,
  folder: string,
  verify: boolean,
): Promise<CatalogEntry> {
  const fail = (problem: string) =>
    new FoyerError('internal', `Invalid doctype folder "${folder}" (${path}): ${problem}`, { folder, problem });

  // The four files are read at once; their checks still run in this order.
  const files = new Map(
    ['doctype.json', 'schema.json', 'description.md', 'example.json'].map((file) => [
      file,
      readFile(join(path, file), 'utf8').then(
        (text) => text,
        () => null,
      ),
    ]),
  );
  const readText = async (file: string): Promise<string> => {
    const text = await files.get(file);
    if (typeof text !== 'string') throw fail(`${file} is missing or unreadable`);
    return text;
  };
  const readJson = async (file: string): Promise<unknown> => {
    const text = await readText(file);
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      throw fail(`${file} is not valid JSON (${(e as Error).message})`);
    }
  };

  const parsed = parseDoctypeMeta(await readJson('doctype.json'));
  if ('problems' in parsed) throw fail(`doctype.json: ${parsed.problems.join('; ')}`);
  const meta = parsed.meta;
  if (meta.name !== folder) throw fail(`doctype.json names "${meta.name}" but the folder is "${folder}"`);

  const schema = await readJson('schema.json');
  if (!isObject(schema)) throw fail('schema.json must hold a JSON object');
  if (schema.$schema !== draft2020) throw fail(`schema.json: $schema must be "${draft2020}"`);
  const expectedId = `urn:foyer:doctype:${meta.name}:${meta.version}`;
  if (schema.$id !== expectedId) throw fail(`schema.json: $id must be "${expectedId}"`);
  if (schema.type !== 'object') throw fail('schema.json: type must be "object"');
  let compiled: Promise<ValidateFunction> | undefined;
  const validate = (): Promise<ValidateFunction> =>
    (compiled ??= getAjv().then((ajv) => {
      try {
        return ajv.compile(schema);
      } catch (e) {
        throw fail(`schema.json does not compile: ${(e as Error).message}`);
      }
    }));
  const fieldProblem = checkDeclaredFields(meta, schema);
  if (fieldProblem) throw fail(fieldProblem);

  const description = await readText('description.md');
  if (description.trim() === '') throw fail('description.md is empty');

  const example = await readJson('example.json');
  const allowsExtra = isObject(schema.properties) && schema.properties.extra !== undefined;
  const check = verify ? await validate() : null;
  const exampleProblem = (value: unknown): string | null =>
    check!(value) ? null : describeIssues(issuesFromAjvErrors(check!.errors, allowsExtra));
  if (!check) {
    // Checked by the catalog's tests; not at every start.
  } else if (meta.kind === 'series') {
    if (!Array.isArray(example) || example.length === 0)
      throw fail('example.json must hold a non-empty array of points for a series doctype');
    example.forEach((point, i) => {
      const problem = exampleProblem(point);
      if (problem) throw fail(`example.json point ${i} does not validate: ${problem}`);
    });
  } else {
    const problem = exampleProblem(example);
    if (problem) throw fail(`example.json does not validate: ${problem}`);
  }

  const doctype: Doctype = {
    name: meta.name,
    version: meta.version,
    kind: meta.kind,
    title: meta.title,
    description,
    schema: schema as JsonSchema,
    example,
    retention: meta.retention,
    retentionField: meta.retentionField,
    sensitivity: meta.sensitivity,
    indexes: meta.indexes,
    fileFields: meta.fileFields,
    series: meta.series,
  };
  return { doctype, validate: check, load: validate };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The fields doctype.json names (indexes, file fields, series) must exist in the schema. */
function checkDeclaredFields(meta: DoctypeMeta, schema: Record<string, unknown>): string | null {
  const properties = isObject(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? (schema.required as unknown[]) : [];
  const property = (field: string): Record<string, unknown> | null => {
    const p = properties[field];
    return isObject(p) ? p : null;
  };
  const types = (p: Record<string, unknown>): unknown[] => (Array.isArray(p.type) ? p.type : [p.type]);

  for (const index of meta.indexes)
    for (const field of index)
      if (!property(field)) return `doctype.json: index field "${field}" is not a property of schema.json`;

  for (const field of meta.fileFields) {
    const p = property(field);
    if (!p) return `doctype.json: file field "${field}" is not a property of schema.json`;
    const items = isObject(p.items) ? p.items : null;
    if (!(p.type === 'string' || (p.type === 'array' && items?.type === 'string')))
      return `doctype.json: file field "${field}" must be a string or an array of strings in schema.json`;
  }

  if (meta.retentionField !== null) {
    const field = meta.retentionField;
    const p = property(field);
    // Compared as strings by the stores: only days and UTC instants sort in time order.
    const dated = p?.type === 'string' && (p.format === 'date' || (p.format === 'date-time' && p.pattern === 'Z$'));
    if (!dated || !required.includes(field))
      return `doctype.json: retention field "${field}" must be a required date, or UTC date-time (pattern "Z$"), property of schema.json`;
  }

  const series = meta.series;
  if (!series) return null;
  const time = property(series.time.field);
  if (!time || time.format !== series.time.format || !required.includes(series.time.field))
    return `doctype.json: series time field "${series.time.field}" must be a required ${series.time.format} property of schema.json`;
  if (series.value !== null) {
    const value = property(series.value);
    if (!value || !types(value).some((t) => t === 'number' || t === 'integer') || !required.includes(series.value))
      return `doctype.json: series value field "${series.value}" must be a required numeric property of schema.json`;
  }
  if (series.stream !== null && (!property(series.stream) || !required.includes(series.stream)))
    return `doctype.json: series stream field "${series.stream}" must be a required property of schema.json`;
  return null;
}
