/**
 * Deterministic jitter: a number in [0, 1) from a hash of its parts (space, connector, and what it
 * is for). The same connector of the same space always gets the same value, on every process and
 * after every restart, and SHA-256 spreads distinct connectors uniformly.
 */
import { hash } from 'node:crypto';

const TWO_POW_48 = 2 ** 48;

export function jitter(...parts: (string | number)[]): number {
  return hash('sha256', parts.join('\n'), 'buffer').readUIntBE(0, 6) / TWO_POW_48;
}
