import { resolveOptions, type GenerateOptions } from '../../synthetic/generate-options.js';
import { householdOf } from '../../synthetic/household.js';
import type { Rng } from '../../synthetic/rng.js';
import { addDays, addMonths, parisDate } from '../../synthetic/time.js';

/** Regulated blue tariff prices of February 2024 (taxes included), by option. */
const electricityPrices = {
  base: [{ period: 'base', pricePerKwh: 0.2516 }],
  peak_off_peak: [
    { period: 'peak', pricePerKwh: 0.27 },
    { period: 'off_peak', pricePerKwh: 0.2068 },
  ],
  tempo: [
    { period: 'blue_peak', pricePerKwh: 0.1609 },
    { period: 'blue_off_peak', pricePerKwh: 0.1296 },
    { period: 'white_peak', pricePerKwh: 0.1894 },
    { period: 'white_off_peak', pricePerKwh: 0.1486 },
    { period: 'red_peak', pricePerKwh: 0.7562 },
    { period: 'red_off_peak', pricePerKwh: 0.1568 },
  ],
} as const;

const subscriptionByKva: Record<number, number> = { 6: 15.65, 9: 19.56, 12: 23.32 };

/** The household's electricity then gas contracts, then earlier terminated contracts. */
export function generate(rng: Rng, options: GenerateOptions): unknown[] {
  const { count, fromMs } = resolveOptions(options);
  const h = householdOf(rng);
  const address = { street: h.home.street, postalCode: h.home.postalCode, city: h.home.city, country: 'FR' };
  const movedIn = addDays(addMonths(parisDate(fromMs), -rng.int(24, 120)), rng.int(0, 27));
  const out: unknown[] = [];
  for (let i = 0; i < count; i++) {
    // Contracts 2 and 3 are those the household had before switching supplier, and so on.
    const generation = Math.floor(i / 2);
    const startDate = generation === 0 ? movedIn : addMonths(movedIn, -12 * generation);
    const endDate = generation === 0 ? null : addDays(addMonths(startDate, 12 * generation), -1);
    const lifecycle = { startDate, ...(endDate ? { endDate, status: 'terminated' } : { status: 'active' }) };
    if (i % 2 === 0) {
      const e = h.electricity;
      const option = e.tariffOption;
      const regulated = e.vendor === 'EDF';
      out.push({
        vendor: generation === 0 ? e.vendor : rng.pick(['EDF', 'Engie', 'TotalEnergies']),
        energy: 'electricity',
        contractNumber: generation === 0 ? e.contractNumber : rng.digits(10),
        customerNumber: e.customerNumber,
        usagePointId: e.usagePointId,
        distributor: 'Enedis',
        offer: regulated
          ? option === 'tempo'
            ? 'Tarif Bleu Tempo'
            : 'Tarif Bleu'
          : rng.pick(['Offre Verte Fixe', 'Offre Online', 'Essentielle']),
        priceType: regulated ? 'regulated' : rng.pick(['fixed', 'indexed']),
        tariffOption: option,
        ...(option === 'peak_off_peak'
          ? { offPeakHours: [rng.pick(['22:00-06:00', '22:30-06:30', '23:00-07:00'])] }
          : {}),
        subscribedPowerKva: e.subscribedPowerKva,
        meterType: 'linky',
        annualConsumptionKwh: h.home.heating === 'electric' ? rng.int(6000, 11000) : rng.int(2200, 4500),
        subscriptionAmount: subscriptionByKva[e.subscribedPowerKva] ?? 19.56,
        prices: electricityPrices[option],
        currency: 'EUR',
        renewableShare: regulated ? 0 : rng.pick([0, 100]),
        billingMode: rng.pick(['monthly_instalments', 'bimonthly']),
        address,
        ...lifecycle,
      });
    } else {
      const g = h.gas;
      const heating = h.home.heating === 'gas';
      out.push({
        vendor: generation === 0 ? g.vendor : rng.pick(['Engie', 'TotalEnergies', 'Eni']),
        energy: 'gas',
        contractNumber: generation === 0 ? g.contractNumber : rng.digits(10),
        customerNumber: g.customerNumber,
        usagePointId: g.usagePointId,
        distributor: 'GRDF',
        offer: rng.pick(['Gaz Référence', 'Offre Gaz Fixe 2 ans', 'Gaz Online']),
        priceType: rng.pick(['fixed', 'indexed']),
        gasTariffBand: heating ? 'T2' : 'T1',
        meterType: 'gazpar',
        annualConsumptionKwh: heating ? rng.int(8000, 16000) : rng.int(600, 2500),
        subscriptionAmount: heating ? 21.17 : 9.33,
        prices: [{ period: 'base', pricePerKwh: heating ? 0.1175 : 0.1373 }],
        currency: 'EUR',
        billingMode: rng.pick(['monthly_instalments', 'bimonthly']),
        address,
        ...lifecycle,
      });
    }
  }
  return out;
}
