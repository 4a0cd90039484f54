/**
 * Masks a run's credentials in whatever text leaves it (logs, progress, error details): the values
 * as given, URL-encoded and in base64 (a Basic authorization header). Values shorter than four
 * characters are not masked: they would blank out ordinary words, and reveal little.
 */
export type Mask = (text: string) => string;

export const MASKED = '[masked]';

export function createMask(secrets: Iterable<string>): Mask {
  const needles = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    needles.add(secret);
    needles.add(encodeURIComponent(secret));
    needles.add(Buffer.from(secret, 'utf8').toString('base64').replace(/=+$/, ''));
  }
  // Longest first, so a value containing another is masked whole.
  const sorted = [...needles].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const needle of sorted) if (out.includes(needle)) out = out.split(needle).join(MASKED);
    return out;
  };
}
