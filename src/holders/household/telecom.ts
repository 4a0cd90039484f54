import { Rng } from '../../../catalog/synthetic/rng.js';
import { DAY_MS, isoInstant } from '../../../catalog/synthetic/time.js';
import { type BillLine, billRecord, type Debit, debitsOf, line } from './bill.js';
import { dayRng, type GenContext, type HolderRecord } from './context.js';
import type { MobileLine, Place } from './customers.js';
import { addDays, atParis, daysOf, isWeekend, lastDayOfMonth, previousMonth } from './days.js';
import { awayOn } from './life.js';
import { usualPlaces } from './places.js';
import { tripOn } from './retailer.js';
import { vendors } from './vendors.js';

const ISSUE_DAY = 2;
const DEBIT_LAG = 6;

const films = [
  { title: 'Les Marées de septembre', genre: 'drame', runtime: 112, rating: 'all' },
  { title: 'Le Phare des Glénan', genre: 'aventure', runtime: 98, rating: 'all' },
  { title: 'Panique au marché', genre: 'comédie', runtime: 91, rating: 'all' },
  { title: 'Orbite basse', genre: 'science-fiction', runtime: 134, rating: '12' },
  { title: 'La Dernière Écluse', genre: 'policier', runtime: 117, rating: '12' },
  { title: 'Petit Renard et la grande forêt', genre: 'animation', runtime: 82, rating: 'all' },
] as const;

const perDay = {
  family: { voice: 3, sms: 6, gb: 0.8, vod: 0.12 },
  student: { voice: 1.5, sms: 12, gb: 2.4, vod: 0 },
  retirees: { voice: 3.5, sms: 2, gb: 0.12, vod: 0.05 },
  'single-parent': { voice: 2.5, sms: 7, gb: 0.6, vod: 0.08 },
} as const;

const lineDigits = (l: { lineNumber: string }): string => l.lineNumber.slice(1);

export function telecomLines(ctx: GenContext): HolderRecord[] {
  const c = ctx.customer;
  const base = {
    vendor: vendors.telecom.name,
    customerNumber: c.customerNumbers.telecom,
    currency: 'EUR',
    status: 'active',
  };
  const out: HolderRecord[] = c.telecom.mobiles.map((m) => ({
    key: m.lineNumber,
    doctype: 'telecom.line',
    day: m.startDate,
    reference: true,
    data: {
      ...base,
      contractNumber: m.contractNumber,
      type: 'mobile',
      lineNumber: m.lineNumber,
      plan: m.plan,
      monthlyFee: m.monthlyFee,
      dataAllowanceGB: m.dataAllowanceGB,
      voiceAllowanceMinutes: null,
      holder: c.displayName,
      user: `${c.people[m.user]?.givenName} ${c.people[m.user]?.familyName}`,
      startDate: m.startDate,
    },
  }));
  const box = c.telecom.box;
  if (box)
    out.push({
      key: box.lineNumber,
      doctype: 'telecom.line',
      day: box.startDate,
      reference: true,
      data: {
        ...base,
        contractNumber: box.contractNumber,
        type: 'internet',
        lineNumber: box.lineNumber,
        plan: box.plan,
        monthlyFee: box.monthlyFee,
        accessTechnology: c.profile === 'retirees' ? 'vdsl2' : 'ftth',
        downloadMbps: c.profile === 'retirees' ? 60 : 1000,
        uploadMbps: c.profile === 'retirees' ? 8 : 500,
        holder: c.displayName,
        address: { ...c.address },
        startDate: box.startDate,
      },
    });
  return out.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}

/** The numbers a line talks with: the same few people all year, as in life. */
function contactsOf(ctx: GenContext, m: MobileLine): { number: string; type: 'mobile' | 'landline' }[] {
  return ctx.memo(`contacts:${m.lineNumber}`, () => {
    const rng = new Rng(`${ctx.seed}|${ctx.customer.id}|telecom|contacts|${m.lineNumber}`);
    const others = ctx.customer.telecom.mobiles
      .filter((x) => x !== m)
      .map((x) => ({ number: x.lineNumber, type: 'mobile' as const }));
    const book = Array.from({ length: 14 }, () =>
      rng.chance(0.75)
        ? { number: `+33${rng.pick(['6', '7'])}${rng.digits(8)}`, type: 'mobile' as const }
        : { number: `+332${rng.digits(8)}`, type: 'landline' as const },
    );
    return [...others, ...others, ...book];
  });
}

const count = (rng: Rng, mean: number): number => Math.max(0, Math.round(mean * Math.exp(rng.normal(0, 0.5)) - 0.3));
const hourOfDay = (rng: Rng): number =>
  rng.weighted([
    [8, 1],
    [10, 2],
    [12, 3],
    [14, 2],
    [17, 3],
    [18, 4],
    [20, 3],
    [21, 2],
  ] as const);

