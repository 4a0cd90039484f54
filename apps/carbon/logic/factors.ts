/**
 * Emission factors, in kilograms of CO2 equivalent, written for this app from published French
 * references. They are ORDERS OF MAGNITUDE, rounded, for an estimate of a household's purchases:
 * a product's real footprint depends on how and where it was made, which a receipt does not say.
 *
 * Sources (the values below are rounded from them, not copied line by line):
 * - AGRIBALYSE 3.1 (ADEME / INRAE, 2023), the French life-cycle database of food products,
 *   "average product consumed in France", farm to shop shelf (cooking excluded); also as relayed by
 *   ADEME's Impact CO2 and by franceinfo's 2023 Agribalyse quiz (minced beef about 34 kg/kg,
 *   bananas about 0.9 kg/kg).
 * - ADEME Base Carbone / Base Empreinte (2024 edition): fuels (diesel and petrol, combustion plus
 *   upstream, about 2.7 to 3.2 kg per litre) and the method of monetary ratios (kgCO2e per k€ spent,
 *   by product sector), which the per-euro factors follow in spirit: they are the per-kg factors at
 *   typical 2024 prices, or sector orders of magnitude where no physical quantity is known.
 * Each factor carries its source key and its uncertainty as a plain word.
 */

export type Uncertainty = 'moderate' | 'high' | 'very high';

export interface Source {
  key: string;
  title: string;
  publisher: string;
  year: number;
  url: string;
}

export const sources: Source[] = [
  {
    key: 'agribalyse',
    title: 'AGRIBALYSE 3.1: environmental data of food products',
    publisher: 'ADEME / INRAE',
    year: 2023,
    url: 'https://doc.agribalyse.fr',
  },
  {
    key: 'base-empreinte',
    title: 'Base Empreinte (Base Carbone): emission factors, fuels and monetary ratios',
    publisher: 'ADEME',
    year: 2024,
    url: 'https://base-empreinte.ademe.fr',
  },
];

export interface ProductFactor {
  /** Matched against the receipt line's label, case and accents ignored. */
  match: RegExp;
  name: { en: string; fr: string };
  kgCo2ePerKg: number;
  /** Mass of one piece when the line counts pieces and the label gives no weight or volume. */
  kgPerPiece: number;
  source: 'agribalyse';
  uncertainty: Uncertainty;
}

const f = (
  match: RegExp,
  en: string,
  fr: string,
  kgCo2ePerKg: number,
  kgPerPiece: number,
  uncertainty: Uncertainty = 'moderate',
): ProductFactor => ({ match, name: { en, fr }, kgCo2ePerKg, kgPerPiece, source: 'agribalyse', uncertainty });

/** First match wins: specific products before broad families. */
export const productFactors: ProductFactor[] = [
  f(/steak|hache|boeuf|bœuf/, 'Beef', 'Bœuf', 30, 0.1),
  f(/poulet|volaille|dinde/, 'Poultry', 'Volaille', 6, 1.4),
  f(/jambon|saucisson|charcut/, 'Cured and cooked pork', 'Charcuterie', 7, 0.04),
  f(/cabillaud|poisson|saumon|colin/, 'Fish', 'Poisson', 8, 0.3, 'high'),
  f(/croissant|biscuit|brioche|viennois/, 'Pastries and biscuits', 'Viennoiseries et biscuits', 2.9, 0.05),
  f(/beurre/, 'Butter', 'Beurre', 9.5, 0.25),
  f(/comte|emmental|fromage|camembert/, 'Cheese', 'Fromage', 5.5, 0.2),
  f(/yaourt/, 'Yoghurt', 'Yaourt', 2.5, 0.125),
  f(/lait/, 'Milk', 'Lait', 1.2, 1),
  f(/oeuf|œuf/, 'Eggs', 'Œufs', 2.5, 0.06),
  f(/baguette|pain/, 'Bread', 'Pain', 1.5, 0.25),
  f(/cereales/, 'Breakfast cereals', 'Céréales du petit déjeuner', 2, 0.5, 'high'),
  f(/pates|penne|spaghetti|semoule/, 'Pasta', 'Pâtes', 1.5, 0.5),
  f(/riz/, 'Rice', 'Riz', 4, 1),
  f(/huile/, 'Vegetable oil', 'Huile végétale', 3, 0.7),
  f(/cafe|the\b/, 'Coffee and tea', 'Café et thé', 5, 0.25, 'very high'),
  f(/sauce|condiment/, 'Sauces and condiments', 'Sauces et condiments', 1.4, 0.4),
  f(/pizza/, 'Pizza', 'Pizza', 3, 0.4, 'high'),
  f(/surgele|poelee/, 'Frozen vegetables', 'Légumes surgelés', 1.3, 0.75),
  f(/compote/, 'Fruit purée', 'Compote', 0.7, 0.09),
  f(/jus/, 'Fruit juice', 'Jus de fruits', 1.9, 1),
  f(/eau/, 'Bottled water', 'Eau en bouteille', 0.3, 1.5, 'high'),
  f(/biere/, 'Beer', 'Bière', 1.5, 0.33, 'high'),
  f(/vin\b/, 'Wine', 'Vin', 1.4, 0.75),
  f(/banane/, 'Bananas', 'Bananes', 0.9, 0.15),
  f(
    /pomme de terre|pommes de terre|carotte|navet/,
    'Potatoes and root vegetables',
    'Pommes de terre et racines',
    0.6,
    0.15,
  ),
  f(/tomate|courgette|salade|batavia|legume/, 'Vegetables', 'Légumes', 1.3, 0.4, 'high'),
  f(/pomme|poire|fruit/, 'Fruit', 'Fruits', 0.5, 0.15, 'high'),
];

