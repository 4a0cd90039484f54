import { beforeAll, describe, expect, it } from 'vitest';
import { FoyerError } from '../../core/errors.js';
import { manualClock } from '../../platform/clock.js';
import { expectCatalogValid } from '../../testing/importers.js';
import { createHousehold, holderIds, type HolderRecord, type Household } from './household.js';
import { addDays, addMonths, atParis, daysOf, isWeekend } from './days.js';
import { usualPlaces } from './places.js';

const threeYears = { from: '2023-11-24', to: '2026-11-23' };
const json = (x: unknown): string => JSON.stringify(x);

function all(h: Household, customerId: string, range = threeYears): Map<string, HolderRecord[]> {
  const out = new Map<string, HolderRecord[]>();
  for (const holder of holderIds)
    for (const doctype of h.doctypes(customerId, holder))
      out.set(`${holder} ${doctype}`, h.records(customerId, holder, doctype, range));
  return out;
}

let household: Household;
let family: Map<string, HolderRecord[]>;
beforeAll(() => {
  household = createHousehold({ seed: 'test-seed' });
  family = all(household, 'family');
});

const of = (key: string): HolderRecord[] => family.get(key) ?? [];

describe('the customers', () => {
  it('are four profiles, each with a login and a customer number at exactly its holders', () => {
    expect(household.customers.map((c) => c.profile)).toEqual(['family', 'student', 'retirees', 'single-parent']);
    for (const c of household.customers) {
      expect(Object.keys(c.logins).sort()).toEqual([...c.holders].sort());
      expect(Object.keys(c.customerNumbers).sort()).toEqual([...c.holders].sort());
      for (const login of Object.values(c.logins)) expect(login?.password.length).toBeGreaterThan(8);
    }
    const family = household.customer('family');
    expect(family.holders).toEqual(holderIds.filter((h) => family.holders.includes(h)));
    expect(family.holders).toHaveLength(7);
    expect(household.customer('student').holders).not.toContain('water');
  });

  it('serve no doctype from a holder the customer is not a client of', () => {
    expect(household.doctypes('student', 'water')).toEqual([]);
    expect(() => household.records('student', 'water', 'water.daily', threeYears)).toThrow(FoyerError);
  });
});

describe('determinism', () => {
  it('gives the same records for the same seed, different ones for another seed', () => {
    const range = { from: '2025-02-01', to: '2025-03-15' };
    const again = createHousehold({ seed: 'test-seed' });
    const other = createHousehold({ seed: 'other-seed' });
    for (const holder of holderIds)
      for (const doctype of household.doctypes('family', holder))
        expect(json(again.records('family', holder, doctype, range)), `${holder} ${doctype}`).toBe(
          json(household.records('family', holder, doctype, range)),
        );
    expect(json(other.records('family', 'bank', 'bank.transaction', range))).not.toBe(
      json(household.records('family', 'bank', 'bank.transaction', range)),
    );
    expect(other.customer('family').people[0]?.familyName).not.toBe(household.customer('family').people[0]?.familyName);
  });

  it('gives any range as the slice of a bigger one, whatever the order of calls', () => {
    // A fresh household asked for a late range first: running totals (indexes, balances) must agree.
    const fresh = createHousehold({ seed: 'test-seed' });
    const ranges = [
      { from: '2026-06-28', to: '2026-07-06' },
      { from: '2024-02-27', to: '2024-03-02' },
      { from: '2025-12-30', to: '2026-01-01' },
    ];
    for (const range of ranges)
      for (const holder of holderIds)
        for (const doctype of fresh.doctypes('family', holder)) {
          const small = fresh.records('family', holder, doctype, range);
          const slice = (family.get(`${holder} ${doctype}`) ?? []).filter(
            (r) => (r.day >= range.from || r.reference) && r.day <= range.to,
          );
          expect(json(small), `${holder} ${doctype} ${range.from}`).toBe(json(slice));
        }
  });

  it('gives natural keys that are unique within a doctype', () => {
    for (const [name, records] of family) expect(new Set(records.map((r) => r.key)).size, name).toBe(records.length);
  });
});

describe('catalog validity', () => {
  it('gives every record of every customer, three years long, valid for its catalog doctype', async () => {
    for (const c of household.customers) {
      const records = [...all(household, c.id).values()].flat();
      await expectCatalogValid(
        records.map((r) => ({ kind: 'document' as const, doctype: r.doctype, key: r.key, data: r.data })),
      );
    }
  }, 120_000);
});