export function telecomCalls(ctx: GenContext, day: string): HolderRecord[] {
  const c = ctx.customer;
  const away = awayOn(ctx, day);
  const abroad = away && away.place.country !== 'FR' ? away.place.country : undefined;
  const out: HolderRecord[] = [];
  for (const m of c.telecom.mobiles) {
    if (day < m.startDate) continue;
    const rng = dayRng(ctx, 'telecom', `calls:${m.lineNumber}`, day);
    const rates = perDay[c.profile];
    const book = contactsOf(ctx, m);
    const events: { t: number; kind: 'voice' | 'sms' }[] = [];
    for (const [kind, mean] of [
      ['voice', rates.voice],
      ['sms', rates.sms],
    ] as const)
      for (let i = count(rng, mean); i > 0; i--)
        events.push({ t: atParis(day, hourOfDay(rng), rng.int(0, 59)) + rng.int(0, 59) * 1000, kind });
    events.sort((a, b) => a.t - b.t);
    for (const e of events) {
      const contact = rng.pick(book);
      const start = isoInstant(e.t);
      out.push({
        key: `${lineDigits(m)}:${start}:${e.kind}:${out.length}`,
        doctype: 'telecom.call',
        day,
        data: {
          lineNumber: m.lineNumber,
          direction: rng.chance(0.5) ? 'outgoing' : 'incoming',
          kind: e.kind,
          counterpart: contact.number,
          counterpartType: contact.type,
          start,
          ...(e.kind === 'voice' ? { durationSeconds: Math.round(25 + 160 * Math.exp(rng.normal(0, 0.9))) } : {}),
          roaming: abroad !== undefined,
          ...(abroad ? { roamingCountry: abroad } : {}),
        },
      });
    }
  }
  return out;
}

export function telecomDataUsage(ctx: GenContext, day: string): HolderRecord[] {
  const c = ctx.customer;
  const away = awayOn(ctx, day);
  const abroad = away && away.place.country !== 'FR' ? away.place.country : undefined;
  return c.telecom.mobiles
    .filter((m) => day >= m.startDate)
    .map((m) => {
      const rng = dayRng(ctx, 'telecom', `data:${m.lineNumber}`, day);
      const gb = perDay[c.profile].gb * (isWeekend(day) ? 1.3 : 1) * (away ? 1.5 : 1) * Math.exp(rng.normal(0, 0.45));
      const total = Math.round(gb * 1e9);
      const download = Math.round(total * rng.float(0.82, 0.92));
      return {
        key: `${lineDigits(m)}:${day}`,
        doctype: 'telecom.data-usage',
        day,
        data: {
          lineNumber: m.lineNumber,
          date: day,
          totalBytes: total,
          downloadBytes: download,
          uploadBytes: total - download,
          sessions: rng.int(15, 90),
          network: day >= '2024-06-01' && rng.chance(0.4) ? '5g' : '4g',
          roaming: abroad !== undefined,
          ...(abroad ? { roamingCountry: abroad } : {}),
        },
      };
    });
}

export function vodViews(ctx: GenContext, day: string): HolderRecord[] {
  const c = ctx.customer;
  const box = c.telecom.box;
  if (!box || day < box.startDate || awayOn(ctx, day)) return [];
  const rng = dayRng(ctx, 'telecom', 'vod', day);
  if (!rng.chance(perDay[c.profile].vod * (isWeekend(day) ? 1.8 : 0.7))) return [];
  const film = rng.pick(films);
  const t = atParis(day, rng.pick([20, 20, 21, 15]), rng.int(0, 59));
  const uhd = rng.chance(0.2);
  const date = isoInstant(t);
  return [
    {
      key: `${lineDigits(box)}:${date}`,
      doctype: 'telecom.vod-view',
      day,
      data: {
        vendor: vendors.telecom.name,
        lineNumber: box.lineNumber,
        date,
        title: film.title,
        contentType: film.genre === 'animation' ? 'kids' : 'movie',
        genre: film.genre,
        transaction: 'rental',
        amount: uhd ? 5.99 : 3.99,
        currency: 'EUR',
        availableUntil: isoInstant(t + 2 * DAY_MS),
        runtimeMinutes: film.runtime,
        quality: uhd ? 'uhd' : 'hd',
        ageRating: film.rating,
      },
    },
  ];
}

/** Coarse cell locations: a phone is seen at the cell site nearest to where its user is, about a kilometre off. */
function cellSite(p: { lat: number; lon: number }): { lat: number; lon: number } {
  return {
    lat: Math.round((Math.round(p.lat / 0.01) * 0.01 + 0.005) * 1e5) / 1e5,
    lon: Math.round((Math.round(p.lon / 0.014) * 0.014 + 0.007) * 1e5) / 1e5,
  };
}

