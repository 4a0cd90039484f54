/**
 * One Enedis measurement stream (a meter's load curve, daily energy or daily maximum power), fed
 * line by line by the CSV and JSON importers, which only differ in how they find the lines.
 *
 * - Load curve values are average powers over an interval whose END the timestamp marks; the
 *   point is put at the START (end minus the step), on the 30-minute grid (see
 *   `createHalfHourCurve`). When the file does not state the step, a line's step is the smaller
 *   of its distances to the lines before and after it: a missing line (a 60-minute hole in a
 *   30-minute curve) then does not pass for a change of step, and a real change of step (Enedis
 *   moves meters from 60 or 10 minutes to 30) is followed.
 * - Daily energy is dated by the local day of its timestamp (Enedis stamps a day at its
 *   midnight); maximum power too, and keeps the instant it was reached when the file gives one.
 */
import { localMidnight } from '../../core/time/time-zone.js';
import { importError } from '../import-error.js';
import type { ImportRecord, ParseContext } from '../importer.js';
import { LIMITS, toKwh, toVoltAmperes, toWatts } from './energy-numbers.js';
import { createHalfHourCurve, dailyPoint, maxPowerPoint, type Quality } from './energy-points.js';
import {
  createLocalResolver,
  isPlausibleInstant,
  localDateOf,
  PRODUCER_ZONE,
  producerDay,
  type ParsedTimestamp,
} from './producer-time.js';
import type { WarningTally } from './warning-tally.js';

export type EnedisKind = 'curve' | 'daily' | 'max';

export interface EnedisLine {
  time: ParsedTimestamp;
  /** undefined: the line has no value (a hole Enedis leaves empty). */
  value: number | undefined;
  quality: Quality;
  line: number;
  /** The interval length when the line states it (`interval_length`, a "Pas" column). */
  stepMs?: number;
}

export interface EnedisStreamOptions {
  file: string;
  usagePointId: string;
  kind: EnedisKind;
  unit: string;
  /** The step the file states for the whole stream, if any. */
  stepMs?: number;
  /** Where the stream is described, for errors about it. */
  line?: number;
  ctx: ParseContext;
  tally: WarningTally;
}

export interface EnedisStream {
  push(line: EnedisLine): ImportRecord[];
  end(): ImportRecord[];
}

const MINUTE = 60_000;
const KNOWN_STEPS = new Set([5, 10, 15, 30, 60].map((m) => m * MINUTE));
const DEFAULT_STEP = 30 * MINUTE;

/** Units Enedis writes when a header leaves the unit out. */
export const DEFAULT_UNITS: Record<EnedisKind, string> = { curve: 'W', daily: 'Wh', max: 'VA' };

