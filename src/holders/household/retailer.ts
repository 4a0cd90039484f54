import { isoInstant } from '../../../catalog/synthetic/time.js';
import type { Rng } from '../../../catalog/synthetic/rng.js';
import { dayRng, round2, type GenContext, type HolderRecord } from './context.js';
import type { Customer, ProfileId } from './customers.js';
import { atParis, weekdayOf } from './days.js';
import { awayOn } from './life.js';
import { vendors } from './vendors.js';

interface Product {
  label: string;
  ean: string;
  category: string;
  /** Price per piece, or per kg when `perKg`. */
  price: number;
  perKg?: boolean;
  taxRate: number;
  /** Who buys it more: a weight per profile, 1 when absent. */
  likes?: Partial<Record<ProfileId, number>>;
}

/** EAN-13 with its check digit, from a 12-digit body. */
function ean13(body: string): string {
  const sum = [...body].reduce((s, d, i) => s + Number(d) * (i % 2 === 0 ? 1 : 3), 0);
  return body + String((10 - (sum % 10)) % 10);
}

const p = (
  label: string,
  code: string,
  category: string,
  price: number,
  likes?: Product['likes'],
  perKg = false,
  taxRate = 5.5,
): Product => ({ label, ean: ean13(`3760${code}`), category, price, perKg, taxRate, ...(likes ? { likes } : {}) });

const products: Product[] = [
  p('Baguette tradition', '10000001', 'boulangerie', 1.2, { retirees: 2 }),
  p('Pain de mie complet', '10000002', 'boulangerie', 2.15, { family: 2 }),
  p('Croissants x6', '10000003', 'boulangerie', 3.4, { family: 1.5 }),
  p('Lait demi-écrémé 1 L', '10000004', 'crèmerie', 1.09, { family: 3 }),
  p('Yaourts nature x8', '10000005', 'crèmerie', 2.35, { family: 2 }),
  p('Beurre doux 250 g', '10000006', 'crèmerie', 2.89),
  p('Comté 12 mois 200 g', '10000007', 'crèmerie', 4.2, { retirees: 1.5 }),
  p('Œufs plein air x12', '10000008', 'crèmerie', 3.79),
  p('Emmental râpé 200 g', '10000009', 'crèmerie', 2.19, { student: 2 }),
  p('Pommes Gala', '10000010', 'fruits et légumes', 2.49, { family: 2 }, true),
  p('Bananes', '10000011', 'fruits et légumes', 1.89, {}, true),
  p('Tomates grappe', '10000012', 'fruits et légumes', 3.2, {}, true),
  p('Carottes', '10000013', 'fruits et légumes', 1.35, { retirees: 1.5 }, true),
  p('Pommes de terre', '10000014', 'fruits et légumes', 1.49, {}, true),
  p('Salade batavia', '10000015', 'fruits et légumes', 1.1),
  p('Courgettes', '10000016', 'fruits et légumes', 2.6, {}, true),
  p('Poulet fermier', '10000017', 'boucherie', 9.9, { family: 1.5 }, true),
  p('Steaks hachés x4', '10000018', 'boucherie', 5.6, { family: 2, student: 1.5 }),
  p('Jambon blanc x4', '10000019', 'charcuterie', 3.15, { family: 2, student: 2 }),
  p('Filet de cabillaud', '10000020', 'poissonnerie', 21.5, { retirees: 2 }, true),
  p('Pâtes penne 500 g', '10000021', 'épicerie', 1.05, { student: 3, family: 2 }),
  p('Riz basmati 1 kg', '10000022', 'épicerie', 2.79, { student: 2 }),
  p('Sauce tomate basilic', '10000023', 'épicerie', 1.65, { student: 3 }),
  p('Huile d’olive 75 cl', '10000024', 'épicerie', 8.9),
  p('Café moulu 250 g', '10000025', 'épicerie', 3.49, { retirees: 2 }),
  p('Céréales chocolat', '10000026', 'épicerie', 3.25, { family: 3, 'single-parent': 2, retirees: 0.1 }),
  p('Biscuits petit-beurre', '10000027', 'épicerie', 1.75, { family: 2 }),
  p('Pizza margherita surgelée', '10000028', 'surgelés', 3.99, { student: 3, 'single-parent': 1.5 }),
  p('Légumes poêlée surgelée', '10000029', 'surgelés', 2.95),
  p('Jus d’orange 1 L', '10000030', 'boissons', 2.3, { family: 2 }, false, 5.5),
  p('Eau minérale 6 x 1,5 L', '10000031', 'boissons', 3.3),
  p('Bière blonde x6', '10000032', 'boissons', 5.4, { student: 2, retirees: 0.3 }, false, 20),
  p('Vin rouge AOP Muscadet', '10000033', 'boissons', 6.9, { retirees: 2, student: 0.3 }, false, 20),
  p('Lessive liquide 2 L', '10000034', 'entretien', 9.5, {}, false, 20),
  p('Papier toilette x12', '10000035', 'entretien', 5.9, {}, false, 20),
  p('Liquide vaisselle', '10000036', 'entretien', 1.99, {}, false, 20),
  p('Gel douche 250 ml', '10000037', 'hygiène', 2.49, {}, false, 20),
  p('Dentifrice', '10000038', 'hygiène', 2.2, {}, false, 20),
  p('Compotes à boire x4', '10000040', 'épicerie', 2.6, {
    family: 2.5,
    'single-parent': 2.5,
    retirees: 0.2,
    student: 0.3,
  }),
];

