import { Rng } from '../../../catalog/synthetic/rng.js';
import type { Customer, HolderId } from './customers.js';
import { dayNumber, dayString } from './days.js';

/** A file a holder offers beside a record (a PDF bill, a contract). */
export interface HolderFile {
  id: string;
  name: string;
  mediaType: 'application/pdf';
}

export interface HolderRecord {
  /** The holder's natural key: stable across runs, unique within (customer, holder, doctype). */
  key: string;
  doctype: string;
  /** Valid for the catalog doctype's schema. */
  data: Record<string, unknown>;
  /** The Paris day the record belongs to (a contract's start, a bill's issue, a reading's day). */
  day: string;
  /**
   * Reference data (contracts, accounts, lines): current state rather than an event, so it belongs
   * to every range that ends on or after its day.
   */
  reference?: boolean;
  files?: HolderFile[];
}

/** What every generator gets: the seed, the customer, and the household's memo of costly sums. */
export interface GenContext {
  seed: string;
  customer: Customer;
  memo<T>(key: string, compute: () => T): T;
}

/**
 * The generator of one (customer, holder, stream, day): drawing from it never depends on what
 * other days or doctypes drew, so any range can be computed alone and in any order.
 */
export function dayRng(ctx: GenContext, holder: HolderId, stream: string, day: string): Rng {
  return new Rng(`${ctx.seed}|${ctx.customer.id}|${holder}|${stream}|${day}`);
}

export const round2 = (n: number): number => Math.round(n * 100) / 100;

/**
 * A running total from `start` to `day` included (a meter index, a balance), memoised as one array
 * per key that grows as later days are asked for: three years cost one pass, not one per call.
 */
export function runningTotal(
  ctx: GenContext,
  key: string,
  start: string,
  day: string,
  amountOf: (day: string) => number,
): number {
  const state = ctx.memo(`running:${key}`, () => ({ first: dayNumber(start), totals: [] as number[] }));
  const n = dayNumber(day) - state.first;
  if (n < 0) return 0;
  for (let i = state.totals.length; i <= n; i++)
    state.totals.push((i > 0 ? (state.totals[i - 1] as number) : 0) + amountOf(dayString(state.first + i)));
  return state.totals[n] as number;
}
