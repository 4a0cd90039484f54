/**
 * A run of the electricity connector (in the connector sandbox): the usage point's contract at
 * the distributor (its activation day bounds the history), then each metering stream within the
 * distributor's limits per call (daily energy and maximum power: 365 days; the 30-minute load
 * curve: 7 days), then the supplier's contract and bills, each bill with its PDF (`ctx.file`).
 *
 * Incremental: the cursor keeps, per stream, the last day collected; the next run asks from the
 * day after, up to today (the distributor serves what it has published: a day at 06:00 the next
 * morning). The first run (and a backfill) asks three years back, or from the meter's activation.
 * Points are keyed by usage point and time, bills by number, the contract by its number: a run
 * asked again writes nothing twice.
 */
import { addDays, parisDate } from '../../../catalog/synthetic/time.js';
import type { CallPolicy } from '../holder-call.js';
import { historyStart } from '../history-start.js';
import { asArray, asObject, day, formatChanged, text, type Json } from '../holder-json.js';
import { ConnectorError, type ConnectorContext } from '../sdk.js';
import { enedisFile, enedisGet, type EnedisClient } from './enedis-api.js';
import {
  dailyPoints,
  loadCurvePoints,
  maxPowerPoints,
  meterReadingOf,
  type MeterReading,
  type Points,
} from './enedis-readings.js';
import { manifest } from './manifest.js';

interface Stream {
  key: 'daily' | 'maxPower' | 'loadCurve';
  doctype: string;
  path: string;
  /** Days one call may span (end excluded). */
  maxDays: number;
  unit: string;
  points: (m: MeterReading, usagePointId: string, what: string) => Points;
  what: string;
}

export const STREAMS: readonly Stream[] = [
  {
    key: 'daily',
    doctype: 'energy.electricity.daily',
    path: '/metering_data_dc/v5/daily_consumption',
    maxDays: 365,
    unit: 'Wh',
    points: dailyPoints,
    what: 'daily consumption',
  },
  {
    key: 'maxPower',
    doctype: 'energy.electricity.max-power',
    path: '/metering_data_dcmp/v5/daily_consumption_max_power',
    maxDays: 365,
    unit: 'VA',
    points: maxPowerPoints,
    what: 'maximum power',
  },
  {
    key: 'loadCurve',
    doctype: 'energy.electricity.load-curve',
    path: '/metering_data_clc/v5/consumption_load_curve',
    maxDays: 7,
    unit: 'W',
    points: loadCurvePoints,
    what: 'load curve',
  },
];

/** The supplier's bills, a year a call (it allows 366 days). */
const BILL_DAYS = 365;

/** Per stream (and `bills`), the last day collected. */
type ElectricityCursor = Partial<Record<Stream['key'] | 'bills', string>>;

const later = (a: string | undefined, b: string) => (a === undefined || b > a ? b : a);
const earlier = (a: string, b: string) => (b < a ? b : a);

function cursorOf(value: unknown): ElectricityCursor {
  const out: ElectricityCursor = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const key of ['daily', 'maxPower', 'loadCurve', 'bills'] as const) {
    const v = (value as Record<string, unknown>)[key];
    if (typeof v === 'string') out[key] = v;
  }
  return out;
}

/** The usage point's activation day, from the distributor's contract data. */
function activationOf(body: unknown, usagePointId: string): string {
  const what = 'the usage point’s contract';
  const points = asArray(asObject(asObject(body, what).customer, `${what}: customer`).usage_points, what);
  for (const p of points) {
    const o = asObject(p, `${what}: a usage point`);
    if (text(asObject(o.usage_point, what), 'usage_point_id', what) !== usagePointId) continue;
    const since = text(asObject(o.contracts, `${what}: contracts`), 'last_activation_date', what);
    if (!/^\d{4}-\d{2}-\d{2}/.test(since)) throw formatChanged(`${what}: last_activation_date is not a date.`);
    return since.slice(0, 10);
  }
  throw formatChanged(`${what}: the usage point is not listed.`);
}