describe('coherence across holders', () => {
  const debits = () => of('bank bank.transaction').filter((t) => t.data.type === 'direct_debit');

  it('debits every energy, telecom and water bill a few days after it is issued, with the creditor in the label', () => {
    const bills = [...of('electricity bill'), ...of('gas bill'), ...of('telecom bill'), ...of('water bill')].filter(
      (b) => (b.data.dueDate as string) <= threeYears.to,
    );
    expect(bills.length).toBeGreaterThan(100);
    const all = debits();
    for (const bill of bills) {
      const debit = all.find((t) => t.data.reference === bill.key);
      expect(debit, bill.key).toBeDefined();
      expect(debit?.data.amount).toBe(-(bill.data.totalAmount as number));
      expect(debit?.day).toBe(bill.data.dueDate);
      const lag = (Date.parse(debit?.day ?? '') - Date.parse(bill.day)) / 86_400_000;
      expect(lag >= 3 && lag <= 15, `${bill.key} debited ${lag} days after`).toBe(true);
      expect(debit?.data.label).toContain(
        bill.data.vendor === 'Onde Télécom'
          ? 'ONDE TELECOM'
          : bill.data.vendor === 'Lumen Énergie'
            ? 'LUMEN ENERGIE'
            : 'EAU DE L ESTUAIRE',
      );
    }
  });

  it('debits every instalment of the insurer’s payment schedules', () => {
    const schedules = of('insurer bill');
    expect(schedules.every((s) => s.data.type === 'payment_schedule')).toBe(true);
    const all = debits();
    let count = 0;
    for (const s of schedules)
      for (const i of (s.data.extra as { instalments: { date: string; amount: number }[] }).instalments) {
        if (i.date < threeYears.from || i.date > threeYears.to) continue;
        const debit = all.find((t) => t.data.reference === s.key && t.day === i.date);
        expect(debit, `${s.key} ${i.date}`).toBeDefined();
        expect(debit?.data.amount).toBe(-i.amount);
        expect(debit?.data.label).toContain('AURORE ASSURANCES');
        count++;
      }
    expect(count).toBeGreaterThan(90);
  });

  it('pays every receipt by card the same day, and every settled claim to the account', () => {
    const txs = of('bank bank.transaction');
    for (const r of of('retailer retail.receipt')) {
      const card = txs.find((t) => t.data.reference === r.key);
      expect(card?.day).toBe(r.day);
      expect(card?.data.amount).toBe(-(r.data.totalAmount as number));
      expect(card?.data.cardLast4).toBe(r.data.cardLast4);
    }
    for (const claim of of('insurer insurance.claim').filter((c) => addDays(c.day, 2) <= threeYears.to))
      expect(txs.find((t) => t.data.reference === claim.key)?.data.amount).toBe(claim.data.settledAmount);
  });

  it('pays every income once a month on a weekday, the Friday before when due on a weekend (even in the month before)', () => {
    for (const id of ['student', 'retirees']) {
      const c = household.customer(id);
      const credits = household
        .records(id, 'bank', 'bank.transaction', threeYears)
        .filter((t) => t.data.type === 'credit' && t.data.accountId === c.bank.checking.accountId);
      for (const income of c.bank.incomes) {
        const prefix = `VIR SEPA ${income.creditor} ${income.label} `;
        // The retirees' two pensions have the same creditor and label.
        const alike = c.bank.incomes.filter((o) => o.creditor === income.creditor && o.label === income.label).length;
        const paid = credits.filter(
          (t) =>
            /^\d\d\/\d{4}$/.test((t.data.label as string).slice(prefix.length)) &&
            (t.data.label as string).startsWith(prefix),
        );
        for (const t of paid) expect(isWeekend(t.day), `${income.label} on ${t.day}`).toBe(false);
        // Every month strictly inside the three years, by the month named in the label.
        for (let m = '2023-12'; m < '2026-11'; m = addMonths(`${m}-01`, 1).slice(0, 7)) {
          const named = `${m.slice(5)}/${m.slice(0, 4)}`;
          expect(
            paid.filter((t) => (t.data.label as string).endsWith(named)),
            `${id} ${income.label} ${m}`,
          ).toHaveLength(alike);
        }
      }
    }
  });

  it('adds each day’s transactions to the balance', () => {
    const c = household.customer('family');
    const id = c.bank.checking.accountId;
    for (const day of ['2024-05-31', '2025-01-05', '2026-03-10']) {
      const txs = household
        .records('family', 'bank', 'bank.transaction', { from: day, to: day })
        .filter((t) => t.data.accountId === id);
      const sum = txs.reduce((s, t) => s + (t.data.amount as number), 0);
      expect(household.balance('family', id, day) - household.balance('family', id, addDays(day, -1))).toBeCloseTo(
        sum,
        2,
      );
    }
    expect(() => household.balance('family', 'acc-unknown', '2025-01-01')).toThrow(FoyerError);
  });

  it('puts the telecom locations near home, work, the store or the holiday place', () => {
    const c = household.customer('family');
    const places = usualPlaces(c);
    const known = [
      places.home,
      places.store,
      places.leisure,
      places.family,
      ...places.work.filter((p) => p !== undefined),
    ];
    const km = (a: { lat: number; lon: number }, b: { lat: number; lon: number }): number =>
      Math.hypot((a.lat - b.lat) * 111, (a.lon - b.lon) * 111 * Math.cos((a.lat * Math.PI) / 180));
    const points = of('telecom location.point');
    expect(points.length).toBeGreaterThan(2000);
    let far = 0;
    for (const p of points) if (Math.min(...known.map((k) => km(k, p.data as { lat: number; lon: number }))) > 2) far++;
    // Only the holidays are elsewhere: two weeks a year.
    expect(far / points.length).toBeLessThan(0.06);
    expect(far).toBeGreaterThan(0);
    // Where a receipt was printed, the shopper's phone was at the store.
    const receipt = of('retailer retail.receipt')[0] as HolderRecord;
    const t = Date.parse(receipt.data.date as string);
    const near = points.filter((p) => Math.abs(Date.parse(p.data.t as string) - t) < 5 * 60_000);
    expect(near.some((p) => km(places.store, p.data as { lat: number; lon: number }) < 1.5)).toBe(true);
  });

  it('bills the video rentals of the month before on the telecom bill', () => {
    const bill = of('telecom bill').find((b) => b.day === '2025-03-02') as HolderRecord;
    const rentals = of('telecom telecom.vod-view').filter((v) => v.day.startsWith('2025-02'));
    const lines = (bill.data.lines as { label: string }[]).filter((l) => l.label.startsWith('Vidéo'));
    expect(lines.map((l) => l.label)).toEqual(rentals.map((r) => `Vidéo à la demande : ${r.data.title as string}`));
  });
});

