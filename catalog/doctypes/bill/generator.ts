import { resolveOptions, type GenerateOptions } from '../../synthetic/generate-options.js';
import { householdOf, type Household } from '../../synthetic/household.js';
import { round, type Rng } from '../../synthetic/rng.js';
import { addDays, addMonths, parisDate } from '../../synthetic/time.js';

interface Line {
  label: string;
  quantity?: number;
  unit?: string;
  unitPrice?: number;
  amountExcludingTax: number;
  taxRate: number;
}

interface Draft {
  vendor: string;
  vendorCategory: string;
  label: string;
  customerNumber: string;
  contractNumber: string;
  months: number;
  lines: Line[];
}

const line = (label: string, quantity: number | null, unit: string | null, unitPrice: number, taxRate: number): Line =>
  quantity === null || unit === null
    ? { label, amountExcludingTax: round(unitPrice, 2), taxRate }
    : {
        label,
        quantity,
        unit,
        unitPrice: round(unitPrice, 4),
        amountExcludingTax: round(quantity * round(unitPrice, 4), 2),
        taxRate,
      };

/** Two months of electricity: subscription and CTA at 5.5 % VAT, energy and excise at 20 %. */
function electricity(rng: Rng, h: Household): Draft {
  const kwh = rng.int(300, h.home.heating === 'electric' ? 1600 : 700);
  const subscription = round(h.electricity.subscribedPowerKva * 1.55 + rng.float(2, 4), 2);
  return {
    vendor: h.electricity.vendor,
    vendorCategory: 'energy',
    label: "Facture d'électricité",
    customerNumber: h.electricity.customerNumber,
    contractNumber: h.electricity.contractNumber,
    months: 2,
    lines: [
      line(`Abonnement ${h.electricity.subscribedPowerKva} kVA`, 2, 'month', subscription, 5.5),
      line('Consommation', kwh, 'kWh', rng.float(0.19, 0.26, 4), 20),
      line("Accise sur l'électricité", kwh, 'kWh', 0.021, 20),
      line("Contribution tarifaire d'acheminement", null, null, subscription * 0.27, 5.5),
    ],
  };
}

function gas(rng: Rng, h: Household): Draft {
  const kwh = rng.int(200, h.home.heating === 'gas' ? 3500 : 500);
  return {
    vendor: h.gas.vendor,
    vendorCategory: 'energy',
    label: 'Facture de gaz naturel',
    customerNumber: h.gas.customerNumber,
    contractNumber: h.gas.contractNumber,
    months: 2,
    lines: [
      line('Abonnement', 2, 'month', rng.float(11, 22, 2), 5.5),
      line('Consommation', kwh, 'kWh', rng.float(0.09, 0.13, 4), 20),
      line('Accise sur le gaz naturel', kwh, 'kWh', 0.01637, 20),
    ],
  };
}

function water(rng: Rng, h: Household): Draft {
  const m3 = rng.int(15, 60);
  return {
    vendor: h.water.vendor,
    vendorCategory: 'water',
    label: "Facture d'eau",
    customerNumber: h.water.customerNumber,
    contractNumber: h.water.contractNumber,
    months: 6,
    lines: [
      line('Abonnement eau potable', 6, 'month', rng.float(2, 4, 2), 5.5),
      line('Consommation eau potable', m3, 'm3', rng.float(1.6, 2.4, 4), 5.5),
      line('Assainissement collectif', m3, 'm3', rng.float(1.4, 2.2, 4), 10),
      line("Redevances de l'agence de l'eau", m3, 'm3', 0.58, 5.5),
    ],
  };
}

function telecom(rng: Rng, h: Household): Draft {
  return {
    vendor: h.telecom.vendor,
    vendorCategory: 'telecom',
    label: 'Facture box internet',
    customerNumber: h.telecom.customerNumber,
    contractNumber: h.telecom.boxContractNumber,
    months: 1,
    lines: [
      line('Forfait box fibre', 1, 'month', rng.pick([24.99, 32.99, 39.99]) / 1.2, 20),
      ...(rng.chance(0.3) ? [line('Location décodeur TV', 1, 'month', 5 / 1.2, 20)] : []),
      ...(rng.chance(0.1) ? [line('Vidéo à la demande', null, null, rng.float(3, 12), 20)] : []),
    ],
  };
}

function insurance(rng: Rng, h: Household): Draft {
  const premium = rng.float(180, 420, 2);
  return {
    vendor: h.insurance.vendor,
    vendorCategory: 'insurance',
    label: "Avis d'échéance assurance habitation",
    customerNumber: h.insurance.homeContractNumber.slice(0, 7),
    contractNumber: h.insurance.homeContractNumber,
    months: 12,
    // Insurance carries no VAT but the taxe sur les conventions d'assurance (about 30 % for homes).
    lines: [line('Cotisation annuelle habitation', null, null, premium, 30)],
  };
}

/** `count` bills from the household's vendors, issued within the range, in issue order. */
export function generate(rng: Rng, options: GenerateOptions): unknown[] {
  const { count, fromMs, toMs } = resolveOptions(options);
  const h = householdOf(rng);
  const lastDay = parisDate(toMs - 1);
  const times = Array.from({ length: count }, () => fromMs + Math.floor(rng.next() * (toMs - fromMs))).sort(
    (a, b) => a - b,
  );
  return times.map((t) => {
    const make = rng.weighted([
      [electricity, 3],
      [gas, 2],
      [telecom, 4],
      [water, 1],
      [insurance, 1],
    ] as const);
    const d = make(rng, h);
    const issueDate = parisDate(t);
    const periodEnd = addDays(issueDate, -rng.int(1, 5));
    const periodStart = addDays(addMonths(periodEnd, -d.months), 1);
    const dueDate = addDays(issueDate, rng.int(10, 20));
    const amountExcludingTax = round(
      d.lines.reduce((s, l) => s + l.amountExcludingTax, 0),
      2,
    );
    const taxAmount = round(
      d.lines.reduce((s, l) => s + round((l.amountExcludingTax * l.taxRate) / 100, 2), 0),
      2,
    );
    const paid = dueDate <= lastDay;
    return {
      vendor: d.vendor,
      vendorCategory: d.vendorCategory,
      type: 'invoice',
      label: d.label,
      number: `${issueDate.slice(0, 4)}${rng.digits(8)}`,
      customerNumber: d.customerNumber,
      contractNumber: d.contractNumber,
      issueDate,
      dueDate,
      periodStart,
      periodEnd,
      amountExcludingTax,
      taxAmount,
      totalAmount: round(amountExcludingTax + taxAmount, 2),
      currency: 'EUR',
      status: paid ? 'paid' : 'due',
      ...(paid ? { paymentDate: dueDate } : {}),
      paymentMethod: 'direct_debit',
      ...(rng.chance(0.85) ? { fileId: `file-${rng.hex(16)}` } : {}),
      lines: d.lines,
    };
  });
}
