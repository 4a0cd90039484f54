/**
 * FHIR R4 resources turned into catalog documents: Observation into health.observation,
 * Encounter into health.encounter, Claim and ExplanationOfBenefit into health.claim. Resources are
 * untrusted JSON: every field is checked for its type before use.
 */
import { createHash } from 'node:crypto';
import { importError } from '../import-error.js';
import type { ImportRecord, ParseContext } from '../importer.js';
import { isoInstant, parseIsoDateTime, plausibleInstant, type DatePrecision } from './health-dates.js';

type Json = Record<string, unknown>;

/** Where a resource sits in the file, for keys, references and messages. */
export interface ResourceContext {
  file: string;
  /** The bundle entry's fullUrl, when there is one. */
  fullUrl?: string;
  line?: number;
}

/** Amounts beyond this are corruption, not care. */
const ABSURD_AMOUNT = 1e9;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, max = 500): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, max) : undefined;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const objects = (v: unknown): Json[] => list(v).filter(isObject);

/** Drops undefined fields: the catalog's closed schemas want absent, not undefined. */
function compact<T extends Json>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

interface Coding {
  system?: string;
  code: string;
  display?: string;
}

function codingOf(v: unknown): Coding | undefined {
  if (!isObject(v)) return undefined;
  const code = str(v.code, 200);
  if (!code) return undefined;
  return compact({ system: str(v.system, 300), code, display: str(v.display) });
}

/** A CodeableConcept's main coding (LOINC preferred) and its text for people. */
function conceptOf(v: unknown): { coding?: Coding; text?: string } {
  if (!isObject(v)) return {};
  const codings = list(v.coding)
    .map(codingOf)
    .filter((c): c is Coding => c !== undefined);
  const coding = codings.find((c) => c.system === 'http://loinc.org') ?? codings[0];
  return { coding, text: str(v.text) ?? coding?.display ?? coding?.code };
}

/** `Encounter/123` from `https://server/fhir/Encounter/123/_history/2`; other references as written. */
export function normaliseReference(ref: string): string {
  const m = /(?:^|\/)([A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]*)?$/.exec(ref);
  return (m ? m[1]! : ref).slice(0, 300);
}

/** A Reference's display, else its reference. */
function referenceText(v: unknown): string | undefined {
  if (!isObject(v)) return undefined;
  const display = str(v.display, 300);
  if (display) return display;
  const ref = str(v.reference, 300);
  return ref === undefined ? undefined : normaliseReference(ref);
}

function referenceOf(v: unknown): string | undefined {
  const ref = isObject(v) ? str(v.reference, 1000) : undefined;
  return ref === undefined ? undefined : normaliseReference(ref);
}

/**
 * The resource's identity: `Type/id`, else the entry's fullUrl, else a digest of its content (the
 * same resource exported again gives the same digest). `ref` is how other resources of the file
 * point to it: the fullUrl when it is a `urn:` (transaction bundles reference those), else `Type/id`.
 */
function identityOf(resource: Json, type: string, where: ResourceContext): { key: string; ref: string } {
  const id = str(resource.id, 64);
  const fullUrl = str(where.fullUrl, 1000);
  const typed = id ? `${type}/${id}` : undefined;
  const key =
    typed ??
    (fullUrl
      ? normaliseReference(fullUrl)
      : `sha256:${createHash('sha256').update(JSON.stringify(resource)).digest('hex')}`);
  const ref = fullUrl?.startsWith('urn:') ? fullUrl.slice(0, 300) : (typed ?? key).slice(0, 300);
  return { key, ref };
}

interface Dated {
  ms: number;
  precision: DatePrecision;
}

function dateOf(raw: unknown, field: string, where: ResourceContext, ctx: ParseContext): Dated | undefined {
  if (typeof raw !== 'string') return undefined;
  const parsed = parseIsoDateTime(raw, ctx.timeZone);
  if (!parsed) {
    ctx.warn({ line: where.line, message: `the ${field} "${raw.slice(0, 40)}" is not a FHIR date: it is left out.` });
    return undefined;
  }
  if (!plausibleInstant(parsed.ms, ctx.now)) {
    throw importError(where.file, `the ${field} "${raw.slice(0, 40)}" is not a plausible date`, where.line);
  }
  return parsed;
}

