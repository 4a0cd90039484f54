/**
 * Natural keys for events and cards that carry no UID: `fp1:<first 32 hex of the SHA-256 of the
 * parts>|<n>`, n counting identical parts within the file (0 for the first), so two identical
 * entries stay two and a later export that repeats both matches both. Which parts go in is each
 * importer's documented choice (docs/importers/calendar-contacts.md).
 */
import { createHash } from 'node:crypto';

export function createFingerprintKeys(): (parts: readonly string[]) => string {
  const seen = new Map<string, number>();
  return (parts) => {
    const digest = createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);
    const n = seen.get(digest) ?? 0;
    seen.set(digest, n + 1);
    return `fp1:${digest}|${n}`;
  };
}
