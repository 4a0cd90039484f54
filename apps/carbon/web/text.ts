import type { Dict } from '../../shared/web/i18n.js';

type Key =
  | 'title'
  | 'loading'
  | 'error'
  | 'estimate'
  | 'honest'
  | 'perMonth'
  | 'chart'
  | 'month'
  | 'total'
  | 'receipts'
  | 'bank'
  | 'topGroups'
  | 'group'
  | 'kg'
  | 'notEstimated'
  | 'notEstimatedNote'
  | 'category'
  | 'euros'
  | 'method'
  | 'methodText'
  | 'sources'
  | 'factors'
  | 'factor'
  | 'perKg'
  | 'perEuro'
  | 'uncertainty'
  | 'noData'
  | 'summaryYear'
  | 'summaryMonth'
  | 'summaryLines'
  | 'month12';

export const text: Dict<Key> = {
  en: {
    title: 'Carbon estimate of purchases',
    loading: 'Reading your receipts and bank operations…',
    error: 'Your purchases could not be read.',
    estimate: 'Estimate',
    honest:
      'These are estimates, not measurements: orders of magnitude from published average emission factors. A receipt does not say how a product was made or where it came from, and a euro spent says even less.',
    perMonth: 'Estimated footprint per month',
    chart: 'Estimated kgCO2e per month',
    month: 'Month',
    total: 'Total (kgCO2e)',
    receipts: 'From receipts',
    bank: 'From bank operations',
    topGroups: 'What weighs most (last 12 months)',
    group: 'Product or category',
    kg: 'kgCO2e',
    notEstimated: 'Spending not estimated',
    notEstimatedNote:
      'Housing, energy, telecom, insurance, transfers and the like are not purchases of goods this app can price by the euro (the Energy app shows your kWh).',
    category: 'Category',
    euros: 'Euros (12 months)',
    method: 'Method',
    methodText:
      'Receipt lines are priced by mass (the product’s kgCO2e per kg times its weight, read from the receipt or its label); other lines and bank operations not explained by a receipt by the euro, per category. A card payment a receipt explains is not counted twice.',
    sources: 'Sources',
    factors: 'Factors used',
    factor: 'Factor',
    perKg: 'kgCO2e/kg',
    perEuro: 'kgCO2e/€',
    uncertainty: 'Uncertainty',
    noData: 'No purchases yet: connect your bank or your loyalty card.',
    summaryYear: 'kgCO2e over the last 12 months',
    summaryMonth: 'kgCO2e a month on average',
    summaryLines: 'receipt lines priced by mass',
    month12: 'last 12 months',
  },
  fr: {
    title: 'Estimation carbone des achats',
    loading: 'Lecture de vos tickets de caisse et opérations bancaires…',
    error: 'Vos achats n’ont pas pu être lus.',
    estimate: 'Estimation',
    honest:
      'Ce sont des estimations, pas des mesures : des ordres de grandeur tirés de facteurs d’émission moyens publiés. Un ticket ne dit pas comment ni où un produit a été fabriqué, et un euro dépensé en dit encore moins.',
    perMonth: 'Empreinte estimée par mois',
    chart: 'kgCO2e estimés par mois',
    month: 'Mois',
    total: 'Total (kgCO2e)',
    receipts: 'Tickets de caisse',
    bank: 'Opérations bancaires',
    topGroups: 'Ce qui pèse le plus (12 derniers mois)',
    group: 'Produit ou catégorie',
    kg: 'kgCO2e',
    notEstimated: 'Dépenses non estimées',
    notEstimatedNote:
      'Logement, énergie, télécoms, assurances, virements, etc. ne sont pas des achats de biens que cette application peut estimer à l’euro (l’application Énergie montre vos kWh).',
    category: 'Catégorie',
    euros: 'Euros (12 mois)',
    method: 'Méthode',
    methodText:
      'Les lignes des tickets sont estimées à la masse (kgCO2e par kg du produit fois son poids, lu sur le ticket ou son libellé) ; les autres lignes et les opérations bancaires sans ticket, à l’euro, par catégorie. Un paiement par carte expliqué par un ticket n’est pas compté deux fois.',
    sources: 'Sources',
    factors: 'Facteurs utilisés',
    factor: 'Facteur',
    perKg: 'kgCO2e/kg',
    perEuro: 'kgCO2e/€',
    uncertainty: 'Incertitude',
    noData: 'Pas encore d’achats : connectez votre banque ou votre carte de fidélité.',
    summaryYear: 'kgCO2e sur les 12 derniers mois',
    summaryMonth: 'kgCO2e par mois en moyenne',
    summaryLines: 'lignes de tickets estimées à la masse',
    month12: '12 derniers mois',
  },
};

/** Spending categories (bank.transaction's list) and the synthetic shop's shelves, in words. */
export const categoryNames: Record<'en' | 'fr', Record<string, string>> = {
  en: {
    groceries: 'Groceries',
    restaurant: 'Restaurants',
    transport: 'Transport',
    housing: 'Housing',
    utilities: 'Water and utilities',
    energy: 'Energy',
    telecom: 'Telecom',
    insurance: 'Insurance',
    health: 'Health',
    leisure: 'Leisure and stays',
    shopping: 'Shopping',
    education: 'Education',
    taxes: 'Taxes',
    transfer: 'Transfers',
    savings: 'Savings',
    cash: 'Cash',
    fees: 'Bank fees',
    other: 'Other',
    entretien: 'Household products',
    hygiène: 'Hygiene',
  },
  fr: {
    groceries: 'Alimentation',
    restaurant: 'Restaurants',
    transport: 'Transport',
    housing: 'Logement',
    utilities: 'Eau et services',
    energy: 'Énergie',
    telecom: 'Télécoms',
    insurance: 'Assurances',
    health: 'Santé',
    leisure: 'Loisirs et séjours',
    shopping: 'Achats',
    education: 'Éducation',
    taxes: 'Impôts',
    transfer: 'Virements',
    savings: 'Épargne',
    cash: 'Espèces',
    fees: 'Frais bancaires',
    other: 'Autres',
    entretien: 'Produits d’entretien',
    hygiène: 'Hygiène',
  },
};
