/**
 * The natural key of a bank line that carries no id of its own (CSV, QIF, CFONB, most MT940), built
 * so that the same operation in two overlapping exports gets the same key:
 *
 *   fp1:<accountId>|<day>|<amount in cents>|<label key>|<n>
 *
 * - day: the operation's booking day as printed (YYYY-MM-DD), not an instant: exports differ in time of day.
 * - label key: the label upper-cased, accents and punctuation removed, spaces collapsed, cut to its
 *   first 20 characters (exports of one bank cut labels at different lengths).
 * - n: 0 for the first line with that (account, day, amount, label key) in the file, 1 for the
 *   second... Two identical coffees on one day stay two operations, and an export that repeats both
 *   matches both. An export that starts in the middle of such a run can shift n: documented limit.
 *
 * Bank lines with an id of their own (OFX FITID, CAMT entry reference) use it instead.
 */
export const LABEL_KEY_LENGTH = 20;
/** Printable ASCII: nothing NFD would decompose. */
const ASCII = /^[ -~]*$/;

export interface FingerprintInput {
  accountId: string;
  /** Booking day as printed in the file, YYYY-MM-DD. */
  day: string;
  amount: number;
  label: string;
}

export function labelKey(label: string): string {
  // An ASCII label has no accent to strip (NFD leaves it as it is): most labels skip the normalising.
  return (ASCII.test(label) ? label : label.normalize('NFD').replace(/[\u0300-\u036f]/g, ''))
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim()
    .slice(0, LABEL_KEY_LENGTH)
    .trim();
}

/** A fingerprinter for one file: it counts repeats of the same line within the file. */
export function createFingerprinter(): (line: FingerprintInput) => string {
  const seen = new Map<string, number>();
  return (line) => {
    const cents = Math.round(line.amount * 100);
    const base = `fp1:${line.accountId}|${line.day}|${cents}|${labelKey(line.label)}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return `${base}|${n}`;
  };
}