/** A supplier document (catalog-shaped), checked for what the connector relies on. */
function checked(o: Json, key: string, dayField: string, what: string): string {
  day(o, dayField, what);
  return text(o, key, what);
}

export async function collectElectricity(ctx: ConnectorContext, policy: CallPolicy): Promise<void> {
  const { usagePointId, clientId, clientSecret } = await ctx.credentials();
  const distributor = manifest.holder.name;
  if (!usagePointId || !clientId || !clientSecret) {
    throw new ConnectorError('user_action_needed', `Connect to ${distributor} first.`);
  }
  const api: EnedisClient = { caller: ctx, api: ctx.api, distributor, policy, clientId, clientSecret, usagePointId };
  const today = parisDate(ctx.startedAt);
  const cursor = cursorOf(ctx.cursor.get());
  const next: ElectricityCursor = { ...cursor };

  const activation = activationOf(
    await enedisGet(api, '/customers_upc/v5/usage_points/contracts', {}, 'the usage point’s contract'),
    usagePointId,
  );
  const first = later(historyStart(today), activation);
  const startOf = (key: keyof ElectricityCursor) => (cursor[key] ? addDays(cursor[key], 1) : first);

  let calls = 0;
  for (const stream of STREAMS) {
    for (let from = startOf(stream.key); from < today;) {
      const end = earlier(addDays(from, stream.maxDays), today);
      const what = `${stream.what} ${from} to ${end}`;
      const body = await enedisGet(api, stream.path, { start: from, end }, what);
      if (body !== null) {
        const reading = meterReadingOf(body, what, { usagePointId, start: from, end, unit: stream.unit });
        const { points, lastDay } = stream.points(reading, usagePointId, what);
        if (points.length > 0) await ctx.points(stream.doctype, points);
        if (lastDay !== null) next[stream.key] = later(next[stream.key], lastDay);
      }
      ctx.progress({ done: ++calls, message: what });
      from = end;
    }
  }

  const supplied = asObject(await enedisGet(api, '/supplier/v1/contract', {}, 'the supply contract'), 'contract');
  if (supplied.contract !== undefined && supplied.contract !== null) {
    const contract = asObject(supplied.contract, 'the supply contract');
    if (contract.usagePointId !== usagePointId) throw formatChanged('the supply contract is for another usage point.');
    await ctx.upsert(
      'energy.contract',
      checked(contract, 'contractNumber', 'startDate', 'the supply contract'),
      contract,
    );
  }

  let bills = 0;
  for (let from = startOf('bills'); from < today;) {
    const end = earlier(addDays(from, BILL_DAYS), today);
    const what = `bills ${from} to ${end}`;
    const body = asObject(await enedisGet(api, '/supplier/v1/bills', { start: from, end }, what), what);
    for (const raw of asArray(body.bills, `${what}: bills`)) {
      const { files, ...bill } = asObject(raw, `${what}: a bill`);
      const number = checked(bill, 'number', 'issueDate', `${what}: a bill`);
      // The bill as issued, its PDF, kept beside it.
      const pdf = files === undefined ? undefined : asArray(files, `${what}: files of ${number}`)[0];
      if (pdf !== undefined) {
        const f = asObject(pdf, `${what}: a file of ${number}`);
        const at = `${what}: a file of ${number}`;
        bill.fileId = await enedisFile(ctx, api, {
          key: `${manifest.id}/${text(f, 'id', at)}`,
          href: text(f, 'href', at),
          name: text(f, 'name', at),
          ...(typeof f.mediaType === 'string' ? { contentType: f.mediaType } : {}),
        });
      }
      await ctx.upsert('bill', number, bill);
      bills++;
    }
    from = end;
  }
  // Bills are published with the day's metering: the next run asks after the last day published.
  if (next.daily !== undefined) next.bills = later(cursor.bills, next.daily);

  ctx.cursor.set(next);
  ctx.log(`${calls} metering calls, ${bills} bills read`);
}
