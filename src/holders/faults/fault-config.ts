/**
 * Which faults a simulated holder injects in one run, and how often. A run is reproducible: the
 * decision for the n-th eligible request of a kind depends only on the seed, the kind and n.
 *
 * Text form (CLI `--fault`, env FOYER_HOLDER_FAULTS separated by `;`):
 *   <kind>=<trigger>[,<option>=<value>...]
 * trigger: `always`, a probability `0.2`, or `every:N` (the N-th, 2N-th... eligible request).
 * options: `times=K` (at most K occurrences), `paths=/a|/b` (path prefixes that are eligible),
 *   `ms=300` or `ms=200-800` (latency, timeout), `retry-after=30` (rate-limit), `size=2` (short-page).
 */
import { FoyerError } from '../../core/errors.js';

export const faultKinds = [
  'latency',
  'timeout',
  'rate-limit',
  'server-error',
  'expired-credentials',
  'second-factor',
  'short-page',
  'malformed-json',
  'changed-format',
] as const;

export type FaultKind = (typeof faultKinds)[number];

export type FaultTrigger = { kind: 'always' } | { kind: 'probability'; p: number } | { kind: 'every'; n: number };

export interface FaultRule {
  trigger: FaultTrigger;
  /** At most this many occurrences in the run. */
  times?: number;
  /** Path prefixes whose requests are eligible; the holder's defaults when absent. */
  paths?: string[];
  /** latency: delay; timeout: how long the request hangs before the server gives up (504). */
  ms?: [number, number];
  /** rate-limit: the Retry-After seconds. */
  retryAfterSeconds?: number;
  /** short-page: items per page while the fault lasts. */
  size?: number;
}

export interface FaultConfig {
  seed: string;
  rules: Partial<Record<FaultKind, FaultRule>>;
}

export const noFaults = (seed = 'faults'): FaultConfig => ({ seed, rules: {} });

const bad = (spec: string, why: string): FoyerError => new FoyerError('bad_request', `fault "${spec}": ${why}`);

function parseTrigger(spec: string, text: string): FaultTrigger {
  if (text === 'always') return { kind: 'always' };
  const every = /^every:(\d+)$/.exec(text);
  if (every) {
    const n = Number(every[1]);
    if (n < 1) throw bad(spec, 'every:N needs N ≥ 1');
    return { kind: 'every', n };
  }
  if (/^(0(\.\d+)?|1(\.0+)?)$/.test(text)) return { kind: 'probability', p: Number(text) };
  throw bad(spec, `trigger must be always, a probability between 0 and 1, or every:N, got "${text}"`);
}

const positiveInt = (spec: string, name: string, text: string): number => {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw bad(spec, `${name} must be a positive integer, got "${text}"`);
  return Number(text);
};

/** One `kind=trigger,option=value` spec. */
export function parseFaultSpec(spec: string): [FaultKind, FaultRule] {
  const [head, ...options] = spec.split(',').map((s) => s.trim());
  const eq = head?.indexOf('=') ?? -1;
  if (!head || eq < 1) throw bad(spec, 'expected kind=trigger');
  const kind = head.slice(0, eq);
  if (!(faultKinds as readonly string[]).includes(kind))
    throw bad(spec, `unknown fault kind "${kind}" (known: ${faultKinds.join(', ')})`);
  const rule: FaultRule = { trigger: parseTrigger(spec, head.slice(eq + 1)) };
  for (const option of options) {
    const [name, value] = option.split('=');
    if (!name || value === undefined || value === '') throw bad(spec, `option "${option}" must be name=value`);
    if (name === 'times') rule.times = positiveInt(spec, name, value);
    else if (name === 'retry-after') rule.retryAfterSeconds = positiveInt(spec, name, value);
    else if (name === 'size') rule.size = positiveInt(spec, name, value);
    else if (name === 'paths') {
      const paths = value.split('|');
      if (paths.some((p) => !p.startsWith('/'))) throw bad(spec, 'paths must start with /');
      rule.paths = paths;
    } else if (name === 'ms') {
      const m = /^(\d+)(?:-(\d+))?$/.exec(value);
      if (!m) throw bad(spec, `ms must be N or N-M, got "${value}"`);
      const lo = Number(m[1]);
      const hi = m[2] === undefined ? lo : Number(m[2]);
      if (hi < lo) throw bad(spec, `ms range ${value} is reversed`);
      rule.ms = [lo, hi];
    } else throw bad(spec, `unknown option "${name}"`);
  }
  return [kind as FaultKind, rule];
}

/** Several specs; a kind given twice is an error rather than a silent override. */
export function parseFaultSpecs(specs: readonly string[], seed = 'faults'): FaultConfig {
  const rules: FaultConfig['rules'] = {};
  for (const spec of specs) {
    const [kind, rule] = parseFaultSpec(spec);
    if (rules[kind]) throw bad(spec, `${kind} is given twice`);
    rules[kind] = rule;
  }
  return { seed, rules };
}

/** FOYER_HOLDER_FAULTS (specs separated by `;`) and FOYER_HOLDER_FAULT_SEED. */
export function faultConfigFromEnv(env: Record<string, string | undefined>): FaultConfig {
  const text = env.FOYER_HOLDER_FAULTS ?? '';
  const specs = text
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return parseFaultSpecs(specs, env.FOYER_HOLDER_FAULT_SEED || 'faults');
}

/** Specs from the command line win over the environment's, kind by kind. */
export function mergeFaultConfigs(base: FaultConfig, over: FaultConfig): FaultConfig {
  return { seed: over.seed !== 'faults' ? over.seed : base.seed, rules: { ...base.rules, ...over.rules } };
}
