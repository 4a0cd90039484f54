/**
 * The controlled list of purposes a grant may name. Each maps to a W3C Data Privacy Vocabulary
 * (DPV) purpose where one fits, so consent records stay machine-readable outside Foyer. The grant
 * adds its own text ("to chart your electricity use against the weather"); the code says which kind
 * of purpose that is, and is what the person filters and judges by.
 */
export interface Purpose {
  code: string;
  /** DPV term (https://w3id.org/dpv#…), or null where none fits. */
  dpv: string | null;
  en: string;
  fr: string;
}

export const PURPOSES: readonly Purpose[] = [
  {
    code: 'service-provision',
    dpv: 'dpv:ServiceProvision',
    en: 'provide the feature you installed or asked for',
    fr: 'fournir la fonction que vous avez installée ou demandée',
  },
  {
    code: 'data-collection',
    dpv: 'dpv:ServiceProvision',
    en: 'collect your data from an organisation into your space',
    fr: 'rapatrier vos données depuis un organisme vers votre espace',
  },
  {
    code: 'personal-insight',
    dpv: 'dpv:ServicePersonalisation',
    en: 'analyse your data for you (budgets, consumption, trends)',
    fr: 'analyser vos données pour vous (budget, consommation, tendances)',
  },
  {
    code: 'sharing',
    dpv: 'dpv:ServiceProvision',
    en: 'share data with a person you chose',
    fr: 'partager des données avec une personne que vous avez choisie',
  },
  {
    code: 'collective-purpose',
    dpv: null,
    en: 'pool data with a collective you belong to, under rules its members voted',
    fr: 'mettre des données en commun avec un collectif dont vous êtes membre, selon des règles votées par ses membres',
  },
  {
    code: 'research',
    dpv: 'dpv:ResearchAndDevelopment',
    en: 'research, with results that do not identify you',
    fr: 'de la recherche, dont les résultats ne vous identifient pas',
  },
  {
    code: 'account-management',
    dpv: 'dpv:AccountManagement',
    en: 'manage your customer account with the organisation',
    fr: 'gérer votre compte client auprès de l’organisme',
  },
  {
    code: 'legal-compliance',
    dpv: 'dpv:LegalCompliance',
    en: 'meet a legal obligation of the recipient',
    fr: 'respecter une obligation légale du destinataire',
  },
  {
    code: 'marketing',
    dpv: 'dpv:Marketing',
    en: 'send you offers',
    fr: 'vous adresser des offres',
  },
];

export function purposeOf(code: string): Purpose | undefined {
  return PURPOSES.find((p) => p.code === code);
}
