import { describe, expect, it } from 'vitest';
import { FoyerError } from '../../core/errors.js';
import { faultConfigFromEnv, mergeFaultConfigs, parseFaultSpec, parseFaultSpecs } from './fault-config.js';

describe('fault specs', () => {
  it('parses triggers: always, a probability, every N-th request', () => {
    expect(parseFaultSpec('server-error=always')).toEqual(['server-error', { trigger: { kind: 'always' } }]);
    expect(parseFaultSpec('timeout=0.25')).toEqual(['timeout', { trigger: { kind: 'probability', p: 0.25 } }]);
    expect(parseFaultSpec('rate-limit=every:4')).toEqual(['rate-limit', { trigger: { kind: 'every', n: 4 } }]);
  });

  it('parses options', () => {
    const [, rule] = parseFaultSpec('latency=1,ms=200-800,times=3,paths=/v1|/oauth');
    expect(rule).toEqual({
      trigger: { kind: 'probability', p: 1 },
      ms: [200, 800],
      times: 3,
      paths: ['/v1', '/oauth'],
    });
    expect(parseFaultSpec('rate-limit=always,retry-after=7')[1].retryAfterSeconds).toBe(7);
    expect(parseFaultSpec('short-page=always,size=2')[1].size).toBe(2);
    expect(parseFaultSpec('timeout=always,ms=50')[1].ms).toEqual([50, 50]);
  });

  it.each([
    ['', 'expected kind=trigger'],
    ['nonsense=always', 'unknown fault kind'],
    ['server-error', 'expected kind=trigger'],
    ['server-error=often', 'trigger must be'],
    ['server-error=1.5', 'trigger must be'],
    ['server-error=every:0', 'every:N needs'],
    ['latency=always,ms=800-200', 'reversed'],
    ['latency=always,ms=fast', 'ms must be'],
    ['rate-limit=always,retry-after=0', 'positive integer'],
    ['short-page=always,size=', 'must be name=value'],
    ['server-error=always,paths=v1', 'paths must start with /'],
    ['server-error=always,colour=red', 'unknown option'],
  ])('rejects %j', (spec, message) => {
    expect(() => parseFaultSpec(spec)).toThrow(FoyerError);
    expect(() => parseFaultSpec(spec)).toThrow(message);
  });

  it('rejects a kind given twice', () => {
    expect(() => parseFaultSpecs(['timeout=always', 'timeout=0.5'])).toThrow('given twice');
  });

  it('reads the environment, and the command line wins kind by kind', () => {
    const env = faultConfigFromEnv({
      FOYER_HOLDER_FAULTS: 'timeout=0.1; server-error=every:3',
      FOYER_HOLDER_FAULT_SEED: 's1',
    });
    expect(env.seed).toBe('s1');
    expect(Object.keys(env.rules).sort()).toEqual(['server-error', 'timeout']);
    const merged = mergeFaultConfigs(env, parseFaultSpecs(['timeout=always']));
    expect(merged.seed).toBe('s1');
    expect(merged.rules.timeout?.trigger).toEqual({ kind: 'always' });
    expect(merged.rules['server-error']?.trigger).toEqual({ kind: 'every', n: 3 });
    expect(faultConfigFromEnv({}).rules).toEqual({});
  });
});
