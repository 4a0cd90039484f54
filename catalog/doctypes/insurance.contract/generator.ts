import { resolveOptions, type GenerateOptions } from '../../synthetic/generate-options.js';
import { householdOf } from '../../synthetic/household.js';
import { round, type Rng } from '../../synthetic/rng.js';
import { addDays, addMonths, parisDate } from '../../synthetic/time.js';

/** The next anniversary of `start` on or after `day`. */
function nextAnniversary(start: string, day: string): string {
  let d = start;
  while (d < day) d = addMonths(d, 12);
  return d;
}

/**
 * The household's contracts (home, vehicle, complementary health, then smaller ones): `count`
 * documents, all in force during the range.
 */
export function generate(rng: Rng, options: GenerateOptions): unknown[] {
  const { count, fromMs, toMs } = resolveOptions(options);
  const h = householdOf(rng);
  const holder = `${h.adults[0].givenName} ${h.adults[0].familyName}`;
  const everyone = [...h.adults, ...h.children].map((p) => `${p.givenName} ${p.familyName}`);
  const firstDay = parisDate(fromMs);
  const lastDay = parisDate(toMs - 1);
  const kinds = ['home', 'vehicle', 'health', 'borrower', 'legal_protection', 'school', 'life', 'pet'] as const;
  const out: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const product = kinds[i % kinds.length] as (typeof kinds)[number];
    const startDate = addDays(addMonths(firstDay, -rng.int(3, 120)), rng.int(0, 27));
    const frequency = rng.pick(['monthly', 'monthly', 'annual'] as const);
    const annual = {
      home: rng.float(150, 450, 2),
      vehicle: rng.float(380, 1100, 2),
      health: rng.float(900, 2400, 2),
      borrower: rng.float(200, 900, 2),
      legal_protection: rng.float(60, 140, 2),
      school: rng.float(8, 25, 2),
      life: rng.float(600, 2400, 2),
      pet: rng.float(150, 420, 2),
    }[product];
    const vendor = product === 'health' ? h.insurance.healthVendor : h.insurance.vendor;
    const contractNumber =
      i === 0
        ? h.insurance.homeContractNumber
        : i === 1
          ? h.insurance.vehicleContractNumber
          : i === 2
            ? h.insurance.healthContractNumber
            : `${rng.digits(7)}${product[0]?.toUpperCase()}`;
    const base = {
      vendor,
      contractNumber,
      product,
      status: 'active',
      startDate,
      renewalDate: nextAnniversary(startDate, lastDay),
      tacitRenewal: true,
      premiumAmount: frequency === 'monthly' ? round(annual / 12, 2) : annual,
      premiumFrequency: frequency,
      annualPremium: annual,
      currency: 'EUR',
      paymentMethod: 'direct_debit',
      policyholder: holder,
    };
    switch (product) {
      case 'home':
        out.push({
          ...base,
          productName: rng.pick(['Formule Essentielle', 'Formule Confort', 'Formule Intégrale']),
          insuredPersons: everyone,
          insuredObject: {
            kind: 'dwelling',
            label: `${h.home.rooms > 3 ? 'Maison' : 'Appartement'} T${h.home.rooms}`,
            address: { street: h.home.street, postalCode: h.home.postalCode, city: h.home.city, country: 'FR' },
            dwellingType: h.home.rooms > 3 ? 'house' : 'apartment',
            occupancy: h.home.occupancy,
            rooms: h.home.rooms,
            surfaceM2: h.home.surfaceM2,
          },
          deductible: rng.pick([0, 100, 150, 230]),
          coverages: [
            { label: 'Responsabilité civile vie privée', limit: 10_000_000 },
            { label: 'Dégâts des eaux', limit: rng.pick([30_000, 50_000]), deductible: 150 },
            { label: 'Incendie et événements climatiques', limit: 150_000, deductible: 150 },
            { label: 'Vol et vandalisme', limit: rng.pick([8_000, 15_000]), deductible: 150 },
            { label: 'Catastrophes naturelles', deductible: 380 },
          ],
          fileIds: [`file-${rng.hex(16)}`],
        });
        break;
      case 'vehicle':
        out.push({
          ...base,
          productName: rng.pick(['Tiers', 'Tiers étendu', 'Tous risques']),
          insuredPersons: everyone.slice(0, 2),
          insuredObject: {
            kind: 'vehicle',
            label: `${h.vehicle.make} ${h.vehicle.model}`,
            registration: h.vehicle.registration,
            make: h.vehicle.make,
            model: h.vehicle.model,
            firstRegistrationDate: h.vehicle.firstRegistrationDate,
          },
          bonusMalus: round(Math.max(0.5, 1 * 0.95 ** rng.int(0, 14)), 2),
          coverages: [
            { label: 'Responsabilité civile' },
            { label: 'Bris de glace', deductible: rng.pick([0, 75]) },
            { label: 'Dommages tous accidents', deductible: rng.pick([300, 450]) },
            { label: 'Assistance 0 km' },
          ],
        });
        break;
      case 'health':
        out.push({
          ...base,
          productName: rng.pick(['Niveau 2', 'Équilibre', 'Confort+']),
          insuredPersons: everyone,
          coverages: [
            { label: 'Chambre particulière (par nuit)', limit: rng.pick([40, 60, 80]) },
            { label: 'Optique (tous les deux ans)', limit: rng.pick([200, 350, 500]) },
            { label: 'Dentaire prothèses', limit: rng.pick([300, 600]) },
          ],
        });
        break;
      default:
        out.push({
          ...base,
          insuredPersons: product === 'school' && everyone.length > 2 ? everyone.slice(2) : [holder],
        });
    }
  }
  return out;
}
