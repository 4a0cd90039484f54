/**
 * The catalog Foyer serves: the built-in doctypes plus those defined by the apps it knows (the
 * registry's, and any installed from a folder). App doctypes are named `app.<id>.<name>`, so they
 * never shadow a catalog doctype; using one still needs a grant naming it, which only the app's
 * install asks for.
 */
import type { ValidateFunction } from 'ajv';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import type { Catalog } from '../core/catalog/catalog.js';
import type { Doctype } from '../core/catalog/doctype.js';
import { issuesFromAjvErrors } from '../core/catalog/validation-issue.js';
import { FoyerError } from '../core/errors.js';
import { stable } from '../core/grants/grant-terms.js';
import { createAppAjv } from './app-package.js';

export interface AppCatalog extends Catalog {
  /** Adds an app's doctypes (or replaces their earlier definition); a catalog doctype's name is refused. */
  define(doctypes: readonly Doctype[]): void;
}

export function createAppCatalog(base: Catalog): AppCatalog {
  const own = new Map<string, { doctype: Doctype; validate: ValidateFunction | null }>();
  let sorted: readonly Doctype[] | null = null;
  let ajv: Promise<Ajv2020> | undefined;
  const getAjv = () => (ajv ??= createAppAjv());
  const issuesOf = (validate: ValidateFunction, value: unknown) =>
    validate(value) ? [] : issuesFromAjvErrors(validate.errors, false);

  return {
    list: () =>
      (sorted ??= [...base.list(), ...[...own.values()].map((o) => o.doctype)].sort((a, b) =>
        a.name < b.name ? -1 : 1,
      )),
    get: (name) => base.get(name) ?? own.get(name)?.doctype,
    async validator(name) {
      const entry = own.get(name);
      if (!entry) return base.validator(name);
      if (!entry.validate) {
        const compiled = (await getAjv()).compile(entry.doctype.schema);
        entry.validate = compiled;
      }
      const validate = entry.validate;
      return (value) => issuesOf(validate, value);
    },
    validate(name, value) {
      const entry = own.get(name);
      if (!entry) return base.validate(name, value);
      if (!entry.validate) throw new FoyerError('internal', `The validator of ${name} is not compiled yet.`);
      return issuesOf(entry.validate, value);
    },
    define(doctypes) {
      for (const doctype of doctypes) {
        if (base.get(doctype.name)) throw new FoyerError('conflict', `${doctype.name} is a catalog doctype.`);
        const known = own.get(doctype.name);
        // An app's update may change its own doctypes' schemas: the newest definition wins.
        if (known && stable(known.doctype.schema) === stable(doctype.schema)) continue;
        own.set(doctype.name, { doctype, validate: null });
        sorted = null;
      }
    },
  };
}