export interface EuroFactor {
  kgCo2ePerEuro: number;
  source: 'base-empreinte' | 'agribalyse';
  uncertainty: Uncertainty;
}

const e = (
  kgCo2ePerEuro: number,
  source: EuroFactor['source'] = 'base-empreinte',
  uncertainty: Uncertainty = 'high',
) => ({
  kgCo2ePerEuro,
  source,
  uncertainty,
});

/**
 * Per euro, for receipt lines no product factor matches, by the retailer's shelf (the per-kg
 * factors at typical prices). Non-food shelves follow the monetary-ratio orders of magnitude.
 */
export const shelfFactors: Record<string, EuroFactor> = {
  boucherie: e(2.2, 'agribalyse'),
  charcuterie: e(0.6, 'agribalyse'),
  poissonnerie: e(0.5, 'agribalyse'),
  crèmerie: e(0.8, 'agribalyse'),
  boulangerie: e(0.5, 'agribalyse'),
  'fruits et légumes': e(0.35, 'agribalyse'),
  épicerie: e(0.6, 'agribalyse'),
  surgelés: e(0.6, 'agribalyse'),
  boissons: e(0.4, 'agribalyse'),
  entretien: e(0.5),
  hygiène: e(0.5),
};

/** Any shelf not listed: the average of a supermarket basket. */
export const defaultShelfFactor: EuroFactor = e(0.6, 'agribalyse', 'very high');

/**
 * Per euro, for bank operations not covered by a receipt, by the transaction's category (and for
 * card payments its merchant category code, which is finer). Categories absent here (housing,
 * energy, telecom, insurance, taxes, transfers, savings, cash, fees, income) are not purchases of
 * goods this estimate can price: they are reported as not estimated, with their amount.
 */
export const categoryFactors: Record<string, EuroFactor> = {
  groceries: e(0.6, 'agribalyse'),
  restaurant: e(0.25),
  transport: e(1.5),
  shopping: e(0.5),
  leisure: e(0.15),
  health: e(0.3),
  education: e(0.2),
};

/** ISO 18245 merchant category codes with a factor of their own. */
export const merchantFactors: Record<string, EuroFactor & { name: { en: string; fr: string } }> = {
  // Fuel at about 1.8 € a litre and 2.7-3.2 kgCO2e a litre.
  '5541': { ...e(1.6, 'base-empreinte', 'moderate'), name: { en: 'Fuel', fr: 'Carburant' } },
  '5542': { ...e(1.6, 'base-empreinte', 'moderate'), name: { en: 'Fuel', fr: 'Carburant' } },
  '5651': { ...e(0.6), name: { en: 'Clothing', fr: 'Habillement' } },
  '5942': { ...e(0.15), name: { en: 'Books', fr: 'Livres' } },
  '5462': { ...e(0.5, 'agribalyse'), name: { en: 'Bakery', fr: 'Boulangerie' } },
  '7011': { ...e(0.1), name: { en: 'Hotels and stays', fr: 'Hébergement' } },
};
