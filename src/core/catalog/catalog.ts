import type { ValidateFunction } from 'ajv';
import { FoyerError } from '../errors.js';
import type { Doctype } from './doctype.js';
import { issuesFromAjvErrors, type ValidationIssue } from './validation-issue.js';

/** A doctype together with its validator, compiled once (at load, or at first use). */
export interface CatalogEntry {
  doctype: Doctype;
  /** The compiled validator when the catalog was loaded with `verify`, else null until first use. */
  validate: ValidateFunction | null;
  load: () => Promise<ValidateFunction>;
}

export interface Catalog {
  /** Every doctype, sorted by name. */
  list(): readonly Doctype[];
  get(name: string): Doctype | undefined;
  /**
   * The validator of one doctype (compiled on first request): it checks one document (for a series
   * doctype: one point), an empty result meaning valid. Rejects with `unknown_doctype` for a name
   * the catalog does not hold.
   */
  validator(name: string): Promise<(value: unknown) => ValidationIssue[]>;
  /**
   * Validates at once. Needs the validator compiled: always the case for a catalog loaded with
   * `verify` (tests, tools); a server's lazily loaded catalog uses `validator()`.
   */
  validate(name: string, value: unknown): ValidationIssue[];
}

interface Compiled {
  doctype: Doctype;
  load: () => Promise<ValidateFunction>;
  validate: ValidateFunction | null;
  allowsExtra: boolean;
}

export function createCatalog(entries: readonly CatalogEntry[]): Catalog {
  const byName = new Map<string, Compiled>();
  for (const { doctype, validate, load } of entries) {
    if (byName.has(doctype.name)) throw new FoyerError('internal', `Doctype ${doctype.name} is defined twice`);
    const properties = doctype.schema.properties as Record<string, unknown> | undefined;
    byName.set(doctype.name, { doctype, load, validate, allowsExtra: properties?.extra !== undefined });
  }
  const sorted = [...byName.values()].map((c) => c.doctype).sort((a, b) => (a.name < b.name ? -1 : 1));

  return {
    list: () => sorted,
    get: (name) => byName.get(name)?.doctype,
    validate(name, value) {
      const compiled = byName.get(name);
      if (!compiled) throw new FoyerError('unknown_doctype', `Unknown doctype: ${name}`, { doctype: name });
      if (!compiled.validate) throw new FoyerError('internal', `The validator of ${name} is not compiled yet.`);
      return compiled.validate(value) ? [] : issuesFromAjvErrors(compiled.validate.errors, compiled.allowsExtra);
    },
    async validator(name) {
      const compiled = byName.get(name);
      if (!compiled) throw new FoyerError('unknown_doctype', `Unknown doctype: ${name}`, { doctype: name });
      const validate = (compiled.validate ??= await compiled.load());
      // The hot path: one call to the compiled function; issues are built only on failure.
      return (value) => (validate(value) ? [] : issuesFromAjvErrors(validate.errors, compiled.allowsExtra));
    },
  };
}
