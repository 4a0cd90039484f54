/**
 * First-run setup codes. Until a space has a passphrase, whoever reaches the server first could
 * set one; the code printed on the console where Foyer was started proves the person at the
 * browser is the one who started it. Kept in memory: a restart prints a new one.
 */
import type { Clock } from '../../platform/clock.js';
import { constantTimeEqual, randomBase64url } from './secrets.js';

export const SETUP_CODE_TTL_MS = 24 * 60 * 60 * 1000;

export type SetupCodes = ReturnType<typeof createSetupCodes>;

export function createSetupCodes(clock: Clock) {
  const codes = new Map<string, { code: string; expiresAt: number }>();
  return {
    issue(space: string): string {
      const code = randomBase64url(12);
      codes.set(space, { code, expiresAt: clock.now() + SETUP_CODE_TTL_MS });
      return code;
    },
    check(space: string, code: string): boolean {
      const entry = codes.get(space);
      return entry !== undefined && entry.expiresAt > clock.now() && constantTimeEqual(entry.code, code);
    },
    consume(space: string): void {
      codes.delete(space);
    },
  };
}
