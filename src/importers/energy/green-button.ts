/**
 * Green Button "Download My Data" files (NAESB REQ.21 ESPI): an Atom feed whose entries hold a
 * `UsagePoint` (the service: ServiceCategory kind 0 electricity, 1 gas), its `MeterReading`s,
 * each one's `ReadingType` (uom 72 Wh, 169 therm; powerOfTenMultiplier; commodity 1/2
 * electricity, 7 natural gas; accumulationBehaviour 4 = consumption per interval; flowDirection 1
 * = delivered), `IntervalBlock`s of `IntervalReading`s (timePeriod start in epoch seconds,
 * duration in seconds, integer value × 10^powerOfTenMultiplier) and `LocalTimeParameters`.
 * Entries link to each other by href (`self`, `up`, `related`), in any order: a ReadingType may
 * come after the blocks that use it.
 *
 * The file is read twice, never whole: first everything but the IntervalBlocks (small), then the
 * blocks one reading at a time, each resolved through its MeterReading to its ReadingType.
 *
 * Electricity becomes the 30-minute load curve where the intervals allow it (30 minutes, or
 * shorter ones averaged) and daily totals for each complete local day; gas in therms (or Wh)
 * becomes daily totals. The catalog's usagePointId is a French 14-digit id: a US usage point
 * gets a stable 14-digit id derived from its href (see `usagePointIdOf`).
 */
import { createHash } from 'node:crypto';
import { addDays } from '../../core/time/time-zone.js';
import { importError } from '../import-error.js';
import type { ImportRecord, ImportSample, Importer, ImportSource, ParseContext } from '../importer.js';
import { textAt, xmlElements, type XmlElement } from '../xml/xml-elements.js';
import { LIMITS, roundTo, shiftDecimal } from './energy-numbers.js';
import {
  createHalfHourCurve,
  dailyPoint,
  ELECTRICITY_DAILY,
  GAS_DAILY,
  LOAD_CURVE,
  point,
  worstQuality,
  type HalfHourCurve,
  type Quality,
} from './energy-points.js';
import { dayIn, espiZone, ianaZone, midnightIn, type LocalZone } from './espi-local-time.js';
import { isoInstant, isPlausibleInstant } from './producer-time.js';
import { createWarningTally, type WarningTally } from './warning-tally.js';

export const greenButtonImporter: Importer = {
  id: 'green-button',
  title: 'Green Button energy usage (NAESB ESPI XML)',
  doctypes: [LOAD_CURVE, ELECTRICITY_DAILY, GAS_DAILY],
  detect: detectGreenButton,
  parse: parseGreenButton,
};

function detectGreenButton(sample: ImportSample): number {
  const head = sample.text.slice(0, 16384);
  // Before the root: the XML declaration, processing instructions (a stylesheet) and comments.
  if (!/^\s*(?:<\?[\s\S]*?\?>\s*|<!--[\s\S]*?-->\s*)*<([\w-]+:)?(feed|entry)\b/.test(head)) return 0;
  if (head.includes('naesb.org/espi')) return 0.95;
  return /<([\w-]+:)?(UsagePoint|IntervalBlock|ReadingType|MeterReading)\b/.test(head) ? 0.9 : 0;
}

/** kWh in one US therm (100,000 BTU, 105,480,400 J as US law defines it). */
const KWH_PER_THERM = 29.300111;

const UOM_WH = 72;
const UOM_THERM = 169;
const META = new Set(['UsagePoint', 'MeterReading', 'ReadingType', 'LocalTimeParameters']);

interface Entry {
  id?: string;
  links: { rel: string; href: string }[];
  content?: XmlElement;
}

/** Follows entries in document order: `match` is called in order as elements open, and
 * collected elements come out in the same order, so a queue tells each one's entry. */
function entryTracker() {
  let entries = -1;
  const owners: number[] = [];
  return {
    /** For `xmlElements`' match: counts entries and notes the owner of what it collects. */
    match(path: readonly string[], wanted: (path: readonly string[], depthInEntry: number) => boolean): boolean {
      const at = path.lastIndexOf('entry');
      if (at === path.length - 1) {
        entries++;
        return false;
      }
      if (at === -1 || at > 1 || !wanted(path, path.length - 1 - at)) return false;
      owners.push(entries);
      return true;
    },
    ownerOfNext(): number {
      return owners.shift() ?? -1;
    },
  };
}

