/**
 * A grant in plain words: who asks, which data (and what may be done with it), for what, where it
 * goes, how long the grantee keeps what it derives, until when, and what withdrawing does. The
 * words are the consent text's own (rendered by Foyer from the terms, in both languages, and
 * hashed: src/core/grants/consent-text.ts), cut into its parts, so the screen shows exactly what
 * the owner consents to; only dates are formatted for the locale here.
 */
import { formatDate } from '../../i18n/format.js';
import type { GrantVersion, GrantView, Lang } from './grant-types.js';

export interface ScopeWords {
  index: number;
  /** "Bill (bill): read, add; optional (to match)". */
  text: string;
  optional: boolean;
  /** Left out by the owner when accepting. */
  omitted: boolean;
}

export interface GrantWords {
  /** "The connector “Banque Horizon” asks for access to your data." */
  who: string;
  purpose: string;
  data: ScopeWords[];
  where: string;
  keptFor: string;
  /** The end, formatted for the locale. */
  validUntil: string;
  onWithdraw: string;
  /** The whole text, as hashed. */
  text: string;
}

const LABELS: Record<
  Lang,
  { purpose: string; data: string; where: string; kept: string; until: string; withdraw: string }
> = {
  en: {
    purpose: 'Purpose: ',
    data: 'Data:',
    where: 'Where it goes: ',
    kept: 'Kept by the grantee: ',
    until: 'Valid until: ',
    withdraw: 'If you withdraw: ',
  },
  fr: {
    purpose: 'Finalité : ',
    data: 'Données :',
    where: 'Où vont les données : ',
    kept: 'Conservation par le bénéficiaire : ',
    until: 'Valable jusqu’au : ',
    withdraw: 'Si vous retirez votre accord : ',
  },
};

/** The words of one version of a grant's terms. */
export function versionWords(version: GrantVersion, lang: Lang): GrantWords {
  const text = version.consentText[lang];
  const labels = LABELS[lang];
  const lines = text.split('\n');
  const after = (prefix: string) =>
    lines
      .find((l) => l.startsWith(prefix))
      ?.slice(prefix.length)
      .trim() ?? '';
  const dataStart = lines.indexOf(labels.data);
  const scopeLines: string[] = [];
  for (let i = dataStart + 1; dataStart >= 0 && i < lines.length && lines[i]!.startsWith('- '); i++)
    scopeLines.push(lines[i]!.slice(2));
  const omitted = new Set(version.decision?.omitted ?? []);
  return {
    who: lines[0] ?? '',
    purpose: after(labels.purpose),
    data: version.terms.scopes.map((scope, index) => ({
      index,
      text: scopeLines[index] ?? scope.doctype,
      optional: scope.optional === true,
      omitted: omitted.has(index),
    })),
    where: after(labels.where),
    keptFor: after(labels.kept),
    validUntil: formatDate(lang, version.terms.validUntil, 'long'),
    onWithdraw: after(labels.withdraw),
    text,
  };
}

/** The version to show: the one waiting for a decision, else the one in force, else the last one. */
export function shownVersion(grant: GrantView): GrantVersion | null {
  return grant.pending ?? grant.active ?? grant.history[grant.history.length - 1] ?? null;
}

/** A pending version of a consented grant with the same terms but a later end is a renewal. */
export function isRenewal(grant: GrantView): boolean {
  const { active, pending } = grant;
  if (!active || !pending) return false;
  const strip = (v: GrantVersion) => JSON.stringify({ ...v.terms, validUntil: null });
  return strip(active) === strip(pending) && pending.terms.validUntil > active.terms.validUntil;
}

/** Grants in the order the person acts on them: waiting for consent, to renew, in force, the rest. */
export function sortGrants(grants: GrantView[]): GrantView[] {
  const rank = (g: GrantView) =>
    g.pending && g.status !== 'withdrawn' ? 0 : g.needsRenewal ? 1 : g.status === 'active' ? 2 : 3;
  return [...grants].sort((a, b) => rank(a) - rank(b) || a.grantee.name.localeCompare(b.grantee.name));
}

/** The body of `POST /api/grants/{id}/accept` for the pending version, leaving out `omit` scopes. */
export function acceptBody(
  grant: GrantView,
  lang: Lang,
  omit: number[],
): { version: number; consentHash: string; language: Lang; omit: number[] } {
  const pending = grant.pending;
  if (!pending) throw new Error('nothing to accept');
  const allowed = omit.filter((i) => pending.terms.scopes[i]?.optional === true);
  return { version: pending.version, consentHash: pending.consentHash, language: lang, omit: allowed };
}

/** The renewal asked: a year after the later of now and the current end. */
export function renewalEnd(grant: GrantView, now: number): string {
  const end = grant.active ? Date.parse(grant.active.terms.validUntil) : now;
  const from = new Date(Math.max(end, now));
  from.setUTCFullYear(from.getUTCFullYear() + 1);
  return from.toISOString();
}
