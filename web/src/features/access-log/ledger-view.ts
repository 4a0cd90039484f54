/**
 * The ledger for people: who an actor is (the grantee's own name from the grants, "you" for the
 * owner, "Foyer" for its own jobs), what an entry did in words, entries grouped by local day, and
 * the per-grantee-per-day counts the chart stacks (from the server's aggregates, so the chart is
 * right however long the ledger is).
 */
export type Lang = 'en' | 'fr';

export interface LedgerEntry {
  seq: number;
  at: string;
  day: string;
  actorKind: string;
  actorId: string;
  grant: string | null;
  grantVersion: number | null;
  verb: string;
  doctype: string;
  count: number;
  purpose: string | null;
  outcome: 'allowed' | 'denied' | 'failed';
  code: string | null;
}

export interface AggregateRow {
  key: string;
  allowed: number;
  denied: number;
  failed: number;
  items: number;
}

const OWNER = { en: 'You', fr: 'Vous' };
const WORDS = {
  session: { en: 'You (web app)', fr: 'Vous (application web)' },
  token: { en: 'You (token “{label}”)', fr: 'Vous (jeton « {label} »)' },
  system: { en: 'Foyer', fr: 'Foyer' },
  systemReason: { en: 'Foyer ({reason})', fr: 'Foyer ({reason})' },
  withdrawal: { en: 'Foyer (withdrawal of {name})', fr: 'Foyer (retrait de {name})' },
  deletionRequest: { en: 'Foyer (deletion request to {name})', fr: 'Foyer (demande de suppression à {name})' },
  anonymous: { en: 'Unknown caller', fr: 'Appelant inconnu' },
  import: { en: 'File import {id}', fr: 'Import de fichier {id}' },
};

/** `kind:id` of an entry's actor, as the ledger's filters and aggregates key it. */
export const actorKey = (kind: string, id: string): string => `${kind}:${id}`;

/**
 * The name a person knows an actor by. `names` maps `kind:id` to a grantee's name, and
 * `grant:<id>` to the name of a grant's grantee (Foyer's acts on a grant name the grant).
 */
export function actorName(key: string, names: ReadonlyMap<string, string>, lang: Lang): string {
  const colon = key.indexOf(':');
  const kind = colon < 0 ? key : key.slice(0, colon);
  const id = colon < 0 ? '' : key.slice(colon + 1);
  if (kind === 'owner') {
    if (id === 'session') return WORDS.session[lang];
    if (id.startsWith('token:')) return WORDS.token[lang].replace('{label}', id.slice(6));
    return OWNER[lang];
  }
  if (kind === 'system') {
    const onGrant = /^(withdrawal|deletion request) of grant (\S+)$/.exec(id);
    const grantee = onGrant ? names.get(`grant:${onGrant[2]}`) : undefined;
    if (onGrant && grantee)
      return WORDS[onGrant[1] === 'withdrawal' ? 'withdrawal' : 'deletionRequest'][lang].replace('{name}', grantee);
    if (!id || id === '-') return WORDS.system[lang];
    // Other reasons name a connector or a grant by id ("run of connector bank-psd2"): say its name.
    const named = id.replace(/\b(connector|grant) (\S+)/g, (whole, kind: string, ref: string) => {
      return names.get(kind === 'grant' ? `grant:${ref}` : `connector:${ref}`) ?? whole;
    });
    return WORDS.systemReason[lang].replace('{reason}', named);
  }
  if (kind === 'anonymous') return WORDS.anonymous[lang];
  if (kind === 'import') return WORDS.import[lang].replace('{id}', id);
  return names.get(key) ?? `${kind} ${id}`;
}

const VERBS: Record<string, { en: string; fr: string; deniedEn: string; deniedFr: string }> = {
  read: { en: 'read', fr: 'a lu', deniedEn: 'read', deniedFr: 'lire' },
  create: { en: 'added', fr: 'a ajouté', deniedEn: 'add', deniedFr: 'ajouter' },
  update: { en: 'changed', fr: 'a modifié', deniedEn: 'change', deniedFr: 'modifier' },
  delete: { en: 'deleted', fr: 'a supprimé', deniedEn: 'delete', deniedFr: 'supprimer' },
};

/** "read 12 · Bill", "tried to read · Bank transaction, refused (scope_denied)". */
export function entryWords(entry: LedgerEntry, doctypeTitle: string, lang: Lang): string {
  const verb = VERBS[entry.verb] ?? { en: entry.verb, fr: entry.verb, deniedEn: entry.verb, deniedFr: entry.verb };
  if (entry.outcome === 'allowed') {
    const count = entry.count > 0 ? ` ${entry.count}` : '';
    return lang === 'en' ? `${verb.en}${count} · ${doctypeTitle}` : `${verb.fr}${count} · ${doctypeTitle}`;
  }
  const code = entry.code ? ` (${entry.code})` : '';
  if (entry.outcome === 'denied')
    return lang === 'en'
      ? `tried to ${verb.deniedEn} · ${doctypeTitle}: refused${code}`
      : `a tenté de ${verb.deniedFr} · ${doctypeTitle} : refusé${code}`;
  return lang === 'en'
    ? `${verb.deniedEn} · ${doctypeTitle}: failed${code}`
    : `${verb.deniedFr} · ${doctypeTitle} : échec${code}`;
}

/** Entries (newest first) grouped by their local day, the order kept. */
export function groupByDay(entries: LedgerEntry[]): { day: string; entries: LedgerEntry[] }[] {
  const out: { day: string; entries: LedgerEntry[] }[] = [];
  for (const e of entries) {
    const last = out[out.length - 1];
    if (last && last.day === e.day) last.entries.push(e);
    else out.push({ day: e.day, entries: [e] });
  }
  return out;
}

const totalOf = (r: AggregateRow): number => r.allowed + r.denied + r.failed;

/** The `limit` actors with the most entries (ties by key), the ones the chart names. */
export function topActors(byActor: AggregateRow[], limit: number): string[] {
  return [...byActor]
    .sort((a, b) => totalOf(b) - totalOf(a) || a.key.localeCompare(b.key))
    .slice(0, limit)
    .map((r) => r.key);
}

export interface StackedDays {
  days: string[];
  /** Actor keys in stacking order; `others` last when some actors were folded into it. */
  actors: string[];
  /** values[day][actor]: entries of that actor that day. */
  values: number[][];
  /** Days with at least one denied entry. */
  denied: boolean[];
}

/**
 * Entries per day and actor: the named actors' own per-day rows, and "others" as the day's total
 * minus theirs (so the stacks always add up to the day's total).
 */
export function stackByActorAndDay(
  days: string[],
  perActor: { actor: string; rows: AggregateRow[] }[],
  totals: AggregateRow[],
): StackedDays {
  const totalByDay = new Map(totals.map((r) => [r.key, r]));
  const byActor = perActor.map(({ actor, rows }) => ({ actor, byDay: new Map(rows.map((r) => [r.key, totalOf(r)])) }));
  let othersSeen = false;
  const values = days.map((day) => {
    const named = byActor.map((a) => a.byDay.get(day) ?? 0);
    const total = totalByDay.get(day);
    const others = total ? totalOf(total) - named.reduce((x, y) => x + y, 0) : 0;
    if (others > 0) othersSeen = true;
    return [...named, Math.max(0, others)];
  });
  return {
    days,
    actors: [...byActor.map((a) => a.actor), ...(othersSeen ? ['others'] : [])],
    values: othersSeen ? values : values.map((v) => v.slice(0, -1)),
    denied: days.map((d) => (totalByDay.get(d)?.denied ?? 0) > 0),
  };
}