describe('consumption', () => {
  const mean = (records: HolderRecord[], month: string, field: string): number => {
    const xs = records.filter((r) => r.day.slice(5, 7) === month).map((r) => r.data[field] as number);
    return xs.reduce((s, x) => s + x, 0) / xs.length;
  };

  it('heats in winter: electric heating for the family, gas for the retired', () => {
    const elec = of('electricity energy.electricity.daily');
    expect(mean(elec, '01', 'energyKwh')).toBeGreaterThan(3 * mean(elec, '07', 'energyKwh'));
    const gas = household.records('retirees', 'gas', 'energy.gas.daily', threeYears);
    expect(mean(gas, '01', 'energyKwh')).toBeGreaterThan(4 * mean(gas, '07', 'energyKwh'));
    const retiredElec = household.records('retirees', 'electricity', 'energy.electricity.daily', threeYears);
    expect(mean(retiredElec, '01', 'energyKwh')).toBeLessThan(2 * mean(retiredElec, '07', 'energyKwh'));
  });

  it('gives 46 and 50 half-hours on daylight-saving days, and daily totals equal to the curve', () => {
    const curve = of('electricity energy.electricity.load-curve');
    const per = (day: string) => curve.filter((p) => p.day === day);
    expect(per('2024-03-31')).toHaveLength(46);
    expect(per('2024-10-27')).toHaveLength(50);
    expect(per('2025-06-01')).toHaveLength(48);
    expect(per('2025-06-01')[0]?.data.t).toBe('2025-05-31T22:00:00Z');
    const daily = of('electricity energy.electricity.daily');
    for (const day of ['2024-03-31', '2025-01-15', '2026-08-01']) {
      const wh = per(day).reduce((s, p) => s + (p.data.powerW as number) / 2, 0);
      expect(daily.find((d) => d.day === day)?.data.energyKwh).toBeCloseTo(wh / 1000, 2);
    }
  });

  it('stays below the subscribed power', () => {
    const kva = household.customer('family').electricity?.subscribedPowerKva ?? 0;
    const curve = of('electricity energy.electricity.load-curve');
    expect(Math.max(...curve.map((p) => p.data.powerW as number))).toBeLessThanOrEqual(kva * 1000);
    for (const m of of('electricity energy.electricity.max-power')) {
      expect(m.data.maxPowerVa as number).toBeLessThanOrEqual(kva * 1000);
      const dayMax = Math.max(...curve.filter((p) => p.day === m.day).map((p) => p.data.powerW as number));
      expect(m.data.maxPowerVa as number).toBeGreaterThanOrEqual(dayMax);
    }
  });

  it('flags water leaks on days that drink more, and moves the index by the volume', () => {
    const water = of('water water.daily');
    const leaks = water.filter((w) => w.data.leak === true);
    expect(leaks.length).toBeGreaterThan(0);
    const normal = water.filter((w) => w.data.leak === false);
    expect(mean(leaks, leaks[0]?.day.slice(5, 7) ?? '', 'volumeLitres')).toBeGreaterThan(0);
    const avg = (xs: HolderRecord[]) => xs.reduce((s, x) => s + (x.data.volumeLitres as number), 0) / xs.length;
    expect(avg(leaks)).toBeGreaterThan(avg(normal) + 150);
    for (let i = 1; i < water.length; i++) {
      const prev = water[i - 1] as HolderRecord;
      const cur = water[i] as HolderRecord;
      expect((cur.data.indexM3 as number) - (prev.data.indexM3 as number)).toBeCloseTo(
        (cur.data.volumeLitres as number) / 1000,
        2,
      );
    }
  });
});