function normHref(href: string): string {
  let h = href.trim();
  const resource = h.indexOf('/resource/');
  h = resource >= 0 ? h.slice(resource + '/resource/'.length) : h.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]+/i, '');
  return h.replace(/^\/+|\/+$/g, '');
}

/** The value under `href` in `map`, or under the one href that ends like it (absolute and relative links mixed). */
function byHref<T>(map: Map<string, T>, href: string | undefined): T | undefined {
  if (href === undefined) return undefined;
  const h = normHref(href);
  const exact = map.get(h);
  if (exact !== undefined) return exact;
  const matches = [...map.keys()].filter((k) => k.endsWith(`/${h}`) || h.endsWith(`/${k}`));
  return matches.length === 1 ? map.get(matches[0]!) : undefined;
}

interface ReadingTypeInfo {
  uom?: number;
  /** Seconds; the duration of readings that leave theirs out. */
  intervalLength?: number;
  multiplier: number;
  accumulation?: number;
  commodity?: number;
  flow?: number;
}

interface MeterReadingInfo {
  self: string;
  readingTypeHref?: string;
  usagePointHref: string;
}

interface UsagePointInfo {
  key: string;
  serviceKind?: number;
  related: string[];
}

interface Registry {
  readingTypes: Map<string, ReadingTypeInfo>;
  meterReadings: Map<string, MeterReadingInfo>;
  usagePoints: Map<string, UsagePointInfo>;
  zones: Map<string, LocalZone>;
}

function intAt(e: XmlElement, ...path: string[]): number | undefined {
  const t = textAt(e, ...path);
  return t !== undefined && /^[+-]?\d+$/.test(t) ? Number(t) : undefined;
}

function linkOf(entry: Entry, rel: string): string | undefined {
  return entry.links.find((l) => l.rel === rel)?.href;
}

async function readRegistry(source: ImportSource): Promise<Registry> {
  const r: Registry = { readingTypes: new Map(), meterReadings: new Map(), usagePoints: new Map(), zones: new Map() };
  const tracker = entryTracker();
  let current: { index: number; entry: Entry } | undefined;
  const file = (e: Entry) => {
    const content = e.content;
    if (!content) return;
    const self = normHref(linkOf(e, 'self') ?? e.id ?? '');
    const kind = content.local;
    if (kind === 'ReadingType') {
      r.readingTypes.set(self, {
        uom: intAt(content, 'uom'),
        intervalLength: intAt(content, 'intervalLength'),
        multiplier: intAt(content, 'powerOfTenMultiplier') ?? 0,
        accumulation: intAt(content, 'accumulationBehaviour'),
        commodity: intAt(content, 'commodity'),
        flow: intAt(content, 'flowDirection'),
      });
    } else if (kind === 'MeterReading') {
      const up = linkOf(e, 'up');
      const usagePointHref = self.includes('/MeterReading')
        ? self.slice(0, self.lastIndexOf('/MeterReading'))
        : normHref(up ?? '').replace(/\/MeterReading$/, '');
      const related = e.links.filter((l) => l.rel === 'related').map((l) => l.href);
      const readingTypeHref = related.find((h) => h.includes('ReadingType')) ?? related[0];
      r.meterReadings.set(self, {
        self,
        usagePointHref,
        ...(readingTypeHref === undefined ? {} : { readingTypeHref }),
      });
    } else if (kind === 'UsagePoint') {
      r.usagePoints.set(self, {
        key: self || (e.id ?? ''),
        serviceKind: intAt(content, 'ServiceCategory', 'kind'),
        related: e.links.filter((l) => l.rel === 'related').map((l) => l.href),
      });
    } else if (kind === 'LocalTimeParameters') {
      r.zones.set(
        self,
        espiZone({
          tzOffsetSeconds: intAt(content, 'tzOffset') ?? 0,
          dstOffsetSeconds: intAt(content, 'dstOffset') ?? 0,
          ...optionalText('dstStartRule', textAt(content, 'dstStartRule')),
          ...optionalText('dstEndRule', textAt(content, 'dstEndRule')),
        }),
      );
    }
  };
  const elements = xmlElements(source, {
    match: (path) =>
      tracker.match(path, (p, depth) => {
        const last = p[p.length - 1]!;
        return (
          (depth === 1 && (last === 'link' || last === 'id')) ||
          (depth === 2 && META.has(last) && p[p.length - 2] === 'content')
        );
      }),
  });
  for await (const element of elements) {
    const index = tracker.ownerOfNext();
    if (current?.index !== index) {
      if (current) file(current.entry);
      current = { index, entry: { links: [] } };
    }
    addToEntry(current.entry, element);
  }
  if (current) file(current.entry);
  return r;
}

