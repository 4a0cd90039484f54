import { FoyerError } from '../errors.js';

/**
 * Serialises what a client sent for storage. The NUL character is refused here, for every store
 * alike: PostgreSQL's jsonb cannot hold it, and no real data needs it.
 */
export function toJsonText(value: unknown, where: string): string {
  const text = JSON.stringify(value);
  if (text.includes('\\u0000')) {
    throw new FoyerError('validation_failed', `${where}: text may not contain the NUL character (U+0000).`, {
      issues: [{ path: '', rule: 'nul', message: `${where}: contains U+0000` }],
    });
  }
  return text;
}