function amountOf(v: unknown, field: string, where: ResourceContext): { value: number; currency?: string } | undefined {
  if (!isObject(v)) return undefined;
  const value = num(v.value);
  if (value === undefined) return undefined;
  if (Math.abs(value) > ABSURD_AMOUNT) {
    throw importError(where.file, `the ${field} ${value} is not a plausible amount`, where.line);
  }
  const currency = typeof v.currency === 'string' && /^[A-Z]{3}$/.test(v.currency) ? v.currency : undefined;
  return { value: Math.round(value * 100) / 100, currency };
}

/** The value[x] of an Observation or of one of its components. */
function valueFields(o: Json, where: ResourceContext): Json {
  const quantity = isObject(o.valueQuantity) ? o.valueQuantity : undefined;
  if (quantity) {
    const value = num(quantity.value);
    if (value !== undefined && Math.abs(value) > ABSURD_AMOUNT) {
      throw importError(where.file, `the observed value ${value} is not plausible`, where.line);
    }
    const comparator = ['<', '<=', '>=', '>'].includes(quantity.comparator as string) ? quantity.comparator : undefined;
    const ucum = quantity.system === 'http://unitsofmeasure.org' ? str(quantity.code, 100) : undefined;
    return compact({ value, unit: str(quantity.unit, 100) ?? ucum, unitCode: ucum, comparator });
  }
  const concept = isObject(o.valueCodeableConcept) ? conceptOf(o.valueCodeableConcept) : undefined;
  if (concept) return compact({ valueCode: concept.coding, valueText: concept.text });
  const text =
    str(o.valueString, 10_000) ??
    (typeof o.valueBoolean === 'boolean' ? String(o.valueBoolean) : undefined) ??
    str(o.valueDateTime) ??
    str(o.valueTime);
  if (text !== undefined) return { valueText: text };
  const integer = num(o.valueInteger);
  if (integer !== undefined) return { value: integer };
  const absent = isObject(o.dataAbsentReason) ? conceptOf(o.dataAbsentReason).text : undefined;
  return absent ? { valueText: `(${absent})` } : {};
}

const OBSERVATION_STATUS = new Set([
  'registered',
  'preliminary',
  'final',
  'amended',
  'corrected',
  'cancelled',
  'entered-in-error',
  'unknown',
]);

export function observationOf(r: Json, where: ResourceContext, ctx: ParseContext): ImportRecord | null {
  const { key, ref } = identityOf(r, 'Observation', where);
  const concept = conceptOf(r.code);
  const name = concept.text;
  if (!name) {
    ctx.warn({ line: where.line, message: `the observation ${ref} says nothing of what was observed: it is skipped.` });
    return null;
  }
  const period = isObject(r.effectivePeriod) ? r.effectivePeriod : undefined;
  const effective =
    dateOf(r.effectiveDateTime, 'effective date', where, ctx) ??
    dateOf(r.effectiveInstant, 'effective instant', where, ctx) ??
    dateOf(period?.start, 'effective period start', where, ctx) ??
    dateOf(r.issued, 'issue date', where, ctx);
  if (!effective) {
    ctx.warn({ line: where.line, message: `the observation ${ref} has no date: it is skipped.` });
    return null;
  }
  const end = dateOf(period?.end, 'effective period end', where, ctx);
  const category = objects(r.category)
    .flatMap((c) => list(c.coding).map(codingOf))
    .find((c) => c !== undefined && /^[a-z][a-z0-9-]{0,63}$/.test(c.code))?.code;
  const components = objects(r.component)
    .slice(0, 100)
    .map((c) => {
      const cc = conceptOf(c.code);
      return cc.text ? compact({ name: cc.text, code: cc.coding, ...valueFields(c, where) }) : undefined;
    })
    .filter((c) => c !== undefined);
  const range = objects(r.referenceRange)[0];
  const referenceRange = range
    ? compact({
        low: isObject(range.low) ? num(range.low.value) : undefined,
        high: isObject(range.high) ? num(range.high.value) : undefined,
        text: str(range.text),
      })
    : undefined;
  const interpretation = objects(r.interpretation).map(conceptOf)[0];
  const notes = objects(r.note)
    .map((n) => str(n.text, 10_000))
    .filter((t) => t !== undefined);
  const data = compact({
    name,
    code: concept.coding,
    category,
    status: OBSERVATION_STATUS.has(r.status as string) ? r.status : undefined,
    effective: isoInstant(effective.ms),
    effectiveEnd: end && end.ms >= effective.ms ? isoInstant(end.ms) : undefined,
    effectivePrecision: effective.precision === 'instant' ? undefined : effective.precision,
    ...valueFields(r, where),
    interpretation: interpretation?.coding?.code ?? interpretation?.text,
    referenceRange: referenceRange && Object.keys(referenceRange).length > 0 ? referenceRange : undefined,
    components: components.length > 0 ? components : undefined,
    encounterRef: referenceOf(r.encounter) ?? referenceOf(r.context),
    ref,
    source: objects(r.performer).map(referenceText)[0],
    note: notes.length > 0 ? notes.join('\n').slice(0, 10_000) : undefined,
  } as Json);
  return { kind: 'document', doctype: 'health.observation', key, data, line: where.line };
}