describe('the clock', () => {
  it('serves three years up to the last available day, and tomorrow only from 06:00 the day after', () => {
    const clock = manualClock(atParis('2026-11-24', 5, 59));
    const h = createHousehold({ seed: 'test-seed', clock });
    expect(h.window(clock.now())).toEqual({ from: '2023-11-24', to: '2026-11-22' });
    const ask = { from: '2023-11-24', to: '2026-12-31' };
    const before = h.records('family', 'electricity', 'energy.electricity.daily', ask);
    expect(before[0]?.day).toBe('2023-11-24');
    expect(before.at(-1)?.day).toBe('2026-11-22');
    expect(before).toHaveLength(daysOf({ from: '2023-11-24', to: '2026-11-22' }).length);
    clock.advance(60_000);
    const after = h.records('family', 'electricity', 'energy.electricity.daily', ask);
    expect(after.at(-1)?.day).toBe('2026-11-23');
    expect(json(after.slice(0, -1))).toBe(json(before));
    expect(
      h.records('family', 'electricity', 'energy.electricity.daily', { from: '2026-11-24', to: '2026-11-30' }),
    ).toEqual([]);
  });
});

describe('files', () => {
  it('renders each bill and contract as a small valid PDF, the same bytes every time', () => {
    const bill = of('electricity bill')[0] as HolderRecord;
    const fileId = bill.files?.[0]?.id as string;
    const pdf = household.file('family', 'electricity', fileId);
    const text = Buffer.from(pdf).toString('latin1');
    expect(text.startsWith('%PDF-1.4')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(text).toContain(bill.key);
    // The cross-reference table points at each object.
    const xref = Number(/startxref\n(\d+)/.exec(text)?.[1]);
    expect(text.slice(xref, xref + 4)).toBe('xref');
    const offsets = [...text.slice(xref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    offsets.forEach((o, i) => expect(text.slice(o, o + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`));
    expect(Buffer.from(household.file('family', 'electricity', fileId)).equals(Buffer.from(pdf))).toBe(true);
    const contract = of('insurer insurance.contract')[0] as HolderRecord;
    expect(household.file('family', 'insurer', contract.files?.[0]?.id as string).length).toBeGreaterThan(500);
  });

  it('answers not_found for unknown files', () => {
    for (const id of ['bill-2025-01-04-NOPE', 'nonsense', 'bill-2025-13-45-X'])
      expect(() => household.file('family', 'electricity', id)).toThrow(FoyerError);
  });
});

describe('bad input', () => {
  it('rejects an empty seed, unknown customers and doctypes, and malformed ranges', () => {
    expect(() => createHousehold({ seed: '' })).toThrow(FoyerError);
    expect(() => household.customer('nobody')).toThrow(/no customer/);
    expect(() => household.records('family', 'bank', 'telecom.call', threeYears)).toThrow(/serves no/);
    for (const range of [
      { from: '2025-1-1', to: '2025-01-31' },
      { from: '2025-02-30', to: '2025-03-01' },
      { from: '2025-01-01', to: 'tomorrow' },
    ])
      expect(() => household.records('family', 'bank', 'bank.transaction', range)).toThrow(/must be a day/);
    expect(household.records('family', 'bank', 'bank.transaction', { from: '2025-02-01', to: '2025-01-01' })).toEqual(
      [],
    );
  });
});
