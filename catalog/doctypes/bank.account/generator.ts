import { resolveOptions, type GenerateOptions } from '../../synthetic/generate-options.js';
import { frenchIban, householdOf } from '../../synthetic/household.js';
import { round, type Rng } from '../../synthetic/rng.js';
import { HOUR_MS, addDays, addMonths, isoInstant, parisDate } from '../../synthetic/time.js';

/** Extra products a household may hold beyond its current accounts and savings books. */
const extraProducts = [
  { type: 'savings', product: 'PEL', label: 'PLAN EPARGNE LOGEMENT', rate: 2.25, min: 2000, max: 40000 },
  { type: 'savings', product: 'LEP', label: 'LIVRET EPARGNE POPULAIRE', rate: 4, min: 100, max: 10000 },
  { type: 'securities', product: 'PEA', label: "PLAN D'EPARGNE EN ACTIONS", rate: null, min: 500, max: 60000 },
  {
    type: 'life_insurance',
    product: 'Assurance vie',
    label: 'CONTRAT ASSURANCE VIE',
    rate: 2.5,
    min: 1000,
    max: 90000,
  },
  { type: 'loan', product: 'Prêt immobilier', label: 'PRET IMMOBILIER', rate: 1.45, min: 120000, max: 320000 },
  { type: 'loan', product: 'Prêt personnel', label: 'PRET PERSONNEL', rate: 5.9, min: 3000, max: 20000 },
] as const;

/** The household's accounts first (joint and personal current accounts, Livret A, LDDS), then other products. */
export function generate(rng: Rng, options: GenerateOptions): unknown[] {
  const { count, fromMs, toMs } = resolveOptions(options);
  const household = householdOf(rng);
  const balanceDate = isoInstant(toMs - rng.int(1, 20) * HOUR_MS);
  const opened = (yearsBefore: number) =>
    addDays(addMonths(parisDate(fromMs), -rng.int(12, yearsBefore * 12)), rng.int(0, 27));
  const products = rng.shuffle(extraProducts);
  const out: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const ref = household.accounts[i];
    if (ref) {
      const checking = ref.type === 'checking';
      out.push({
        accountId: ref.accountId,
        vendor: household.bank.vendor,
        label: ref.label,
        type: ref.type,
        product: ref.product,
        iban: ref.iban,
        bic: household.bank.bic,
        currency: 'EUR',
        balance: checking ? rng.float(-300, 4500, 2) : rng.float(300, 22950, 2),
        balanceDate,
        ...(checking
          ? { overdraftLimit: rng.pick([0, 300, 500, 800, 1000]) }
          : { interestRate: 3 }) /* Livret A and LDDS rate since February 2023 */,
        ownership: ref.ownership,
        holders: ref.holders,
        openingDate: opened(15),
        status: 'open',
      });
      continue;
    }
    const p = products[(i - household.accounts.length) % products.length] as (typeof extraProducts)[number];
    const upper = household.familyName.toUpperCase();
    const amount = round(rng.float(p.min, p.max), 2);
    const base = {
      accountId: `acc-${rng.hex(16)}`,
      vendor: household.bank.vendor,
      label: `${p.label} ${upper}`,
      type: p.type,
      product: p.product,
      currency: 'EUR',
      balanceDate,
      ownership: 'individual',
      holders: [`${household.adults[0].givenName} ${household.adults[0].familyName}`],
      openingDate: opened(10),
      status: 'open',
      ...(p.rate === null ? {} : { interestRate: p.rate }),
    };
    if (p.type === 'loan') {
      const years = p.product === 'Prêt immobilier' ? rng.pick([15, 20, 25]) : rng.int(2, 6);
      const startDate = base.openingDate;
      const monthlyRate = p.rate / 100 / 12;
      const months = years * 12;
      const monthlyPayment = round((amount * monthlyRate) / (1 - (1 + monthlyRate) ** -months), 2);
      const outstanding = round(amount * rng.float(0.3, 0.95), 2);
      out.push({
        ...base,
        balance: -outstanding,
        loan: {
          purpose: p.product === 'Prêt immobilier' ? 'mortgage' : 'consumer',
          principal: amount,
          outstandingPrincipal: outstanding,
          monthlyPayment,
          startDate,
          endDate: addMonths(startDate, months),
        },
      });
    } else {
      out.push({
        ...base,
        iban: frenchIban(household.bank.bankCode, household.bank.branchCode, rng.digits(11)),
        bic: household.bank.bic,
        balance: amount,
      });
    }
  }
  return out;
}
