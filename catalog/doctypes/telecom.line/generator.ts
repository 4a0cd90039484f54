import { resolveOptions, type GenerateOptions } from '../../synthetic/generate-options.js';
import { frenchMobile, householdOf } from '../../synthetic/household.js';
import type { Rng } from '../../synthetic/rng.js';
import { addDays, addMonths, parisDate } from '../../synthetic/time.js';

const mobilePlans = [
  { plan: 'Forfait 2h 100 Mo', fee: 2, data: 0.1, voice: 120 },
  { plan: 'Forfait 5G 100 Go', fee: 14.99, data: 100, voice: null },
  { plan: 'Forfait 5G 200 Go', fee: 19.99, data: 200, voice: null },
  { plan: 'Forfait 5G Illimité', fee: 34.99, data: null, voice: null },
] as const;

const boxes = [
  { plan: 'Box Fibre', fee: 29.99, tech: 'ftth', down: 1000, up: 700 },
  { plan: 'Box Fibre Max', fee: 42.99, tech: 'ftth', down: 8000, up: 8000 },
  { plan: 'Box ADSL/VDSL', fee: 29.99, tech: 'vdsl2', down: 50, up: 8 },
  { plan: 'Box 4G', fee: 34.99, tech: '4g_box', down: 200, up: 40 },
] as const;

/** The household's box first, then each adult's and child's mobile line, then other lines. */
export function generate(rng: Rng, options: GenerateOptions): unknown[] {
  const { count, fromMs } = resolveOptions(options);
  const h = householdOf(rng);
  const people = [...h.adults, ...h.children];
  const holder = `${h.adults[0].givenName} ${h.adults[0].familyName}`;
  const firstDay = parisDate(fromMs);
  const out: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const startDate = addDays(addMonths(firstDay, -rng.int(2, 96)), rng.int(0, 27));
    const common = {
      vendor: h.telecom.vendor,
      customerNumber: h.telecom.customerNumber,
      currency: 'EUR',
      startDate,
      status: 'active',
    };
    if (i === 0) {
      const box = rng.pick(boxes);
      out.push({
        ...common,
        contractNumber: h.telecom.boxContractNumber,
        type: 'internet',
        lineNumber: h.telecom.boxNumber,
        plan: box.plan,
        monthlyFee: box.fee,
        accessTechnology: box.tech,
        downloadMbps: box.down,
        uploadMbps: box.up,
        holder,
        address: { street: h.home.street, postalCode: h.home.postalCode, city: h.home.city, country: 'FR' },
        commitmentEndDate: addDays(addMonths(startDate, 12), -1),
      });
      continue;
    }
    const user = people[i - 1];
    const plan = user && i > 2 ? mobilePlans[0] : rng.pick(mobilePlans.slice(1));
    out.push({
      ...common,
      contractNumber: h.telecom.mobileContractNumbers[i - 1] ?? rng.digits(10),
      type: 'mobile',
      lineNumber: user?.mobile ?? frenchMobile(rng),
      plan: plan.plan,
      monthlyFee: plan.fee,
      dataAllowanceGB: plan.data,
      voiceAllowanceMinutes: plan.voice,
      holder,
      user: user ? `${user.givenName} ${user.familyName}` : holder,
    });
  }
  return out;
}
