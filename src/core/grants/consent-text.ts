/**
 * The consent text: what the owner reads before accepting, in English and French, rendered from
 * the terms alone, so the same terms always give the same text and the same hash. The hash is
 * stored with the owner's act: it proves which text they saw.
 */
import { createHash } from 'node:crypto';
import type { Catalog } from '../catalog/catalog.js';
import type { Verb } from '../gate.js';
import type { ConsentText, Grantee, GrantTerms, Scope } from './grant.js';
import { purposeOf } from './purposes.js';
import { filterInWords } from './filter-words.js';
import { parseSelector } from '../documents/selector.js';
import type { JsonSchema } from '../catalog/doctype.js';

type Lang = 'en' | 'fr';

const VERBS: Record<Verb, ConsentText> = {
  read: { en: 'read', fr: 'lire' },
  create: { en: 'add', fr: 'ajouter' },
  update: { en: 'change', fr: 'modifier' },
  delete: { en: 'delete', fr: 'supprimer' },
};

const KINDS: Record<Grantee['kind'], ConsentText> = {
  app: { en: 'The app', fr: 'L’application' },
  service: { en: 'The app service', fr: 'Le service d’application' },
  connector: { en: 'The connector', fr: 'Le connecteur' },
  client: { en: 'The outside service', fr: 'Le service extérieur' },
  collective: { en: 'The collective', fr: 'Le collectif' },
  person: { en: '', fr: '' },
};

export function renderConsentText(catalog: Catalog, grantee: Grantee, terms: GrantTerms): ConsentText {
  return { en: render('en', catalog, grantee, terms), fr: render('fr', catalog, grantee, terms) };
}

export function consentHash(text: ConsentText): string {
  return createHash('sha256')
    .update(JSON.stringify([text.en, text.fr]))
    .digest('hex');
}

function render(lang: Lang, catalog: Catalog, grantee: Grantee, terms: GrantTerms): string {
  const t = (en: string, fr: string) => (lang === 'en' ? en : fr);
  const who =
    `${KINDS[grantee.kind][lang]} “${grantee.name}”${grantee.publisher ? ` (${grantee.publisher})` : ''}`.trim();
  const purpose = purposeOf(terms.purpose.code);
  const lines = [
    t(`${who} asks for access to your data.`, `${who} demande l’accès à vos données.`),
    '',
    t('Purpose: ', 'Finalité : ') +
      `${purpose ? purpose[lang] : terms.purpose.code}. ${terms.purpose.text[lang]}`.trim(),
    '',
    t('Data:', 'Données :'),
    ...terms.scopes.map((scope) => `- ${scopeLine(lang, catalog, scope)}`),
    '',
    t('Where it goes: ', 'Où vont les données : ') + storageLine(lang, terms),
    t('Kept by the grantee: ', 'Conservation par le bénéficiaire : ') + duration(lang, terms.retention),
    t('Valid until: ', 'Valable jusqu’au : ') + terms.validUntil.slice(0, 10),
    t('If you withdraw: ', 'Si vous retirez votre accord : ') +
      (terms.onWithdraw === 'delete'
        ? t(
            'what it created in your space is deleted, unless you choose to keep it.',
            'ce qu’il a créé dans votre espace est supprimé, sauf si vous choisissez de le garder.',
          )
        : t(
            'what it created in your space is kept, unless you choose to delete it.',
            'ce qu’il a créé dans votre espace est conservé, sauf si vous choisissez de le supprimer.',
          )),
    t(
      'You can withdraw this consent at any time from your space.',
      'Vous pouvez retirer cet accord à tout moment depuis votre espace.',
    ),
  ];
  return lines.join('\n');
}

function scopeLine(lang: Lang, catalog: Catalog, scope: Scope): string {
  const t = (en: string, fr: string) => (lang === 'en' ? en : fr);
  const doctype = catalog.get(scope.doctype);
  const title = doctype
    ? `${doctype.title[lang]} (${scope.doctype})`
    : scope.doctype === 'foyer.file'
      ? t('your files', 'vos fichiers')
      : scope.doctype;
  const verbs = scope.verbs.map((v) => VERBS[v][lang]).join(', ');
  const parts = [`${title}: ${verbs}`];
  const filter = scope.filter ? parseSelector(scope.filter) : null;
  if (filter) {
    const words = filterInWords(filter, lang, (field) => fieldLabel(doctype?.schema, field, lang));
    parts.push(t(`only where ${words}`, `seulement si ${words}`));
  }
  if (scope.fields) {
    const listed = scope.fields.map((f) => fieldLabel(doctype?.schema, f, lang)).join(', ');
    parts.push(t(`only the fields ${listed}`, `seulement les champs ${listed}`));
  }
  if (scope.optional) parts.push(t('optional', 'facultatif'));
  const reason = scope.reason ? ` (${scope.reason[lang]})` : '';
  return `${parts.join('; ')}${reason}`;
}

function storageLine(lang: Lang, terms: GrantTerms): string {
  const s = terms.storage;
  if (s.kind === 'space') {
    return lang === 'en' ? 'it stays in your space.' : 'elles restent dans votre espace.';
  }
  const where = [s.name, s.country, s.url].filter(Boolean).join(', ');
  return lang === 'en' ? `copied to ${where}.` : `copiées chez ${where}.`;
}

const UNITS: Record<string, [string, string, string, string]> = {
  Y: ['year', 'years', 'an', 'ans'],
  M: ['month', 'months', 'mois', 'mois'],
  W: ['week', 'weeks', 'semaine', 'semaines'],
  D: ['day', 'days', 'jour', 'jours'],
};

/** `P1Y6M` → "1 year 6 months" / "1 an 6 mois"; time parts (PT…) are shown as given. */
export function duration(lang: Lang, iso: string): string {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(iso);
  if (!m) return iso;
  const out: string[] = [];
  (['Y', 'M', 'W', 'D'] as const).forEach((unit, i) => {
    const n = m[i + 1];
    if (n === undefined) return;
    const [one, many, un, plusieurs] = UNITS[unit]!;
    const count = Number(n);
    out.push(`${count} ${lang === 'en' ? (count === 1 ? one : many) : count <= 1 ? un : plusieurs}`);
  });
  return out.length ? out.join(' ') : iso;
}

/** A field's title in the doctype's schema (`x-label-fr` in French) with its path, else the path. */
function fieldLabel(schema: JsonSchema | undefined, field: string, lang: Lang): string {
  let node: unknown = schema;
  for (const part of field.split('.')) {
    const properties = (node as { properties?: Record<string, unknown> } | undefined)?.properties;
    node = properties?.[part];
    if (node === undefined) return field;
  }
  const named = node as { title?: unknown; 'x-label-fr'?: unknown };
  const label = lang === 'fr' ? named['x-label-fr'] : named.title;
  if (typeof label !== 'string') return field;
  const lower = label.toLowerCase();
  return lower === field.toLowerCase() ? lower : `${lower} (${field})`;
}
