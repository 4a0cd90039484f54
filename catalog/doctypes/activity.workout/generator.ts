import { resolveOptions, type GenerateOptions } from '../../synthetic/generate-options.js';
import { householdOf } from '../../synthetic/household.js';
import { round, type Rng } from '../../synthetic/rng.js';
import { isoInstant } from '../../synthetic/time.js';

const kinds = [
  { activityType: 'running', speed: [2.6, 3.6], kcalPerMin: 11, source: 'Garmin Connect', device: 'Forerunner 245' },
  { activityType: 'cycling', speed: [5, 8], kcalPerMin: 9, source: 'Garmin Connect', device: 'Edge 530' },
  { activityType: 'walking', speed: [1.1, 1.6], kcalPerMin: 4, source: 'Apple Watch', device: 'Watch6,1' },
  { activityType: 'swimming', speed: [0.5, 0.9], kcalPerMin: 8, source: 'Apple Watch', device: 'Watch6,1' },
  {
    activityType: 'traditional_strength_training',
    speed: null,
    kcalPerMin: 6,
    source: 'Apple Watch',
    device: 'Watch6,1',
  },
] as const;

/** Sessions of the first adult, mostly runs and rides, a few walks, swims and gym sessions, in start order. */
export function generate(rng: Rng, options: GenerateOptions): unknown[] {
  const { count, fromMs, toMs } = resolveOptions(options);
  householdOf(rng);
  const starts = Array.from({ length: count }, () => fromMs + Math.floor(rng.next() * (toMs - fromMs))).sort(
    (a, b) => a - b,
  );
  return starts.map((startMs) => {
    const kind = rng.weighted(kinds.map((k, i) => [k, [4, 3, 2, 1, 1][i] ?? 1] as const));
    const durationSeconds = rng.int(20, 95) * 60;
    const pauseSeconds = rng.chance(0.4) ? rng.int(30, 600) : 0;
    const averageBpm = rng.int(110, 160);
    return {
      activityType: kind.activityType,
      start: isoInstant(startMs),
      end: isoInstant(startMs + (durationSeconds + pauseSeconds) * 1000),
      durationSeconds,
      ...(kind.speed ? { distanceMetres: round(durationSeconds * rng.float(kind.speed[0], kind.speed[1]), 1) } : {}),
      energyKcal: Math.round((durationSeconds / 60) * kind.kcalPerMin * rng.float(0.8, 1.2)),
      heartRate: { averageBpm, maxBpm: averageBpm + rng.int(10, 30) },
      source: kind.source,
      device: kind.device,
    };
  });
}
