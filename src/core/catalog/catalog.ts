import type { ValidateFunction } from 'ajv';
import { FoyerError } from '../errors.js';
import type { Doctype } from './doctype.js';
import { issuesFromAjvErrors, type ValidationIssue } from './validation-issue.js';

/** A doctype together with its validator, compiled once (at load, or at first use). */
export interface CatalogEntry {
  doctype: Doctype;
  validate: () => ValidateFunction;
}

export interface Catalog {
  /** Every doctype, sorted by name. */
  list(): readonly Doctype[];
  get(name: string): Doctype | undefined;
  /**
   * Validates one document (for a series doctype: one point). Empty result = valid.
   * Throws `unknown_doctype` for a name the catalog does not hold.
   */
  validate(name: string, value: unknown): ValidationIssue[];
}

interface Compiled {
  doctype: Doctype;
  validate: () => ValidateFunction;
  allowsExtra: boolean;
}

export function createCatalog(entries: readonly CatalogEntry[]): Catalog {
  const byName = new Map<string, Compiled>();
  for (const { doctype, validate } of entries) {
    if (byName.has(doctype.name)) throw new FoyerError('internal', `Doctype ${doctype.name} is defined twice`);
    const properties = doctype.schema.properties as Record<string, unknown> | undefined;
    byName.set(doctype.name, { doctype, validate, allowsExtra: properties?.extra !== undefined });
  }
  const sorted = [...byName.values()].map((c) => c.doctype).sort((a, b) => (a.name < b.name ? -1 : 1));

  return {
    list: () => sorted,
    get: (name) => byName.get(name)?.doctype,
    validate(name, value) {
      const compiled = byName.get(name);
      if (!compiled) throw new FoyerError('unknown_doctype', `Unknown doctype: ${name}`, { doctype: name });
      // The hot path: one call to the precompiled function; issues are built only on failure.
      const validate = compiled.validate();
      if (validate(value)) return [];
      return issuesFromAjvErrors(validate.errors, compiled.allowsExtra);
    },
  };
}
