/**
 * iOS 16's Health export writes control characters XML forbids (a vertical tab, U+000B, in some
 * source names and metadata values), so a strict parser stops at the first one. This source reads
 * the same file with each such character replaced by a space; nothing else changes.
 */
import type { ImportSource } from '../importer.js';

// eslint-disable-next-line no-control-regex -- these are exactly the characters XML 1.0 forbids
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function withoutControlCharacters(source: ImportSource): ImportSource {
  return {
    ...source,
    async *text() {
      for await (const chunk of source.text()) yield chunk.replace(FORBIDDEN, ' ');
    },
  };
}
