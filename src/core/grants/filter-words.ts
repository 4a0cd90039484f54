/**
 * A grant's filter in plain words, for the consent text: a person reads "account id is “acc-1”",
 * not a selector. Field names are shown with their doctype's labels where the catalog has them.
 */
import type { Scalar, Selector } from '../../storage/document-store.js';

type Lang = 'en' | 'fr';

const WORDS: Record<Lang, Record<string, string>> = {
  en: {
    eq: 'is',
    ne: 'is not',
    gt: 'is more than',
    gte: 'is at least',
    lt: 'is less than',
    lte: 'is at most',
    in: 'is one of',
    exists: 'is given',
    missing: 'is not given',
    and: ' and ',
    or: ' or ',
    null: 'empty',
    true: 'yes',
    false: 'no',
  },
  fr: {
    eq: 'vaut',
    ne: 'ne vaut pas',
    gt: 'est supérieur à',
    gte: 'vaut au moins',
    lt: 'est inférieur à',
    lte: 'vaut au plus',
    in: 'vaut l’un de',
    exists: 'est renseigné',
    missing: 'n’est pas renseigné',
    and: ' et ',
    or: ' ou ',
    null: 'vide',
    true: 'oui',
    false: 'non',
  },
};

/** `label(field)` gives the field's name as a person reads it (e.g. from the schema's titles). */
export function filterInWords(selector: Selector, lang: Lang, label: (field: string) => string): string {
  const w = WORDS[lang];
  const value = (v: Scalar): string =>
    v === null ? w.null! : typeof v === 'boolean' ? w[String(v)]! : typeof v === 'string' ? `“${v}”` : String(v);
  const say = (s: Selector, nested: boolean): string => {
    switch (s.op) {
      case 'and':
      case 'or': {
        const text = s.of.map((x) => say(x, true)).join(w[s.op]);
        return nested && s.of.length > 1 ? `(${text})` : text;
      }
      case 'exists':
        return `${label(s.field)} ${s.value ? w.exists : w.missing}`;
      case 'in':
        return `${label(s.field)} ${w.in} ${s.values.map(value).join(', ')}`;
      default:
        return `${label(s.field)} ${w[s.op]} ${value(s.value)}`;
    }
  };
  return say(selector, false);
}
