import { FoyerError } from '../../src/core/errors.js';
import type { Rng } from './rng.js';

/**
 * What to generate. Documents: exactly `count` documents dated within [from, to). Regular series
 * (load curve, daily readings) and day-by-day documents (telecom.data-usage): the points or days
 * of [from, to) on the doctype's grid, at most `count`. Irregular series (location points):
 * `count` points within [from, to), in time order.
 */
export interface GenerateOptions {
  count: number;
  /** ISO 8601 instant, included, e.g. `2024-01-01T00:00:00Z`. */
  from: string;
  /** ISO 8601 instant, excluded. */
  to: string;
}

export type Generator = (rng: Rng, options: GenerateOptions) => unknown[];

export interface ResolvedOptions {
  count: number;
  fromMs: number;
  toMs: number;
}

const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export function resolveOptions(options: GenerateOptions): ResolvedOptions {
  const { count, from, to } = options;
  if (!Number.isInteger(count) || count < 0)
    throw new FoyerError('bad_request', `count must be a non-negative integer, got ${count}`);
  const fromMs = instantPattern.test(from) ? Date.parse(from) : NaN;
  const toMs = instantPattern.test(to) ? Date.parse(to) : NaN;
  if (Number.isNaN(fromMs)) throw new FoyerError('bad_request', `from must be an ISO 8601 instant, got ${from}`);
  if (Number.isNaN(toMs)) throw new FoyerError('bad_request', `to must be an ISO 8601 instant, got ${to}`);
  if (toMs <= fromMs) throw new FoyerError('bad_request', `to (${to}) must be after from (${from})`);
  return { count, fromMs, toMs };
}
