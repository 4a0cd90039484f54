import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../platform/package-root.js';
import { errorCodes, FoyerError } from './errors.js';

describe('error family', () => {
  it('maps each code to its documented HTTP status', () => {
    const doc = readFileSync(`${packageRoot()}/docs/api.md`, 'utf8');
    for (const [code, status] of Object.entries(errorCodes)) {
      expect(doc, `docs/api.md lists ${code}`).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${status}\\s*\\|`));
    }
  });

  it('carries code, status and details', () => {
    const e = new FoyerError('conflict', 'stale', { currentRev: '2-a' });
    expect([e.code, e.status, e.details]).toEqual(['conflict', 409, { currentRev: '2-a' }]);
  });
});