/** FHIR R4 class codes (v3 ActCode), and DSTU2's plain words. */
const ENCOUNTER_CLASS: Record<string, string> = {
  AMB: 'ambulatory',
  ambulatory: 'ambulatory',
  outpatient: 'ambulatory',
  EMER: 'emergency',
  emergency: 'emergency',
  IMP: 'inpatient',
  ACUTE: 'inpatient',
  NONAC: 'inpatient',
  inpatient: 'inpatient',
  SS: 'short-stay',
  HH: 'home',
  home: 'home',
  VR: 'virtual',
  virtual: 'virtual',
  FLD: 'field',
  field: 'field',
};

const ENCOUNTER_STATUS = new Set([
  'planned',
  'arrived',
  'triaged',
  'in-progress',
  'onleave',
  'finished',
  'cancelled',
  'entered-in-error',
  'unknown',
]);

export function encounterOf(r: Json, where: ResourceContext, ctx: ParseContext): ImportRecord | null {
  const { key, ref } = identityOf(r, 'Encounter', where);
  const period = isObject(r.period) ? r.period : {};
  const start = dateOf(period.start, 'encounter start', where, ctx);
  if (!start) {
    ctx.warn({ line: where.line, message: `the encounter ${ref} has no start date: it is skipped.` });
    return null;
  }
  const end = dateOf(period.end, 'encounter end', where, ctx);
  const classCode = isObject(r.class) ? str(r.class.code) : str(r.class);
  const cls = classCode === undefined ? undefined : (ENCOUNTER_CLASS[classCode] ?? 'other');
  const type = objects(r.type).map(conceptOf)[0];
  const reasons = objects(r.reasonCode)
    .map((c) => conceptOf(c).text)
    .concat(objects(r.reasonReference).map(referenceText))
    .filter((t): t is string => t !== undefined)
    .slice(0, 100);
  const diagnoses = objects(r.diagnosis)
    .map((d) => referenceText(d.condition))
    .filter((t): t is string => t !== undefined)
    .slice(0, 100);
  const practitioners = objects(r.participant)
    .map((p) => referenceText(p.individual))
    .filter((t): t is string => t !== undefined)
    .slice(0, 100);
  const data = compact({
    name: type?.text ?? (cls ? `${cls[0]!.toUpperCase()}${cls.slice(1)} encounter` : 'Encounter'),
    type: type?.coding,
    class: cls,
    status: ENCOUNTER_STATUS.has(r.status as string) ? r.status : undefined,
    start: isoInstant(start.ms),
    end: end && end.ms >= start.ms ? isoInstant(end.ms) : undefined,
    reasons: reasons.length > 0 ? reasons : undefined,
    diagnoses: diagnoses.length > 0 ? diagnoses : undefined,
    practitioners: practitioners.length > 0 ? practitioners : undefined,
    organisation: referenceText(r.serviceProvider),
    location: objects(r.location).map((l) => referenceText(l.location))[0],
    ref,
  } as Json);
  return { kind: 'document', doctype: 'health.encounter', key, data, line: where.line };
}

const CLAIM_STATUS = new Set(['active', 'cancelled', 'draft', 'entered-in-error']);
const CLAIM_USE = new Set(['claim', 'preauthorization', 'predetermination']);
const CLAIM_OUTCOME = new Set(['queued', 'complete', 'error', 'partial']);

