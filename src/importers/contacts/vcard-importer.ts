/**
 * vCard files (2.1, 3.0, 4.0; the exports of Google Contacts, Apple Contacts, Outlook and phones)
 * into `contact` documents, one card at a time. Lines are unfolded on bytes, quoted-printable soft
 * line breaks joined, and photos dropped as they stream by (see ../calendar/content-lines.ts).
 * Natural key: `uid:<UID>`, else a fingerprint of the name and first e-mail address or phone
 * number (see docs/importers/calendar-contacts.md).
 */
import { importError } from '../import-error.js';
import type { Importer, ImportRecord, ImportSource, ParseContext } from '../importer.js';
import { createCappedWarnings } from '../calendar/capped-warnings.js';
import { createComponentBudget } from '../calendar/component-budget.js';
import { parseContentLine, type ContentLine } from '../calendar/content-line.js';
import { contentLines, linePreview } from '../calendar/content-lines.js';
import { detectBegin } from '../calendar/detect-begin.js';
import { createFingerprintKeys } from '../calendar/fingerprint-keys.js';
import { createCountryMatcher } from './country-codes.js';
import { dialPlanFor } from './phone-number.js';
import { buildContact, type ContactEnv } from './vcard-contact.js';

/** Photos, logos, sounds and keys: binary values not imported, never held in memory. */
const SKIPPED = new Set(['PHOTO', 'LOGO', 'SOUND', 'KEY']);
const MAX_LINE_BYTES = 64 * 1024;
/** Lines and characters kept per card; more is a broken or hostile file. */
const CARD_LIMITS = { lines: 2000, chars: 1_000_000 };

export const vcardImporter: Importer = {
  id: 'vcard',
  title: 'vCard address book (.vcf, versions 2.1, 3.0 and 4.0)',
  doctypes: ['contact'],
  detect: (sample) => detectBegin(sample, 'VCARD'),
  parse: parseVcards,
};

async function* parseVcards(source: ImportSource, ctx: ParseContext): AsyncIterable<ImportRecord> {
  const file = source.name;
  const warnings = createCappedWarnings(ctx);
  const env: ContactEnv = {
    file,
    now: ctx.now,
    dialPlan: dialPlanFor(ctx.timeZone),
    countries: createCountryMatcher(),
    warn: (line, message) => warnings.warn(line, message),
  };
  // UID keys seen, to refuse repeats; fingerprint keys are unique by construction (their counter).
  const seenUids = new Map<string, number>();
  const fingerprint = createFingerprintKeys();
  let card: { n: number; props: ContentLine[] } | undefined;
  /** Depth of vCards embedded in the current one (vCard 2.1 AGENT), skipped. */
  let embedded = 0;
  let sawCard = false;
  const budget = createComponentBudget(CARD_LIMITS, (line) =>
    warnings.warn(
      line.n,
      `the card begun at line ${card?.n} holds more than 2,000 lines or 1 MB of text: the rest is ignored`,
    ),
  );

  for await (const raw of contentLines(source, {
    quotedPrintable: true,
    skipValuesOf: SKIPPED,
    maxLineBytes: MAX_LINE_BYTES,
  })) {
    const line = parseContentLine(raw);
    if (!line) {
      warnings.warn(raw.n, `"${linePreview(raw.bytes)}" is not a vCard line (NAME:value): it is skipped`);
      continue;
    }
    if (line.truncated)
      warnings.warn(line.n, `the ${line.name} line is longer than ${MAX_LINE_BYTES / 1024} KB: its end was dropped`);
    const component = line.value.trim().toUpperCase();
    if (line.name === 'BEGIN' && component === 'VCARD') {
      if (card) {
        if (embedded === 0) warnings.warn(line.n, 'a vCard inside another (AGENT) is not imported');
        embedded++;
      } else {
        card = { n: line.n, props: [] };
        sawCard = true;
        budget.reset();
      }
      continue;
    }
    if (line.name === 'END' && component === 'VCARD') {
      if (!card) throw importError(file, 'END:VCARD closes no BEGIN:VCARD', line.n);
      if (embedded > 0) {
        embedded--;
        continue;
      }
      const done = card;
      card = undefined;
      const built = buildContact(done, env);
      if (!built) continue;
      const key = keyOf(built.data, built.uid, built.firstContact, fingerprint);
      const earlier = built.uid === undefined ? undefined : seenUids.get(key);
      if (earlier !== undefined) {
        warnings.warn(done.n, `this card has the same UID as the one at line ${earlier}: it is skipped`);
        continue;
      }
      if (built.uid !== undefined) seenUids.set(key, done.n);
      yield { kind: 'document', doctype: 'contact', key, data: built.data, line: done.n };
      continue;
    }
    if (!card) {
      warnings.warn(line.n, `${line.name} appears outside a vCard: it is skipped`);
      continue;
    }
    if (embedded > 0) continue;
    if (budget.admit(line)) card.props.push(line);
  }
  if (card) throw importError(file, `the file ends inside the vCard begun at line ${card.n}: it is truncated`);
  if (!sawCard) throw importError(file, 'there is no BEGIN:VCARD in this file');
  warnings.finish();
}

/**
 * `uid:<UID>`, or for a card without UID a fingerprint of its name (lower case, without accents or
 * extra spaces) and first e-mail address or phone number.
 */
function keyOf(
  data: Record<string, unknown>,
  uid: string | undefined,
  firstContact: string | undefined,
  fingerprint: (parts: readonly string[]) => string,
): string {
  if (uid !== undefined) return `uid:${uid}`;
  const name = String(data.displayName)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
  return fingerprint([name, firstContact ?? '']);
}
