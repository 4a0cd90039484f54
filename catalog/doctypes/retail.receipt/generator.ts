import { resolveOptions, type GenerateOptions } from '../../synthetic/generate-options.js';
import { householdOf } from '../../synthetic/household.js';
import { round, type Rng } from '../../synthetic/rng.js';
import { isoInstant, parisToUtc, toParis } from '../../synthetic/time.js';

const products = [
  { label: 'Baguette tradition', ean: '3760100000012', category: 'boulangerie', price: 1.2, taxRate: 5.5 },
  { label: 'Lait demi-écrémé 1 L', ean: '3760100000043', category: 'crèmerie', price: 1.09, taxRate: 5.5 },
  { label: 'Yaourts nature x8', ean: '3760100000050', category: 'crèmerie', price: 2.35, taxRate: 5.5 },
  { label: 'Pâtes penne 500 g', ean: '3760100000210', category: 'épicerie', price: 1.05, taxRate: 5.5 },
  { label: 'Café moulu 250 g', ean: '3760100000258', category: 'épicerie', price: 3.49, taxRate: 5.5 },
  { label: 'Lessive liquide 2 L', ean: '3760100000340', category: 'entretien', price: 9.5, taxRate: 20 },
  { label: 'Vin rouge AOP Muscadet', ean: '3760100000333', category: 'boissons', price: 6.9, taxRate: 20 },
] as const;
const byWeight = [
  { label: 'Pommes Gala', category: 'fruits et légumes', price: 2.49 },
  { label: 'Tomates grappe', category: 'fruits et légumes', price: 3.2 },
  { label: 'Poulet fermier', category: 'boucherie', price: 9.9 },
] as const;

/** `count` receipts of the household's weekly shopping, in time order, paid by card. */
export function generate(rng: Rng, options: GenerateOptions): unknown[] {
  const { count, fromMs, toMs } = resolveOptions(options);
  const h = householdOf(rng);
  const card = rng.digits(13);
  const times = Array.from({ length: count }, () => {
    const l = toParis(fromMs + Math.floor(rng.next() * (toMs - fromMs)));
    const at = parisToUtc(l.year, l.month, l.day, rng.int(9, 19), rng.int(0, 59)) + rng.int(0, 59) * 1000;
    return Math.min(Math.max(at, fromMs), toMs - 1);
  }).sort((a, b) => a - b);
  return times.map((t, n) => {
    const items = [
      ...rng
        .shuffle(products)
        .slice(0, rng.int(2, products.length))
        .map((p) => {
          const quantity = rng.int(1, 3);
          return { ...p, quantity, unit: 'piece', unitPrice: p.price, amount: round(p.price * quantity, 2) };
        }),
      ...rng
        .shuffle(byWeight)
        .slice(0, rng.int(0, 2))
        .map((p) => {
          const quantity = rng.float(0.3, 1.8, 3);
          return { ...p, quantity, unit: 'kg', unitPrice: p.price, amount: round(p.price * quantity, 2), taxRate: 5.5 };
        }),
    ].map(({ price: _price, ...item }) => item);
    const total = round(
      items.reduce((s, i) => s + i.amount, 0),
      2,
    );
    const l = toParis(t);
    return {
      vendor: 'Marché Frais',
      storeName: `Marché Frais ${h.home.city}`,
      storeAddress: { street: '2 place du Marché', postalCode: h.home.postalCode, city: h.home.city, country: 'FR' },
      receiptNumber: `${l.year}${String(l.month).padStart(2, '0')}${String(l.day).padStart(2, '0')}-${1000 + n}`,
      date: isoInstant(t),
      items,
      totalAmount: total,
      currency: 'EUR',
      paymentMethod: 'card',
      cardLast4: card.slice(-4),
      loyaltyCardNumber: card,
      loyaltyPointsEarned: Math.floor(total),
    };
  });
}