export function cellLocations(ctx: GenContext, day: string): HolderRecord[] {
  const c = ctx.customer;
  const places = usualPlaces(c);
  const away = awayOn(ctx, day);
  const trip = tripOn(ctx, day);
  const out: HolderRecord[] = [];
  for (const m of c.telecom.mobiles) {
    if (day < m.startDate) continue;
    const rng = dayRng(ctx, 'telecom', `cells:${m.lineNumber}`, day);
    const work = places.work[m.user];
    const slots: [number, number, Place][] = [];
    if (away) for (const h of [9, 12, 16, 20]) slots.push([h, rng.int(0, 59), { ...away.place }]);
    else if (work && !isWeekend(day))
      slots.push(
        [7, 30, places.home],
        [10, 15, work],
        [12, 40, work],
        [15, 30, work],
        [20, 30, places.home],
        [23, 5, places.home],
      );
    else {
      slots.push([9, 40, places.home]);
      slots.push([15, 10, rng.chance(0.3) ? places.family : rng.chance(0.5) ? places.leisure : places.home]);
      slots.push([19, 30, places.home], [22, 45, places.home]);
    }
    const points: { t: number; place: Place }[] = slots.map(([h, min, place]) => ({
      t: atParis(day, h, Math.min(59, Math.max(0, min + rng.int(-15, 15)))) + rng.int(0, 59) * 1000,
      place,
    }));
    // The shopper's phone is at the store at the time on the receipt.
    if (trip && m.user === 0) points.push({ t: trip.at + 120_000, place: places.store });
    points.sort((a, b) => a.t - b.t);
    for (const p of points) {
      const t = isoInstant(p.t);
      out.push({
        key: `cell:${lineDigits(m)}:${t}`,
        doctype: 'location.point',
        day,
        data: {
          deviceId: `cell-${lineDigits(m)}`,
          t,
          ...cellSite(p.place),
          accuracyMetres: rng.pick([800, 1200, 2000]),
          source: 'cell',
        },
      });
    }
  }
  return out.sort((a, b) => (a.data.t as string).localeCompare(b.data.t as string));
}

function monthBill(ctx: GenContext, issueDate: string): HolderRecord | undefined {
  const c = ctx.customer;
  const month = issueDate.slice(0, 7);
  const prior = previousMonth(issueDate);
  const ht = (ttc: number): number => Math.round((ttc / 1.2) * 10000) / 10000;
  const lines: BillLine[] = [];
  for (const m of c.telecom.mobiles)
    if (m.startDate <= lastDayOfMonth(prior))
      lines.push(line(`Forfait ${m.plan} ${m.lineNumber}`, 1, 'month', ht(m.monthlyFee), 20));
  const box = c.telecom.box;
  if (box && box.startDate <= lastDayOfMonth(prior))
    lines.push(line(`${box.plan} ${box.lineNumber}`, 1, 'month', ht(box.monthlyFee), 20));
  if (lines.length === 0) return undefined;
  for (const d of daysOf({ from: `${prior}-01`, to: lastDayOfMonth(prior) }))
    for (const v of vodViews(ctx, d))
      lines.push(line(`Vidéo à la demande : ${v.data.title as string}`, 1, 'piece', ht(v.data.amount as number), 20));
  const number = `OT${month.replace('-', '')}${c.customerNumbers.telecom ?? ''}`;
  return billRecord({
    holder: 'telecom',
    vendor: vendors.telecom,
    vendorCategory: 'telecom',
    label: `Facture Onde Télécom ${month.slice(5)}/${month.slice(0, 4)}`,
    number,
    customerNumber: c.customerNumbers.telecom ?? '',
    contractNumber: box?.contractNumber ?? (c.telecom.mobiles[0] as MobileLine).contractNumber,
    issueDate,
    dueDate: addDays(issueDate, DEBIT_LAG),
    periodStart: `${month}-01`,
    periodEnd: lastDayOfMonth(month),
    lines,
    extra: { vodPeriod: prior },
  });
}

export function telecomBills(ctx: GenContext, day: string): HolderRecord[] {
  if (Number(day.slice(8, 10)) !== ISSUE_DAY) return [];
  const bill = ctx.memo(`telecom-bill:${day}`, () => monthBill(ctx, day));
  return bill ? [bill] : [];
}

export function telecomDebits(ctx: GenContext, day: string): Debit[] {
  const bills = telecomBills(ctx, addDays(day, -DEBIT_LAG));
  return debitsOf(
    bills,
    day,
    'telecom',
    vendors.telecom,
    `RUM${ctx.customer.customerNumbers.telecom ?? ''}`,
    'FACTURE',
  );
}