/** A Claim or an ExplanationOfBenefit (same shape for what Foyer keeps). */
export function claimOf(r: Json, type: string, where: ResourceContext, ctx: ParseContext): ImportRecord | null {
  const { key, ref } = identityOf(r, type, where);
  const period = isObject(r.billablePeriod) ? r.billablePeriod : {};
  const periodStart = dateOf(period.start, 'billable period start', where, ctx);
  const created = dateOf(r.created, 'creation date', where, ctx) ?? periodStart;
  if (!created) {
    ctx.warn({ line: where.line, message: `the ${type} ${ref} has no date: it is skipped.` });
    return null;
  }
  const periodEnd = dateOf(period.end, 'billable period end', where, ctx);
  const currencies = new Set<string>();
  const money = (v: unknown, field: string) => {
    const amount = amountOf(v, field, where);
    if (amount?.currency) currencies.add(amount.currency);
    return amount?.value;
  };
  const items = objects(r.item)
    .slice(0, 1000)
    .map((item) => {
      const concept = conceptOf(item.productOrService ?? item.service);
      if (!concept.text) return undefined;
      const served = dateOf(item.servicedDate, 'service date', where, ctx);
      const coding = concept.coding;
      return compact({
        name: concept.text,
        code: coding ? (coding.system ? `${coding.system}|${coding.code}` : coding.code).slice(0, 200) : undefined,
        servicedDate: served ? isoInstant(served.ms).slice(0, 10) : undefined,
        quantity: isObject(item.quantity) ? num(item.quantity.value) : undefined,
        netAmount: money(item.net, 'line amount'),
      } as Json);
    })
    .filter((i) => i !== undefined);
  // An ExplanationOfBenefit lists totals by category (submitted, benefit...); a Claim has one total.
  const totals = Array.isArray(r.total) ? objects(r.total) : isObject(r.total) ? [{ amount: r.total }] : [];
  const totalBy = (code: string | undefined) =>
    totals.find(
      (t) =>
        code === undefined ||
        list(isObject(t.category) ? t.category.coding : []).some((c) => isObject(c) && c.code === code),
    );
  const submitted = totalBy('submitted') ?? (type === 'Claim' ? totalBy(undefined) : undefined);
  const benefit = totalBy('benefit');
  const totalAmount = money(submitted?.amount, 'total');
  const paidAmount =
    money(isObject(r.payment) ? r.payment.amount : undefined, 'payment') ?? money(benefit?.amount, 'benefit');
  const patientAmount = money(totalBy('copay')?.amount, 'patient share');
  const anyAmount =
    [totalAmount, paidAmount, patientAmount].some((a) => a !== undefined) || items.some((i) => 'netAmount' in i);
  // Money without a currency cannot be stored honestly: guessing dollars or euros would mislead.
  const currency = [...currencies][0];
  const keepAmounts = currency !== undefined;
  if (anyAmount && !keepAmounts) {
    ctx.warn({ line: where.line, message: `the ${type} ${ref} gives amounts without a currency: they are left out.` });
    for (const item of items) delete item.netAmount;
  }
  const typeConcept = conceptOf(r.type);
  const data = compact({
    kind: type === 'Claim' ? 'claim' : 'explanation_of_benefit',
    status: CLAIM_STATUS.has(r.status as string) ? r.status : undefined,
    use: CLAIM_USE.has(r.use as string) ? r.use : undefined,
    type: (typeConcept.coding?.code ?? typeConcept.text)?.slice(0, 200),
    created: isoInstant(created.ms),
    periodStart: periodStart ? isoInstant(periodStart.ms) : undefined,
    periodEnd: periodEnd ? isoInstant(periodEnd.ms) : undefined,
    provider: referenceText(r.provider),
    insurer: referenceText(r.insurer),
    outcome: CLAIM_OUTCOME.has(r.outcome as string) ? r.outcome : undefined,
    items: items.length > 0 ? items : undefined,
    totalAmount: keepAmounts && totalAmount !== undefined && totalAmount >= 0 ? totalAmount : undefined,
    paidAmount: keepAmounts ? paidAmount : undefined,
    patientAmount: keepAmounts ? patientAmount : undefined,
    currency: anyAmount ? currency : undefined,
    encounterRef: objects(r.item).flatMap((i) => list(i.encounter).map(referenceOf))[0],
    claimRef: referenceOf(r.claim),
    ref,
  } as Json);
  return { kind: 'document', doctype: 'health.claim', key, data, line: where.line };
}
