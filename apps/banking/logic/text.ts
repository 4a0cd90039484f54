/** Normalised words of bank labels and vendor names, for rules, the model and matching. */

/** Words that say nothing about what an operation is for. */
const stopWords = new Set([
  'DE',
  'DU',
  'DES',
  'LA',
  'LE',
  'LES',
  'L',
  'D',
  'EN',
  'ET',
  'AU',
  'AUX',
  'A',
  'SA',
  'SAS',
  'SARL',
]);

/** Capitals without accents or punctuation, single spaces. */
export function normalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim();
}

/**
 * The words of a label that name something: no dates, amounts, references or card numbers (any
 * word with a digit), no stop words, no single letters.
 */
export function words(text: string): string[] {
  return normalise(text)
    .split(' ')
    .filter((w) => w.length > 1 && !/\d/.test(w) && !stopWords.has(w));
}

/** How banks write the kind of operation: present in most labels, so they tell operations of one kind apart from nothing. */
const jargon = new Set(['CB', 'CARTE', 'PRLV', 'SEPA', 'VIR', 'ACHAT', 'PAIEMENT', 'FACTURE']);

/** The words of a label that name the merchant or what was bought, without the bank's jargon. */
export function namingWords(text: string): string[] {
  return words(text).filter((w) => !jargon.has(w));
}

/** Share of the words of `name` found in `text`: 1 when the label names the vendor in full. */
export function vendorOverlap(text: string, name: string): number {
  const have = new Set(words(text));
  const want = words(name);
  if (want.length === 0) return 0;
  return want.filter((w) => have.has(w)).length / want.length;
}
