/**
 * Checking a grant's terms, compiling its scopes for the gate, and telling whether new terms
 * need the owner's consent again (anything wider, or another purpose, storage, retention).
 */
import type { Catalog } from '../catalog/catalog.js';
import { FoyerError } from '../errors.js';
import type { Verb } from '../gate.js';
import { assertFieldPath, parseSelector } from '../documents/selector.js';
import type { Selector } from '../../storage/document-store.js';
import { FILE_DOCTYPE } from '../files/file-doctype.js';
import type { GrantTerms, Scope } from './grant.js';
import { purposeOf } from './purposes.js';

export const VERBS: readonly Verb[] = ['read', 'create', 'update', 'delete'];
const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;
const MAX_SCOPES = 50;

/** A scope as the gate uses it. */
export interface CompiledScope {
  doctype: string;
  verbs: ReadonlySet<Verb>;
  filter: Selector | null;
  fields: readonly string[] | null;
}

export function compileScope(scope: Scope): CompiledScope {
  return {
    doctype: scope.doctype,
    verbs: new Set(scope.verbs),
    filter: scope.filter ? parseSelector(scope.filter) : null,
    fields: scope.fields ?? null,
  };
}

function bad(path: string, message: string): FoyerError {
  return new FoyerError('validation_failed', `${path}: ${message}`, {
    issues: [{ path, rule: 'grant', message: `${path}: ${message}` }],
  });
}

/** Throws `validation_failed` naming the first thing wrong with the terms. */
export function checkTerms(catalog: Catalog, terms: GrantTerms, now: number): void {
  if (terms.scopes.length === 0) throw bad('/scopes', 'a grant needs at least one scope');
  if (terms.scopes.length > MAX_SCOPES) throw bad('/scopes', `a grant has at most ${MAX_SCOPES} scopes`);
  const seen = new Set<string>();
  terms.scopes.forEach((scope, i) => {
    const at = `/scopes/${i}`;
    const doctype = catalog.get(scope.doctype);
    if (!doctype && scope.doctype !== FILE_DOCTYPE) {
      throw bad(`${at}/doctype`, `there is no doctype named "${scope.doctype}"`);
    }
    if (seen.has(scope.doctype)) throw bad(`${at}/doctype`, `"${scope.doctype}" appears in two scopes; merge them`);
    seen.add(scope.doctype);
    if (scope.verbs.length === 0 || new Set(scope.verbs).size !== scope.verbs.length) {
      throw bad(`${at}/verbs`, 'list each verb once, at least one');
    }
    const isDocuments = doctype?.kind === 'document';
    if ((scope.filter || scope.fields) && !isDocuments) {
      throw bad(at, 'filters and field lists apply to document doctypes only (not to time series or files)');
    }
    if (scope.filter) {
      try {
        parseSelector(scope.filter);
      } catch (e) {
        throw bad(`${at}/filter`, (e as Error).message);
      }
    }
    if (scope.fields) {
      if (scope.fields.length === 0) throw bad(`${at}/fields`, 'a field list names at least one field');
      for (const field of scope.fields) {
        try {
          assertFieldPath(field);
        } catch (e) {
          throw bad(`${at}/fields`, (e as Error).message);
        }
      }
    }
  });
  if (!purposeOf(terms.purpose.code)) {
    throw bad('/purpose/code', `"${terms.purpose.code}" is not in the list of purposes (GET /api/purposes)`);
  }
  if (!ISO_DURATION.test(terms.retention)) throw bad('/retention', 'must be an ISO 8601 duration, e.g. P1Y');
  const until = Date.parse(terms.validUntil);
  if (Number.isNaN(until)) throw bad('/validUntil', 'must be an ISO 8601 instant');
  if (until <= now) throw bad('/validUntil', 'must be in the future');
}

/**
 * `none`: same terms. `narrower`: nothing new for the grantee (fewer scopes, verbs or fields; an
 * earlier end), so it applies without asking. `needs-consent`: anything else.
 */
export function termsChange(before: GrantTerms, after: GrantTerms): 'none' | 'narrower' | 'needs-consent' {
  if (stable(before) === stable(after)) return 'none';
  const same = (a: unknown, b: unknown) => stable(a) === stable(b);
  if (
    !same(before.purpose, after.purpose) ||
    !same(before.storage, after.storage) ||
    before.retention !== after.retention ||
    before.onWithdraw !== after.onWithdraw ||
    Date.parse(after.validUntil) > Date.parse(before.validUntil)
  ) {
    return 'needs-consent';
  }
  const covered = after.scopes.every((scope) => {
    const old = before.scopes.find((s) => s.doctype === scope.doctype);
    if (!old) return false;
    if (!scope.verbs.every((v) => old.verbs.includes(v))) return false;
    if (old.filter && !same(old.filter, scope.filter)) return false;
    if (old.fields && !(scope.fields ?? [null]).every((f) => f !== null && old.fields!.includes(f))) return false;
    return true;
  });
  return covered ? 'narrower' : 'needs-consent';
}

/** JSON with object keys sorted, so equal values compare equal whatever their key order. */
export function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}