export interface Trip {
  at: number;
  receiptNumber: string;
}

/** Weekday weights: busy Saturdays, some Wednesdays (no school in the afternoon), closed Sunday afternoon. */
const dayWeights = [0.3, 0.8, 0.8, 1.2, 0.8, 1.1, 2];
const weightSum = dayWeights.reduce((s, w) => s + w, 0);

function tripOf(ctx: GenContext, r: NonNullable<Customer['retailer']>, day: string, rng: Rng): Trip | undefined {
  if (awayOn(ctx, day)) return undefined;
  const weekday = weekdayOf(day);
  if (!rng.chance((r.tripsPerWeek * (dayWeights[weekday] as number)) / weightSum)) return undefined;
  const hour = weekday === 0 ? rng.int(9, 11) : weekday === 6 ? rng.int(9, 17) : rng.int(17, 19);
  const at = atParis(day, hour, rng.int(0, 59)) + rng.int(0, 59) * 1000;
  return { at, receiptNumber: `${day.replace(/-/g, '')}-${rng.digits(4)}` };
}

/** The shopping trip of a day, if any: where the telecom holder finds the phone and the bank the card payment. */
export function tripOn(ctx: GenContext, day: string): Trip | undefined {
  const r = ctx.customer.retailer;
  return r ? tripOf(ctx, r, day, dayRng(ctx, 'retailer', 'trip', day)) : undefined;
}

export function receiptOn(ctx: GenContext, day: string): HolderRecord | undefined {
  const r = ctx.customer.retailer;
  if (!r) return undefined;
  return ctx.memo(`receipt:${day}`, () => {
    const rng = dayRng(ctx, 'retailer', 'trip', day);
    const trip = tripOf(ctx, r, day, rng);
    if (!trip) return undefined;
    const profile = ctx.customer.profile;
    const target = r.basketEuros * Math.exp(rng.normal(0, 0.35));
    const weighted = products.map((x) => [x, x.likes?.[profile] ?? 1] as const).filter(([, w]) => w > 0);
    const lines = new Map<string, { product: Product; quantity: number }>();
    let total = 0;
    while (total < target && lines.size < 45) {
      const product = rng.weighted(weighted);
      const quantity = product.perKg
        ? rng.float(0.25, 1.8, 3)
        : rng.weighted([
            [1, 6],
            [2, 2],
            [3, 1],
          ] as const);
      const line = lines.get(product.ean);
      if (line && !product.perKg) line.quantity += quantity;
      else if (!line) lines.set(product.ean, { product, quantity });
      total += product.price * quantity;
    }
    const items = [...lines.values()].map(({ product, quantity }) => ({
      label: product.label,
      ean: product.ean,
      category: product.category,
      quantity,
      unit: product.perKg ? 'kg' : 'piece',
      unitPrice: product.price,
      amount: round2(product.price * quantity),
      taxRate: product.taxRate,
    }));
    const gross = round2(items.reduce((s, i) => s + i.amount, 0));
    // Every tenth receipt or so redeems loyalty points.
    const discount = rng.chance(0.1) ? round2(Math.min(5, gross * 0.1)) : 0;
    const totalAmount = round2(gross - discount);
    const c = ctx.customer;
    return {
      key: trip.receiptNumber,
      doctype: 'retail.receipt',
      day,
      data: {
        vendor: vendors.retailer.name,
        storeName: r.storeName,
        storeAddress: {
          street: '2 place du Marché',
          postalCode: c.address.postalCode,
          city: r.storeCity,
          country: 'FR',
        },
        receiptNumber: trip.receiptNumber,
        date: isoInstant(trip.at),
        items,
        ...(discount > 0 ? { discountAmount: discount } : {}),
        totalAmount,
        currency: 'EUR',
        paymentMethod: 'card',
        cardLast4: c.bank.cardLast4,
        loyaltyCardNumber: r.cardNumber,
        loyaltyPointsEarned: Math.floor(totalAmount),
      },
    };
  });
}

export function receipts(ctx: GenContext, day: string): HolderRecord[] {
  const receipt = receiptOn(ctx, day);
  return receipt ? [receipt] : [];
}
