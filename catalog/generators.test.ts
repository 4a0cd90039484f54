import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../src/core/catalog/catalog.js';
import { defaultCatalogDir, loadCatalog } from '../src/core/catalog/load-catalog.js';
import { generators } from './generators.js';
import type { GenerateOptions } from './synthetic/generate-options.js';
import { Rng } from './synthetic/rng.js';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog(defaultCatalogDir());
});

const options: GenerateOptions = { count: 300, from: '2023-12-31T23:00:00Z', to: '2024-12-31T23:00:00Z' };
const run = (name: string, seed: number | string, o: GenerateOptions = options): unknown[] => {
  const generate = generators[name];
  if (!generate) throw new Error(`no generator for ${name}`);
  return generate(new Rng(seed), o);
};
const names = Object.keys(generators).sort();

describe.each(names)('the %s generator', (name) => {
  it('produces documents that validate against the schema', () => {
    const out = run(name, 42);
    expect(out.length).toBeGreaterThan(0);
    expect(out.length).toBeLessThanOrEqual(options.count);
    const invalid = out.map((doc) => catalog.validate(name, doc)).filter((issues) => issues.length > 0);
    expect(invalid).toEqual([]);
  });

  it('is deterministic: the same seed gives the same bytes', () => {
    expect(JSON.stringify(run(name, 'seed-a'))).toBe(JSON.stringify(run(name, 'seed-a')));
  });

  it('differs with another seed', () => {
    expect(JSON.stringify(run(name, 1))).not.toBe(JSON.stringify(run(name, 2)));
  });

  it('stays within the requested period and count', () => {
    const small = { count: 5, from: '2024-03-01T00:00:00Z', to: '2024-03-08T00:00:00Z' };
    const out = run(name, 7, small);
    expect(out.length).toBeLessThanOrEqual(5);
    const doctype = catalog.get(name);
    const timeField = doctype?.series?.time.field;
    if (timeField) {
      for (const point of out as Record<string, string>[]) {
        const value = point[timeField] ?? '';
        expect(value >= small.from.slice(0, value.length === 10 ? 10 : undefined)).toBe(true);
        expect(value < small.to).toBe(true);
      }
    }
  });
});

describe('series generators', () => {
  const timeOf = (name: string, point: unknown): string => {
    const field = catalog.get(name)?.series?.time.field ?? '';
    return (point as Record<string, string>)[field] ?? '';
  };

  it('produce points in strictly increasing time order', () => {
    for (const d of catalog.list().filter((x) => x.kind === 'series')) {
      const times = run(d.name, 3).map((p) => timeOf(d.name, p));
      for (let i = 1; i < times.length; i++) expect(times[i]! > times[i - 1]!, `${d.name} point ${i}`).toBe(true);
    }
  });

  it('give the load curve one point every 30 minutes, starting on the grid', () => {
    const out = run('energy.electricity.load-curve', 5, {
      count: 1000,
      from: '2024-03-30T00:10:00Z',
      to: '2024-04-02T00:00:00Z',
    });
    const times = (out as { t: string }[]).map((p) => Date.parse(p.t));
    expect(new Date(times[0]!).toISOString()).toBe('2024-03-30T00:30:00.000Z');
    expect(times).toHaveLength(143);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(30 * 60_000);
  });

  it('shape the load curve: evenings draw more than nights', () => {
    const out = run('energy.electricity.load-curve', 9, {
      count: 20_000,
      from: '2024-01-01T00:00:00Z',
      to: '2024-03-01T00:00:00Z',
    }) as {
      t: string;
      powerW: number;
    }[];
    const mean = (hourUtc: number) => {
      const at = out.filter((p) => Number(p.t.slice(11, 13)) === hourUtc);
      return at.reduce((s, p) => s + p.powerW, 0) / at.length;
    };
    // 19:00 Paris in winter is 18:00 UTC; 04:00 Paris is 03:00 UTC.
    expect(mean(18)).toBeGreaterThan(mean(3) * 2);
  });

  it('give daily series one point per consecutive day', () => {
    for (const name of ['energy.electricity.daily', 'energy.gas.daily', 'water.daily']) {
      const dates = (
        run(name, 4, { count: 400, from: '2023-12-31T23:00:00Z', to: '2024-12-31T23:00:00Z' }) as { date: string }[]
      ).map((p) => p.date);
      expect(dates[0], name).toBe('2024-01-01');
      expect(dates, name).toHaveLength(366);
      expect(dates.at(-1), name).toBe('2024-12-31');
    }
  });
});

describe('generators sharing a seed describe one household', () => {
  it('debits the accounts the bank.account generator lists', () => {
    const accounts = new Set((run('bank.account', 11) as { accountId: string }[]).map((a) => a.accountId));
    for (const t of run('bank.transaction', 11) as { accountId: string }[])
      expect(accounts.has(t.accountId)).toBe(true);
  });

  it('bills the contracts and readings of the same delivery points and lines', () => {
    const contracts = run('energy.contract', 12, { ...options, count: 2 }) as {
      usagePointId: string;
      contractNumber: string;
    }[];
    const numbers = new Set(contracts.map((c) => c.contractNumber));
    const energyBills = (run('bill', 12) as { vendorCategory: string; contractNumber: string }[]).filter(
      (b) => b.vendorCategory === 'energy',
    );
    expect(energyBills.length).toBeGreaterThan(0);
    for (const b of energyBills) expect(numbers.has(b.contractNumber)).toBe(true);
    const curve = run('energy.electricity.load-curve', 12, { ...options, count: 3 }) as { usagePointId: string }[];
    expect(curve[0]?.usagePointId).toBe(contracts[0]?.usagePointId);
    const lines = new Set(
      (run('telecom.line', 12, { ...options, count: 3 }) as { lineNumber: string }[]).map((l) => l.lineNumber),
    );
    for (const c of run('telecom.call', 12, { ...options, count: 20 }) as { lineNumber: string }[])
      expect(lines.has(c.lineNumber)).toBe(true);
  });

  it('places the location trace around the home the insurer covers', () => {
    const home = (
      run('insurance.contract', 13, { ...options, count: 1 }) as { insuredObject: { address: { city: string } } }[]
    )[0];
    const visits = run('location.visit', 13, { ...options, count: 20 }) as {
      placeCategory: string;
      address: { city: string };
    }[];
    const homeVisit = visits.find((v) => v.placeCategory === 'home');
    expect(homeVisit?.address.city).toBe(home?.insuredObject.address.city);
  });
});

describe('generator options', () => {
  const generate = generators['bank.transaction']!;
  it.each([
    [{ count: -1, from: '2024-01-01T00:00:00Z', to: '2024-02-01T00:00:00Z' }, 'count must be a non-negative integer'],
    [{ count: 1.5, from: '2024-01-01T00:00:00Z', to: '2024-02-01T00:00:00Z' }, 'count must be a non-negative integer'],
    [{ count: 1, from: 'yesterday', to: '2024-02-01T00:00:00Z' }, 'from must be an ISO 8601 instant'],
    [{ count: 1, from: '2024-01-01T00:00:00Z', to: '2024-02-01' }, 'to must be an ISO 8601 instant'],
    [{ count: 1, from: '2024-02-01T00:00:00Z', to: '2024-01-01T00:00:00Z' }, 'must be after from'],
  ])('rejects %o', (o, message) => {
    expect(() => generate(new Rng(1), o)).toThrow(message);
  });

  it('gives nothing for a count of 0', () => {
    expect(generate(new Rng(1), { count: 0, from: '2024-01-01T00:00:00Z', to: '2024-02-01T00:00:00Z' })).toEqual([]);
  });
});
