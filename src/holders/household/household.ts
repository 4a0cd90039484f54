/**
 * The synthetic household: several fictional customers, each a client of some simulated holders,
 * whose records are computed from a seed on demand. The records of a day come from generators
 * seeded by (seed, customer, holder, stream, day), so any range is computed alone and every call,
 * in any order, agrees; sums that span days (a month's bill, a meter index, a bank balance) are
 * memoised per household instance. See docs/synthetic-household.md.
 */
import { FoyerError } from '../../core/errors.js';
import type { Clock } from '../../platform/clock.js';
import { accountBalance } from './bank.js';
import type { GenContext, HolderRecord } from './context.js';
import { createCustomers, type Customer, type HolderId } from './customers.js';
import { checkRange, dayOfInstant, daysOf, historyStart, lastAvailableDay, type DayRange } from './days.js';
import { holderSources, type DoctypeSource } from './sources.js';
import { renderFile } from './files.js';

export type { Customer, HolderId, Login, Person, Place, ProfileId } from './customers.js';
export { holderIds } from './customers.js';
export type { HolderFile, HolderRecord } from './context.js';
export type { DayRange } from './days.js';

export interface HouseholdOptions {
  seed: string;
  /**
   * When given, the household serves what a holder may serve at the clock's time: nothing after
   * the last available day (a day's data appears at 06:00 Paris the next day).
   */
  clock?: Clock;
}

export interface Household {
  readonly seed: string;
  readonly customers: Customer[];
  customer(customerId: string): Customer;
  /** The doctypes a holder serves for this customer (empty when not a client). */
  doctypes(customerId: string, holder: HolderId): string[];
  /**
   * The records of one doctype whose day lies in the inclusive range, in day order then a stable
   * order within the day; reference records (contracts, accounts, lines) belong to every range
   * ending on or after their day. With a clock, `to` is clamped to the last available day.
   */
  records(customerId: string, holder: HolderId, doctype: string, range: DayRange): HolderRecord[];
  /** A file named by a record's `files` (a small PDF), generated again from the same data. */
  file(customerId: string, holder: HolderId, fileId: string): Uint8Array;
  /** An account's balance at the end of a day (a loan's: what is still owed, negative). */
  balance(customerId: string, accountId: string, day: string): number;
  /** The range a holder serves at the clock's time: three years back from today, to the last available day. */
  window(now: number): DayRange;
}

export function createHousehold(options: HouseholdOptions): Household {
  const { seed, clock } = options;
  if (typeof seed !== 'string' || seed.length === 0) throw new FoyerError('bad_request', 'the household needs a seed');
  const customers = createCustomers(seed);
  const contexts = new Map<string, GenContext>(
    customers.map((customer) => {
      const memo = new Map<string, unknown>();
      const ctx: GenContext = {
        seed,
        customer,
        memo: <T>(key: string, compute: () => T): T => {
          if (memo.has(key)) return memo.get(key) as T;
          const value = compute();
          memo.set(key, value);
          return value;
        },
      };
      return [customer.id, ctx];
    }),
  );

  const contextOf = (customerId: string): GenContext => {
    const ctx = contexts.get(customerId);
    if (!ctx) throw new FoyerError('not_found', `no customer ${customerId} in this household`);
    return ctx;
  };

  const sourceOf = (ctx: GenContext, holder: HolderId, doctype: string): DoctypeSource => {
    const source = ctx.customer.holders.includes(holder) ? holderSources[holder][doctype] : undefined;
    if (!source) throw new FoyerError('not_found', `${holder} serves no ${doctype} to customer ${ctx.customer.id}`);
    return source;
  };

  const household: Household = {
    seed,
    customers,
    customer: (customerId) => contextOf(customerId).customer,
    doctypes(customerId, holder) {
      const ctx = contextOf(customerId);
      if (!ctx.customer.holders.includes(holder)) return [];
      return Object.keys(holderSources[holder]);
    },
    records(customerId, holder, doctype, range) {
      checkRange(range);
      const ctx = contextOf(customerId);
      const source = sourceOf(ctx, holder, doctype);
      const to = clock && range.to > lastAvailableDay(clock.now()) ? lastAvailableDay(clock.now()) : range.to;
      if (to < range.from) return [];
      const out: HolderRecord[] = [];
      if (source.reference) for (const r of source.reference(ctx)) if (r.day <= to) out.push(r);
      if (source.daily)
        for (const day of daysOf({ from: range.from, to })) for (const r of source.daily(ctx, day)) out.push(r);
      return out;
    },
    file(customerId, holder, fileId) {
      const ctx = contextOf(customerId);
      return renderFile(ctx, holder, fileId, (doctype, range) => household.records(customerId, holder, doctype, range));
    },
    balance(customerId, accountId, day) {
      checkRange({ from: day, to: day });
      const balance = accountBalance(contextOf(customerId), accountId, day);
      if (balance === undefined)
        throw new FoyerError('not_found', `customer ${customerId} has no account ${accountId}`);
      return balance;
    },
    window(now) {
      const today = dayOfInstant(now);
      return { from: historyStart(today), to: lastAvailableDay(now) };
    },
  };
  return household;
}