function optionalText<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

function addToEntry(entry: Entry, element: XmlElement): void {
  if (element.local === 'link') entry.links.push({ rel: element.attrs.rel ?? '', href: element.attrs.href ?? '' });
  else if (element.local === 'id') entry.id = element.text.trim();
  else entry.content = element;
}

/** What one MeterReading's blocks turn into, decided once from its ReadingType and UsagePoint. */
interface Channel {
  kind: 'electricity' | 'gas' | 'skip';
  why?: string;
  usagePointId: string;
  rt: ReadingTypeInfo;
  zone: LocalZone;
  curve?: HalfHourCurve;
  days: Map<string, { raw: number; covered: number; quality: Quality; line: number }>;
  warned: boolean;
}

/**
 * A usage point's id: the last segment of its href when that is 14 digits already, else 14
 * digits of a SHA-256 of its href (or Atom id). Utilities keep these stable across downloads,
 * so re-importing an overlapping file lands on the same stream.
 */
export function usagePointIdOf(key: string): string {
  const last = key.split('/').pop() ?? '';
  if (/^\d{14}$/.test(last)) return last;
  const hex = createHash('sha256').update(`green-button:${key}`).digest('hex').slice(0, 24);
  return (BigInt(`0x${hex}`) % 10n ** 14n).toString().padStart(14, '0');
}

function channelOf(r: Registry, mr: MeterReadingInfo, ctx: ParseContext, tally: WarningTally): Channel {
  const up = byHref(r.usagePoints, mr.usagePointHref);
  const usagePointId = usagePointIdOf(up?.key || mr.usagePointHref || mr.self);
  const ltpHref = up?.related.find((h) => byHref(r.zones, h) !== undefined);
  let zone = ltpHref === undefined ? undefined : byHref(r.zones, ltpHref);
  if (!zone && r.zones.size === 1) zone = [...r.zones.values()][0];
  if (!zone) {
    tally.warn('no local time', `the file has no LocalTimeParameters: days are counted in ${ctx.timeZone}.`);
    zone = ianaZone(ctx.timeZone);
  }
  const rt =
    byHref(r.readingTypes, mr.readingTypeHref) ??
    (r.readingTypes.size === 1 ? [...r.readingTypes.values()][0] : undefined);
  const base = { usagePointId, zone, days: new Map(), warned: false };
  if (!rt) return { ...base, kind: 'skip', why: 'its ReadingType is not in the file', rt: { multiplier: 0 } };
  const commodity = rt.commodity ?? (up?.serviceKind === 0 ? 1 : up?.serviceKind === 1 ? 7 : undefined);
  const skip = (why: string): Channel => ({ ...base, kind: 'skip', why, rt });
  if (rt.flow !== undefined && rt.flow !== 0 && rt.flow !== 1)
    return skip('it is not energy delivered to the home (flowDirection ' + rt.flow + ')');
  if (rt.accumulation !== undefined && rt.accumulation !== 0 && rt.accumulation !== 4) {
    return skip(
      `its values are register readings, not consumption per interval (accumulationBehaviour ${rt.accumulation})`,
    );
  }
  if (commodity === 1 || commodity === 2 || (commodity === undefined && rt.uom === UOM_WH)) {
    if (rt.uom !== UOM_WH) return skip(`electricity in unit ${rt.uom ?? '(none)'} is not energy in Wh`);
    return { ...base, kind: 'electricity', rt, curve: createHalfHourCurve(usagePointId, tally) };
  }
  if (commodity === 7) {
    if (rt.uom !== UOM_THERM && rt.uom !== UOM_WH) {
      return skip(
        `gas measured in unit ${rt.uom ?? '(none)'} (a volume) has no energy conversion, which energy.gas.daily needs`,
      );
    }
    return { ...base, kind: 'gas', rt };
  }
  return skip(`its commodity (${commodity ?? 'unknown'}) is neither electricity nor natural gas`);
}

