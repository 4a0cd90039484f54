import { describe, expect, it } from 'vitest';
import { FoyerError } from '../errors.js';
import { checkDocumentId, newDocumentId, nextRevision } from './document-id.js';

describe('document ids', () => {
  it('makes 32-hex ids that sort in creation order', () => {
    const a = newDocumentId(Date.UTC(2026, 0, 1));
    const b = newDocumentId(Date.UTC(2026, 0, 1) + 1);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(a < b).toBe(true);
    expect(newDocumentId()).not.toBe(newDocumentId());
  });

  it.each(['..', 'a/b', 'a\\b', 'a\u0000b', '', '.x', '_design', 'a'.repeat(129), 'a..b', 'é'])('refuses %j', (id) => {
    expect(() => checkDocumentId(id)).toThrow(FoyerError);
  });

  it.each(['tx-1', 'A.b~c:d_e', 'a'.repeat(128), '0123abcd'])('accepts %j', (id) => {
    expect(checkDocumentId(id)).toBe(id);
  });

  it('counts revisions by generation', () => {
    expect(nextRevision(null)).toMatch(/^1-[0-9a-f]{16}$/);
    expect(nextRevision('41-abc')).toMatch(/^42-/);
  });
});
