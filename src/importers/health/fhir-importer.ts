/**
 * FHIR R4 JSON: a Bundle (streamed entry by entry), a bulk-data NDJSON file (one resource a line),
 * or a single resource (as in Apple Health's `clinical-records/` folder). See
 * `docs/importers/health.md` for what is kept of each resource type.
 */
import { JSONParser } from '@streamparser/json';
import { importError } from '../import-error.js';
import type { Importer, ImportRecord, ImportSample, ParseContext } from '../importer.js';
import { claimOf, encounterOf, normaliseReference, observationOf, type ResourceContext } from './fhir-resources.js';
import { jsonValues } from './json-values.js';

type Json = Record<string, unknown>;

const READ = new Set(['Observation', 'Encounter', 'Claim', 'ExplanationOfBenefit', 'Patient']);

/** The layout of a FHIR JSON file, read from its first bytes. */
type Layout = 'bundle' | 'ndjson' | 'resource';

export const fhirImporter: Importer = {
  id: 'fhir',
  title: 'FHIR R4 health records (JSON bundle, bulk NDJSON or single resource)',
  doctypes: ['health.observation', 'health.encounter', 'health.claim'],

  detect(sample: ImportSample): number {
    if (!/^\s*\{/.test(sample.text) || !sample.text.includes('"resourceType"')) return 0;
    const { layout, resourceType } = layoutOf(sample);
    if (layout === 'bundle') return 0.95;
    if (layout === 'ndjson') return 0.9;
    if (resourceType && READ.has(resourceType)) return 0.85;
    // Another FHIR resource (a Condition, a Medication...): recognised, though nothing is kept of it.
    return resourceType && /^[A-Z][A-Za-z]+$/.test(resourceType) ? 0.4 : 0;
  },

  async *parse(source, ctx): AsyncIterable<ImportRecord> {
    const tally = createTally(ctx);
    const { layout } = layoutOf(source.sample);
    if (layout === 'ndjson') {
      for await (const { n, text } of source.lines()) {
        if (text.trim() === '') continue;
        let resource: unknown;
        try {
          resource = JSON.parse(text);
        } catch (e) {
          throw importError(source.name, `this line is not valid JSON (${(e as Error).message}).`, n);
        }
        yield* recordsOf(resource, { file: source.name, line: n }, ctx, tally);
      }
    } else if (layout === 'resource') {
      // Also read as a stream of root values: an NDJSON file whose first line is longer than the
      // sample looks like a single resource.
      for await (const { value, line } of jsonValues(source, ['$'], '')) {
        yield* recordsOf(value, { file: source.name, line }, ctx, tally);
      }
    } else {
      let rootType: unknown;
      for await (const { value, key, depth, line } of jsonValues(source, ['$.resourceType', '$.entry.*'])) {
        if (depth === 1 && key === 'resourceType') {
          rootType = value;
          if (rootType !== 'Bundle')
            throw importError(source.name, 'this FHIR file is neither a Bundle nor a resource.');
          continue;
        }
        if (!isObject(value) || !isObject(value.resource)) {
          tally.skip('bundle entries without a resource', 'a request or a response only');
          continue;
        }
        const fullUrl = typeof value.fullUrl === 'string' ? value.fullUrl : undefined;
        yield* recordsOf(value.resource, { file: source.name, fullUrl, line }, ctx, tally);
      }
      if (rootType !== 'Bundle')
        throw importError(source.name, 'this JSON is not a FHIR Bundle: it has no "resourceType": "Bundle".');
    }
    tally.report();
  },
};

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function recordsOf(resource: unknown, where: ResourceContext, ctx: ParseContext, tally: Tally): ImportRecord[] {
  if (!isObject(resource) || typeof resource.resourceType !== 'string') {
    tally.skip('items that are not FHIR resources', 'no resourceType');
    return [];
  }
  const type = resource.resourceType;
  let record: ImportRecord | null = null;
  switch (type) {
    case 'Observation':
      record = observationOf(resource, where, ctx);
      break;
    case 'Encounter':
      record = encounterOf(resource, where, ctx);
      break;
    case 'Claim':
    case 'ExplanationOfBenefit':
      record = claimOf(resource, type, where, ctx);
      break;
    case 'Patient':
      tally.patient(resource, where);
      break;
    case 'Bundle':
      // A bundle inside a bundle (a document or a message): its own entries are not read.
      tally.skip('nested Bundle resources', 'their entries are not read');
      break;
    default:
      tally.skip(`${type.slice(0, 60)} resources`);
  }
  return record ? [record] : [];
}

interface Tally {
  /** One more of `what` not imported, because of `why` (by default: no doctype for it). */
  skip(what: string, why?: string): void;
  patient(resource: Json, where: ResourceContext): void;
  report(): void;
}

/**
 * Counts what is not imported, to say it once at the end rather than once per resource. Patient
 * resources are the person's own identity (name, birth date, address, identifiers): Foyer keeps
 * no copy of it, and says so; several patients mean the file mixes people, which the preview
 * should show.
 */
function createTally(ctx: ParseContext): Tally {
  const skipped = new Map<string, number>();
  const patients = new Set<string>();
  let firstPatientLine: number | undefined;
  return {
    skip(what, why = 'no catalog doctype yet') {
      const label = `${what} not imported (${why})`;
      skipped.set(label, (skipped.get(label) ?? 0) + 1);
    },
    patient(resource, where) {
      const id = typeof resource.id === 'string' ? `Patient/${resource.id}` : (where.fullUrl ?? `#${patients.size}`);
      if (patients.size < 1000) patients.add(normaliseReference(id));
      firstPatientLine ??= where.line;
    },
    report() {
      if (patients.size > 0) {
        ctx.warn({
          line: firstPatientLine,
          message:
            'the Patient resource (name, birth date, address, identifiers) is not imported: Foyer keeps no copy of your identity from files.',
        });
      }
      if (patients.size > 1) {
        ctx.warn({
          message: `the file holds the records of ${patients.size} patients: they are all imported into this space.`,
        });
      }
      for (const [label, count] of skipped) ctx.warn({ message: `${count} ${label}.` });
    },
  };
}

/**
 * Bundle, NDJSON or single resource, from the sample: NDJSON has a whole resource on its first
 * line and another line after it; otherwise the root object's own resourceType tells (found by
 * parsing the sample, since "resourceType" also appears inside entries and may come last).
 */
function layoutOf(sample: ImportSample): { layout: Layout; resourceType?: string } {
  const text = sample.text;
  const firstEnd = text.indexOf('\n');
  if (firstEnd > 0) {
    const first = text.slice(0, firstEnd).trim();
    if (first.endsWith('}') && /^\s*\{/.test(text.slice(firstEnd))) {
      try {
        const parsed: unknown = JSON.parse(first);
        if (isObject(parsed) && typeof parsed.resourceType === 'string') {
          return { layout: 'ndjson', resourceType: parsed.resourceType };
        }
      } catch {
        // Not a resource on one line: a pretty-printed object.
      }
    }
  }
  const resourceType = rootResourceType(text);
  if (resourceType === undefined) return { layout: 'bundle' };
  return { layout: resourceType === 'Bundle' ? 'bundle' : 'resource', resourceType };
}

function rootResourceType(text: string): string | undefined {
  let found: string | undefined;
  const parser = new JSONParser({ paths: ['$.resourceType'], keepStack: false });
  parser.onValue = ({ value }) => {
    if (typeof value === 'string') found ??= value;
  };
  try {
    parser.write(text);
  } catch {
    // The sample may end mid-value, or not be JSON at all: what was found so far is the answer.
  }
  return found;
}