/** kWh of a raw value sum (integer × 10^multiplier in the ReadingType's unit). */
function kwhOf(channel: Channel, raw: number): number {
  const scaled = shiftDecimal(raw, channel.rt.multiplier);
  return channel.rt.uom === UOM_THERM ? roundTo(scaled * KWH_PER_THERM, 3) : shiftDecimal(scaled, -3);
}

function dayPoint(channel: Channel, day: string, raw: number, quality: Quality, line: number): ImportRecord {
  const kwh = kwhOf(channel, raw);
  return channel.kind === 'gas'
    ? point(GAS_DAILY, { usagePointId: channel.usagePointId, date: day, energyKwh: roundTo(kwh, 3) }, quality, line)
    : dailyPoint(channel.usagePointId, day, kwh, quality, line);
}

/** ESPI ReadingQuality codes: 7 manually edited; 8, 9 estimated; 12 projected (forecast). */
function qualityOf(code: number | undefined): Quality {
  if (code === 7) return 'corrected';
  if (code === 8 || code === 9 || code === 12) return 'estimated';
  return 'measured';
}

async function* parseGreenButton(source: ImportSource, ctx: ParseContext): AsyncIterable<ImportRecord> {
  const file = source.name;
  const tally = createWarningTally(ctx);
  const registry = await readRegistry(source);
  const channels = new Map<string, Channel>();
  const tracker = entryTracker();

  let entryIndex = -1;
  let entryLinks: Entry['links'] = [];
  let waiting: XmlElement[] = [];
  let channel: Channel | undefined;
  let readings = 0;

  const channelFor = (links: Entry['links'], line: number): Channel => {
    const blockHref = links.map((l) => normHref(l.href)).find((h) => h.includes('/IntervalBlock'));
    let mr =
      blockHref === undefined
        ? undefined
        : byHref(registry.meterReadings, blockHref.slice(0, blockHref.lastIndexOf('/IntervalBlock')));
    if (!mr && registry.meterReadings.size === 1) mr = [...registry.meterReadings.values()][0];
    if (!mr) throw importError(file, 'an IntervalBlock does not say which MeterReading it belongs to.', line);
    let c = channels.get(mr.self);
    if (!c) {
      c = channelOf(registry, mr, ctx, tally);
      channels.set(mr.self, c);
    }
    return c;
  };

  const handle = function* (c: Channel, e: XmlElement): Iterable<ImportRecord> {
    if (c.kind === 'skip') {
      if (!c.warned) ctx.warn({ line: e.line, message: `readings skipped: ${c.why}.` });
      c.warned = true;
      return;
    }
    const start = intAt(e, 'timePeriod', 'start');
    const duration = intAt(e, 'timePeriod', 'duration') ?? c.rt.intervalLength;
    const valueText = textAt(e, 'value');
    if (start === undefined || duration === undefined || duration <= 0) {
      tally.warn('unreadable time period', 'a reading has no readable timePeriod (start, duration): skipped.', e.line);
      return;
    }
    if (valueText === undefined || !/^[+-]?\d+$/.test(valueText)) {
      tally.warn('value not a number', `the value "${valueText ?? ''}" is not an integer: reading skipped.`, e.line);
      return;
    }
    const startMs = start * 1000;
    const durationMs = duration * 1000;
    if (!isPlausibleInstant(startMs, ctx.now) || duration > 366 * 86_400) {
      const when = Number.isFinite(new Date(startMs).getTime()) ? ` (${new Date(startMs).toISOString()})` : '';
      throw importError(
        file,
        `the time period starting ${start}${when} lasting ${duration} s is not plausible.`,
        e.line,
      );
    }
    const raw = Number(valueText);
    const kwh = kwhOf(c, raw);
    if (kwh < 0)
      throw importError(file, `the value ${valueText} is negative, which delivered energy cannot be.`, e.line);
    const powerW = (kwh * 3_600_000_000) / durationMs;
    const limit = c.kind === 'gas' ? (LIMITS.gasDailyKwh * 1000) / 24 : LIMITS.powerW;
    if (powerW > limit) {
      throw importError(
        file,
        `the value ${valueText} is not plausible for a meter (an average of ${Math.round(powerW)} W).`,
        e.line,
      );
    }
    const quality = qualityOf(intAt(e, 'ReadingQuality', 'quality'));
    readings++;
    if (c.curve && durationMs <= 30 * 60_000) {
      yield* c.curve.push({ start: startMs, durationMs, powerW: roundTo(powerW, 3), quality, line: e.line });
    }
    yield* addToDay(c, startMs, durationMs, raw, quality, e.line, tally);
  };

  const elements = xmlElements(source, {
    match: (path) =>
      tracker.match(path, (p, depth) => {
        const last = p[p.length - 1]!;
        if (depth === 1) return last === 'link';
        return depth === 3 && last === 'IntervalReading' && p[p.length - 2] === 'IntervalBlock';
      }),
  });
  for await (const element of elements) {
    const owner = tracker.ownerOfNext();
    if (owner !== entryIndex) {
      if (waiting.length > 0) {
        const c = channelFor(entryLinks, waiting[0]!.line);
        for (const w of waiting) yield* handle(c, w);
      }
      entryIndex = owner;
      entryLinks = [];
      waiting = [];
      channel = undefined;
    }
    if (element.local === 'link') {
      entryLinks.push({ rel: element.attrs.rel ?? '', href: element.attrs.href ?? '' });
      continue;
    }
    // Links usually come first; a block whose links follow its readings waits for them.
    if (!channel && entryLinks.some((l) => l.href.includes('IntervalBlock')))
      channel = channelFor(entryLinks, element.line);
    if (channel) yield* handle(channel, element);
    else waiting.push(element);
  }
  if (waiting.length > 0) {
    const c = channelFor(entryLinks, waiting[0]!.line);
    for (const w of waiting) yield* handle(c, w);
  }
  for (const c of channels.values()) {
    if (c.curve) yield* c.curve.end();
    for (const [day, d] of c.days) {
      tally.warn('incomplete day', `the readings of ${day} do not cover the whole day: no daily total for it.`, d.line);
    }
  }
  tally.flush();
  if (registry.meterReadings.size === 0 && readings === 0) {
    throw importError(file, 'no Green Button usage data found (no MeterReading, no IntervalReading).');
  }
}