export function createEnedisStream(o: EnedisStreamOptions): EnedisStream {
  const { file, usagePointId, kind, unit, ctx, tally } = o;
  const resolve = createLocalResolver();
  const curve = createHalfHourCurve(usagePointId, tally);
  const convert = kind === 'curve' ? toWatts : kind === 'daily' ? toKwh : toVoltAmperes;
  if (convert(1, unit) === undefined) {
    throw importError(file, `the unit "${unit}" is not one Foyer knows for ${describeKind(kind)}.`, o.line);
  }

  /** Curve lines wait for the next one, whose distance may tell their step. */
  let pending: { end: number; line: EnedisLine } | undefined;
  let previousEnd: number | undefined;
  let lastStep = o.stepMs ?? DEFAULT_STEP;

  const instantOf = (l: EnedisLine): number | undefined => {
    if (l.time.kind === 'instant') return l.time.ms;
    const ms = resolve(l.time.local);
    if (ms === undefined) {
      tally.warn(
        'local time that does not exist',
        `the local time "${l.time.text}" does not exist in Europe/Paris (the clocks skip it in spring): line skipped.`,
        l.line,
      );
    }
    return ms;
  };

  const checkInstant = (ms: number, l: EnedisLine) => {
    if (!isPlausibleInstant(ms, ctx.now))
      throw importError(file, `the date "${l.time.text}" is not plausible.`, l.line);
  };

  const valueOf = (l: EnedisLine): number | undefined => {
    if (l.value === undefined) {
      tally.warn('no value', `no value for ${l.time.text}: nothing imported for it.`, l.line);
      return undefined;
    }
    const v = convert(l.value, unit)!;
    if (v < 0)
      throw importError(file, `the value ${l.value} ${unit} is negative, which a consumption cannot be.`, l.line);
    const max = kind === 'daily' ? LIMITS.dailyKwh : LIMITS.powerW;
    if (v > max) {
      throw importError(
        file,
        `the value ${l.value} ${unit} is not plausible for a meter (more than ${kind === 'daily' ? `${max} kWh a day` : '1 MW'}).`,
        l.line,
      );
    }
    return v;
  };

  const emitCurve = (end: number, l: EnedisLine, step: number): ImportRecord[] => {
    const powerW = valueOf(l);
    if (powerW === undefined) return [];
    return curve.push({ start: end - step, durationMs: step, powerW, quality: l.quality, line: l.line });
  };

  const known = (ms: number | undefined) =>
    ms !== undefined && KNOWN_STEPS.has(Math.abs(ms)) ? Math.abs(ms) : undefined;

  const releasePending = (nextEnd: number | undefined): ImportRecord[] => {
    if (!pending) return [];
    const { end, line } = pending;
    pending = undefined;
    let step = line.stepMs ?? o.stepMs;
    if (step === undefined) {
      const before = known(previousEnd === undefined ? undefined : end - previousEnd);
      const after = known(nextEnd === undefined ? undefined : nextEnd - end);
      step = before !== undefined && after !== undefined ? Math.min(before, after) : (before ?? after ?? lastStep);
    }
    lastStep = step;
    previousEnd = end;
    return emitCurve(end, line, step);
  };

  return {
    push(l) {
      if (kind === 'curve') {
        const end = instantOf(l);
        if (end === undefined) return [];
        checkInstant(end, l);
        const out = releasePending(end);
        pending = { end, line: l };
        return out;
      }
      let day: string;
      let at: number | undefined;
      if (l.time.kind === 'local' && (l.time.dateOnly || kind === 'daily')) {
        day = localDateOf(l.time.local);
        checkInstant(Date.parse(`${day}T12:00:00Z`), l);
      } else {
        const ms = instantOf(l);
        if (ms === undefined) return [];
        checkInstant(ms, l);
        day = producerDay(ms);
        at = ms;
      }
      const value = valueOf(l);
      if (value === undefined) return [];
      if (kind === 'daily') return [dailyPoint(usagePointId, day, value, l.quality, l.line)];
      // A maximum stamped at midnight sharp is a day without its time.
      const timed = at !== undefined && at !== localMidnight(day, PRODUCER_ZONE);
      return [maxPowerPoint(usagePointId, day, value, timed ? at : undefined, l.quality, l.line)];
    },
    end() {
      return [...releasePending(undefined), ...curve.end()];
    },
  };
}

export function describeKind(kind: EnedisKind): string {
  return kind === 'curve' ? 'a load curve' : kind === 'daily' ? 'daily energy' : 'maximum power';
}

/** `PT30M`, `PT10M`, `P1D`, `30` (minutes) as milliseconds; undefined when unreadable. */
export function parseStep(text: string): number | undefined {
  const t = text.trim().toUpperCase();
  if (t === '') return undefined;
  if (/^\d+$/.test(t)) return Number(t) * MINUTE;
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(t);
  if (!m || t === 'P' || t === 'PT') return undefined;
  return ((Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * MINUTE;
}

/** Enedis measure natures and qualities: réel/brut are measured, estimé estimated, corrigé corrected. */
export function enedisQuality(text: string | undefined): Quality {
  const t = (text ?? '').trim().toUpperCase();
  if (t === 'E' || t === 'S' || t.startsWith('ESTIM')) return 'estimated';
  if (t === 'C' || t.startsWith('CORRIG')) return 'corrected';
  return 'measured';
}