/**
 * Adds a reading to its local day; a day whose readings cover it entirely (23, 24 or 25 hours)
 * becomes a daily point. A one-day interval starting at local midnight is a day on its own, even
 * when its duration says 24 hours on a 23- or 25-hour day (producers do).
 */
function* addToDay(
  c: Channel,
  start: number,
  duration: number,
  raw: number,
  quality: Quality,
  line: number,
  tally: WarningTally,
): Iterable<ImportRecord> {
  const day = dayIn(start, c.zone);
  const midnight = midnightIn(day, c.zone);
  const length = midnightIn(addDays(day, 1), c.zone) - midnight;
  if (start === midnight && (duration === length || duration === 86_400_000)) {
    yield dayPoint(c, day, raw, quality, line);
    return;
  }
  if (start + duration > midnight + length) {
    tally.warn(
      'interval across days',
      `the interval starting ${isoInstant(start)} runs over two local days: not counted in a daily total.`,
      line,
    );
    return;
  }
  const d = c.days.get(day) ?? { raw: 0, covered: 0, quality: 'measured' as Quality, line };
  c.days.set(day, d);
  d.raw += raw;
  d.covered += duration;
  d.quality = worstQuality(d.quality, quality);
  if (d.covered >= length) {
    c.days.delete(day);
    if (d.covered === length) yield dayPoint(c, day, d.raw, d.quality, d.line);
    else
      tally.warn(
        'overlapping intervals',
        `the readings of ${day} overlap (more than the day's length): no daily total for it.`,
        line,
      );
  }
}
